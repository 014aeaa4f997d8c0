package io.tickwire.feeds.simulator;

/**
 * Hears every change of a simulated book's price levels, in the order they happen: the seam where
 * order-book events will be emitted. Called on the simulating thread; must not modify the book.
 */
@FunctionalInterface
interface LevelListener {

    /** Ignores every change. */
    LevelListener NONE = (instrumentId, side, price, size) -> { };

    /**
     * The level at {@code price} on {@code side} now holds {@code size}; a size of 0 means the
     * level was removed.
     */
    void level(int instrumentId, BookSide side, long price, long size);
}
