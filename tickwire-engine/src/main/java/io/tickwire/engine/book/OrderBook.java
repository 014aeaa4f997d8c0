package io.tickwire.engine.book;

import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import java.util.Arrays;

/**
 * A level-2 order book of one instrument: the aggregate size at each price, per side, best first,
 * keeping at most {@code capacity} levels a side (deeper levels a source sends are dropped, so a
 * source should publish at least the depth clients may ask for).
 *
 * <p>Prices are sorted primitive arrays (bids descending, asks ascending): lookups are binary
 * searches and inserts shift a few dozen longs, so updates allocate nothing. A change that would
 * cross the book removes the opposite levels it crosses (they must have traded away); such
 * corrections are counted. Not thread-safe: owned by its partition thread.
 */
public final class OrderBook {

    private final int capacity;
    private final long[] bidPrices;
    private final long[] bidSizes;
    private final long[] askPrices;
    private final long[] askSizes;
    private int bidCount;
    private int askCount;
    private long seq;
    private long eventTime;
    private long uncrossed;

    public OrderBook(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.bidPrices = new long[capacity];
        this.bidSizes = new long[capacity];
        this.askPrices = new long[capacity];
        this.askSizes = new long[capacity];
    }

    /** Applies a sequenced update atomically (all its changes, then its sequence number and time). */
    public void apply(BookUpdate update) {
        if (update.replace()) {
            bidCount = 0;
            askCount = 0;
        }
        for (int i = 0; i < update.size(); i++) {
            set(update.side(i), update.price(i), update.levelSize(i));
        }
        seq = update.seq();
        eventTime = update.eventTime();
    }

    /** Sets the size at a price; 0 removes the level. Prices must be positive. */
    public void set(BookSide side, long price, long size) {
        if (side == BookSide.BID) {
            bidCount = setLevel(bidPrices, bidSizes, bidCount, price, size, true);
            if (size > 0) {
                while (askCount > 0 && askPrices[0] <= price) {
                    removeAt(askPrices, askSizes, askCount--, 0);
                    uncrossed++;
                }
            }
        } else {
            askCount = setLevel(askPrices, askSizes, askCount, price, size, false);
            if (size > 0) {
                while (bidCount > 0 && bidPrices[0] >= price) {
                    removeAt(bidPrices, bidSizes, bidCount--, 0);
                    uncrossed++;
                }
            }
        }
    }

    /** Sets a level in one side's arrays; returns the new count. */
    private int setLevel(long[] prices, long[] sizes, int count, long price, long size, boolean descending) {
        int i = search(prices, count, price, descending);
        if (i >= 0) {
            if (size == 0) {
                removeAt(prices, sizes, count, i);
                return count - 1;
            }
            sizes[i] = size;
            return count;
        }
        if (size == 0) {
            return count; // removing a level that is not there
        }
        int at = -i - 1;
        if (at >= capacity) {
            return count; // deeper than the book keeps
        }
        int moved = Math.min(count, capacity - 1) - at;
        if (moved > 0) {
            System.arraycopy(prices, at, prices, at + 1, moved);
            System.arraycopy(sizes, at, sizes, at + 1, moved);
        }
        prices[at] = price;
        sizes[at] = size;
        return Math.min(count + 1, capacity);
    }

    private static void removeAt(long[] prices, long[] sizes, int count, int i) {
        int moved = count - i - 1;
        if (moved > 0) {
            System.arraycopy(prices, i + 1, prices, i, moved);
            System.arraycopy(sizes, i + 1, sizes, i, moved);
        }
    }

    /** Binary search in best-first order; like {@link Arrays#binarySearch}: index, or -(insertion point) - 1. */
    private static int search(long[] prices, int count, long price, boolean descending) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long p = prices[mid];
            boolean before = descending ? p > price : p < price;
            if (p == price) {
                return mid;
            } else if (before) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -(lo + 1);
    }

    /** Removes every level. */
    public void clear() {
        bidCount = 0;
        askCount = 0;
    }

    public int bidCount() {
        return bidCount;
    }

    public int askCount() {
        return askCount;
    }

    /** The i-th best bid price, {@code 0 <= i < bidCount()}. */
    public long bidPrice(int i) {
        return bidPrices[i];
    }

    public long bidSize(int i) {
        return bidSizes[i];
    }

    /** The i-th best ask price, {@code 0 <= i < askCount()}. */
    public long askPrice(int i) {
        return askPrices[i];
    }

    public long askSize(int i) {
        return askSizes[i];
    }

    /** The sequence number of the last update applied (0 before any). */
    public long seq() {
        return seq;
    }

    /** The event time of the last update applied. */
    public long eventTime() {
        return eventTime;
    }

    /** The most levels kept per side. */
    public int capacity() {
        return capacity;
    }

    /** Levels removed so far because a change crossed the book. */
    public long uncrossedLevels() {
        return uncrossed;
    }

    /**
     * Copies the best {@code depth} levels of a side into the arrays given.
     *
     * @return the number of levels copied
     */
    public int copyTop(BookSide side, int depth, long[] prices, long[] sizes) {
        int n = Math.min(depth, side == BookSide.BID ? bidCount : askCount);
        System.arraycopy(side == BookSide.BID ? bidPrices : askPrices, 0, prices, 0, n);
        System.arraycopy(side == BookSide.BID ? bidSizes : askSizes, 0, sizes, 0, n);
        return n;
    }

    @Override
    public String toString() {
        return "OrderBook[#" + seq + " bids " + bidCount + " asks " + askCount + "]";
    }
}
