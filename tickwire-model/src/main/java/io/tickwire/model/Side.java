package io.tickwire.model;

/** The aggressor side of a trade: the side whose order crossed the spread. */
public enum Side {
    BUY("buy"),
    SELL("sell");

    private final String wireName;

    Side(String wireName) {
        this.wireName = wireName;
    }

    /** {@code "buy"} or {@code "sell"}. */
    public String wireName() {
        return wireName;
    }

    /** Parses {@code "buy"} or {@code "sell"}; returns {@code null} for anything else. */
    public static Side fromWire(String name) {
        if ("buy".equals(name)) {
            return BUY;
        }
        if ("sell".equals(name)) {
            return SELL;
        }
        return null;
    }
}
