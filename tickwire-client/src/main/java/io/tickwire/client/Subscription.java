package io.tickwire.client;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.time.Duration;
import java.util.Objects;

/**
 * One stream, as the server acknowledged it: a symbol on a channel, with its delivery options.
 * Immutable.
 *
 * @param symbol    the instrument's symbol
 * @param channel   the channel
 * @param depth     book levels per side; 0 for other channels
 * @param throttle  at most one message per this interval; zero for every update
 * @param period    the bar period; {@code null} for other channels
 * @param priceType the bar price type; {@code null} for other channels
 */
public record Subscription(String symbol, Channel channel, int depth, Duration throttle, Periodicity period,
                           PriceType priceType) {

    /** Checks that symbol and channel are given; no throttle means every update. */
    public Subscription {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(channel, "channel");
        throttle = throttle == null ? Duration.ZERO : throttle;
    }

    /** A stream of every update with no depth, period or price type: a quote or trade stream. */
    public Subscription(String symbol, Channel channel) {
        this(symbol, channel, 0, Duration.ZERO, null, null);
    }
}
