package io.tickwire.model;

/** A side of an order book. */
public enum BookSide {
    /** Buy orders, best (highest) price first. */
    BID,
    /** Sell orders, best (lowest) price first. */
    ASK;

    /** {@code bid} or {@code ask}. */
    public String wireName() {
        return this == BID ? "bid" : "ask";
    }
}
