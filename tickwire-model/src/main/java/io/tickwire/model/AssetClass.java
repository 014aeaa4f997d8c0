package io.tickwire.model;

import java.util.Locale;

/** The broad kind of an instrument; decides its trading hours and which clusters carry it. */
public enum AssetClass {
    /** Crypto pairs such as BTCUSDT: trade around the clock, every day. */
    CRYPTO,
    /** Foreign-exchange pairs such as EURUSD: trade from Sunday evening to Friday evening, New York time. */
    FX,
    /** US equities such as AAPL: trade in the exchange session on weekdays. */
    EQUITY;

    /** The lower-case name used on the wire and in configuration, e.g. {@code "crypto"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name case-insensitively; returns {@code null} for an unknown name. */
    public static AssetClass fromWire(String name) {
        for (AssetClass c : values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }
}
