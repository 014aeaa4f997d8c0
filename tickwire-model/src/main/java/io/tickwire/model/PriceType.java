package io.tickwire.model;

import java.util.Locale;

/** Which price a bar is built from: the best bid, the best ask, or the last trade. */
public enum PriceType {
    BID,
    ASK,
    LAST;

    /** {@code bid}, {@code ask} or {@code last}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code Bid}, {@code Ask} or {@code Last}, as TickTrader writes them. */
    public String tickTraderName() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }

    /** Parses a name case-insensitively, or returns {@code null}. */
    public static PriceType fromWire(String name) {
        for (PriceType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
