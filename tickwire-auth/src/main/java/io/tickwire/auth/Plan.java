package io.tickwire.auth;

import io.tickwire.model.Channel;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The limits an account lives within.
 *
 * @param name              the plan's name, e.g. {@code pro}
 * @param maxConnections    concurrent connections per account
 * @param onConnectionLimit what happens to the connection over the limit
 * @param maxSymbols        distinct symbols one connection may subscribe to
 * @param channels          channels the plan includes
 * @param requestsPerSecond sustained requests per connection per second
 * @param requestBurst      requests a connection may send at once before the rate applies
 */
public record Plan(String name, int maxConnections, ConnectionPolicy onConnectionLimit, int maxSymbols,
                   Set<Channel> channels, int requestsPerSecond, int requestBurst) {

    public Plan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(onConnectionLimit, "onConnectionLimit");
        positive(maxConnections, "maxConnections", name);
        positive(maxSymbols, "maxSymbols", name);
        positive(requestsPerSecond, "requestsPerSecond", name);
        positive(requestBurst, "requestBurst", name);
        if (channels == null || channels.isEmpty()) {
            throw new IllegalArgumentException("plan " + name + ": channels must not be empty");
        }
        channels = Set.copyOf(EnumSet.copyOf(channels));
    }

    private static void positive(int value, String field, String plan) {
        if (value < 1) {
            throw new IllegalArgumentException("plan " + plan + ": " + field + " must be >= 1, was " + value);
        }
    }

    /** Whether the plan includes a channel. */
    public boolean allows(Channel channel) {
        return channels.contains(channel);
    }
}
