package io.tickwire.feeds.simulator;

/** A side of an order book: resting buy orders (bids) or resting sell orders (asks). */
enum BookSide {
    BID,
    ASK;

    /** True if {@code a} is a better price than {@code b} on this side: higher for bids, lower for asks. */
    boolean isBetter(long a, long b) {
        return this == BID ? a > b : a < b;
    }

    /** The price {@code ticks} away from {@code price} towards the back of this side's queue. */
    long deeper(long price, long ticks) {
        return this == BID ? price - ticks : price + ticks;
    }

    /** The price {@code ticks} away from {@code price} towards the other side. */
    long better(long price, long ticks) {
        return this == BID ? price + ticks : price - ticks;
    }
}
