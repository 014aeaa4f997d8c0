package io.tickwire.auth;

import java.util.Locale;

/**
 * What the server does with a connection of this plan that cannot keep up with its data.
 * Carried from configuration through the {@link Plan} to the session; how conflation works is the
 * fan-out's business.
 */
public enum SlowConsumerPolicy {
    /** Close the connection with 4004 "slow consumer" (as iTick does). The default. */
    DISCONNECT,
    /** Keep only the latest value per stream while the connection is behind. */
    CONFLATE;

    /** The name used in configuration and on the wire, e.g. {@code "disconnect"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name; {@code null} for an unknown one. */
    public static SlowConsumerPolicy fromWire(String name) {
        for (SlowConsumerPolicy p : values()) {
            if (p.wireName().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
