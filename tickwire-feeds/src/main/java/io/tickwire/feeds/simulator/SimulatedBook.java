package io.tickwire.feeds.simulator;

import io.tickwire.model.Instrument;

/**
 * The synthetic level-2 book of one instrument: a bid and an ask {@link PriceLadder}, plus the fair
 * value the simulated market makers quote around. Its top is what the simulator's quotes show.
 *
 * <p>Not thread-safe: owned by the thread driving its simulator. The simulator keeps both sides
 * non-empty and uncrossed (best bid below best ask) between events.
 */
final class SimulatedBook {

    private final Instrument instrument;
    private final PriceLadder bids;
    private final PriceLadder asks;
    /** The price, in ticks, around which the book is quoted; moves by a random walk. */
    private double fairValue;
    /** The event time of the last step of this book, microseconds; {@link Long#MIN_VALUE} before the first. */
    private long lastStepMicros = Long.MIN_VALUE;

    SimulatedBook(Instrument instrument, int depth, double fairValue, LevelListener listener) {
        this.instrument = instrument;
        this.bids = new PriceLadder(instrument.id(), BookSide.BID, depth, listener);
        this.asks = new PriceLadder(instrument.id(), BookSide.ASK, depth, listener);
        this.fairValue = fairValue;
    }

    Instrument instrument() {
        return instrument;
    }

    PriceLadder bids() {
        return bids;
    }

    PriceLadder asks() {
        return asks;
    }

    PriceLadder side(BookSide side) {
        return side == BookSide.BID ? bids : asks;
    }

    double fairValue() {
        return fairValue;
    }

    void fairValue(double value) {
        this.fairValue = value;
    }

    long lastStepMicros() {
        return lastStepMicros;
    }

    void lastStepMicros(long micros) {
        this.lastStepMicros = micros;
    }

    /** The mid between the best bid and ask in ticks, or the fair value if a side is empty. */
    double mid() {
        return bids.isEmpty() || asks.isEmpty() ? fairValue : (bids.bestPrice() + asks.bestPrice()) / 2.0;
    }

    boolean isCrossed() {
        return !bids.isEmpty() && !asks.isEmpty() && bids.bestPrice() >= asks.bestPrice();
    }

    @Override
    public String toString() {
        return instrument.symbol() + " " + bids + " " + asks;
    }
}
