package io.tickwire.feeds.simulator;

/**
 * One side of a simulated order book: up to {@code capacity} price levels, best first, each with a
 * positive size. Every change goes through {@link #set(long, long)} and is reported to the
 * {@link LevelListener}, so the listener can rebuild the ladder exactly.
 *
 * <p>Not thread-safe: owned by the thread driving its simulator. Invariants: prices strictly
 * ordered (descending for bids, ascending for asks), all prices and sizes positive.
 */
final class PriceLadder {

    private final int instrumentId;
    private final BookSide side;
    private final LevelListener listener;
    private final long[] prices;
    private final long[] sizes;
    private int count;

    PriceLadder(int instrumentId, BookSide side, int capacity, LevelListener listener) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.instrumentId = instrumentId;
        this.side = side;
        this.listener = listener;
        this.prices = new long[capacity];
        this.sizes = new long[capacity];
    }

    BookSide side() {
        return side;
    }

    /** The number of levels, 0 to {@link #capacity()}. */
    int count() {
        return count;
    }

    int capacity() {
        return prices.length;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The price of a level, 0 being the best. */
    long price(int level) {
        checkLevel(level);
        return prices[level];
    }

    /** The size of a level, 0 being the best. */
    long size(int level) {
        checkLevel(level);
        return sizes[level];
    }

    /** The best price, or 0 if the side is empty. */
    long bestPrice() {
        return count == 0 ? 0 : prices[0];
    }

    /** The size at the best price, or 0 if the side is empty. */
    long bestSize() {
        return count == 0 ? 0 : sizes[0];
    }

    /** The price of the worst level kept, or 0 if the side is empty. */
    long worstPrice() {
        return count == 0 ? 0 : prices[count - 1];
    }

    /** The size resting at a price, 0 if there is no level there. */
    long sizeAt(long price) {
        int at = indexOf(price);
        return at < count && prices[at] == price ? sizes[at] : 0;
    }

    /**
     * Sets the size resting at a price: replaces an existing level, removes it when {@code size}
     * is 0, or inserts a new level in price order. When the ladder is full a new level better
     * than the worst pushes the worst out (reported as removed); one worse than all is ignored.
     *
     * @return true if the ladder changed
     */
    boolean set(long price, long size) {
        if (price <= 0) {
            throw new IllegalArgumentException(side + " price must be positive: " + price);
        }
        if (size < 0) {
            throw new IllegalArgumentException(side + " size must not be negative: " + size);
        }
        int at = indexOf(price);
        if (at < count && prices[at] == price) {
            if (size == 0) {
                System.arraycopy(prices, at + 1, prices, at, count - at - 1);
                System.arraycopy(sizes, at + 1, sizes, at, count - at - 1);
                count--;
            } else if (sizes[at] == size) {
                return false;
            } else {
                sizes[at] = size;
            }
            listener.level(instrumentId, side, price, size);
            return true;
        }
        if (size == 0) {
            return false;
        }
        if (count == prices.length) {
            if (at == count) {
                return false;
            }
            count--;
            listener.level(instrumentId, side, prices[count], 0);
        }
        System.arraycopy(prices, at, prices, at + 1, count - at);
        System.arraycopy(sizes, at, sizes, at + 1, count - at);
        prices[at] = price;
        sizes[at] = size;
        count++;
        listener.level(instrumentId, side, price, size);
        return true;
    }

    /** The index of the first level at or worse than {@code price}; {@code count} if none. */
    private int indexOf(long price) {
        int at = 0;
        while (at < count && side.isBetter(prices[at], price)) {
            at++;
        }
        return at;
    }

    private void checkLevel(int level) {
        if (level < 0 || level >= count) {
            throw new IndexOutOfBoundsException(side + " level " + level + " of " + count);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(side.name()).append('[');
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ", ").append(sizes[i]).append('@').append(prices[i]);
        }
        return text.append(']').toString();
    }
}
