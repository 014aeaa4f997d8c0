package io.tickwire.client;

import io.tickwire.model.Channel;
import java.util.Objects;

/**
 * One stream: a symbol on a channel. Immutable.
 *
 * @param symbol  the instrument's symbol
 * @param channel the channel
 */
public record Subscription(String symbol, Channel channel) {

    /** Checks that neither part is null. */
    public Subscription {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(channel, "channel");
    }
}
