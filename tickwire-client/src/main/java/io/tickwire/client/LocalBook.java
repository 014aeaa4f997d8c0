package io.tickwire.client;

import io.tickwire.model.BookChecksum;
import io.tickwire.model.Decimals;
import io.tickwire.protocol.v1.ServerMessage;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * One instrument's book as the client keeps it from a depth-limited book stream: replaced by a
 * snapshot, then changed by each message that follows the last one applied, truncated to the
 * stream's depth, and checked against the server's checksum. Prices and sizes are scaled
 * {@code long}s at the instrument's scales; sides are sorted arrays, best first.
 *
 * <p>Once a message does not follow, or the checksum differs, the book is out of sync and ignores
 * everything but a snapshot. Not thread-safe: confined to the client's I/O thread; what other
 * threads see is the immutable {@link BookView} it makes.
 */
final class LocalBook {

    /** What {@link #apply} did with a message. */
    enum Outcome {
        /** Applied; the book is exact. */
        APPLIED,
        /** Not applied: its number is not after the last one applied (a duplicate or late message). */
        DUPLICATE,
        /** Not applied: the book is out of sync and waits for a snapshot. */
        WAITING_FOR_SNAPSHOT,
        /** Not applied: it does not follow the last message applied; the book is now out of sync. */
        GAP,
        /** Applied, but the checksum differs (or the message could not be read); the book is now out of sync. */
        CHECKSUM_MISMATCH
    }

    private final String symbol;
    private final int priceScale;
    private final int sizeScale;
    private final Levels bids = new Levels(true);
    private final Levels asks = new Levels(false);
    private int depth;
    private long seq = -1;
    private long eventTime;
    private long checksum;
    private boolean inSync;
    private String problem;

    LocalBook(String symbol, int priceScale, int sizeScale) {
        this.symbol = symbol;
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
    }

    int priceScale() {
        return priceScale;
    }

    int sizeScale() {
        return sizeScale;
    }

    long seq() {
        return seq;
    }

    boolean inSync() {
        return inSync;
    }

    /** What went wrong with the last message that took the book out of sync, for logs. */
    String problem() {
        return problem;
    }

    /** Marks the book out of sync (the connection was lost, or the server announced a gap). */
    void lose() {
        inSync = false;
    }

    Outcome apply(ServerMessage.Book m, BookChecksum checksums) {
        if (!m.snapshot()) {
            if (!inSync) {
                return Outcome.WAITING_FOR_SNAPSHOT;
            }
            if (m.seq() <= seq) {
                return Outcome.DUPLICATE;
            }
            if (m.prevSeq() > seq || m.depth() != depth) {
                inSync = false;
                problem = m.depth() != depth
                        ? "message #" + m.seq() + " has depth " + m.depth() + ", the book " + depth
                        : "message #" + m.seq() + " follows #" + m.prevSeq() + ", the last applied is #" + seq;
                return Outcome.GAP;
            }
        } else {
            bids.clear();
            asks.clear();
        }
        depth = m.depth();
        seq = m.seq();
        eventTime = m.ts();
        try {
            set(bids, m.bids());
            set(asks, m.asks());
        } catch (ArithmeticException e) {
            inSync = false;
            problem = "message #" + m.seq() + " has a price or size with more places than the instrument's";
            return Outcome.CHECKSUM_MISMATCH;
        }
        bids.truncate(depth);
        asks.truncate(depth);
        checksum = checksums.of(bids.prices, bids.sizes, bids.count, asks.prices, asks.sizes, asks.count, depth,
                priceScale, sizeScale);
        if (checksum != m.checksum()) {
            inSync = false;
            problem = "checksum after #" + m.seq() + " is " + checksum + ", the server's " + m.checksum();
            return Outcome.CHECKSUM_MISMATCH;
        }
        inSync = true;
        problem = null;
        return Outcome.APPLIED;
    }

    private void set(Levels side, List<ServerMessage.Level> levels) {
        for (ServerMessage.Level l : levels) {
            side.set(scaled(l.price(), priceScale), scaled(l.size(), sizeScale));
        }
    }

    private static long scaled(BigDecimal value, int scale) {
        return Decimals.fromBigDecimal(value, scale);
    }

    /** An immutable copy of the book's top for readers on any thread. */
    BookView view(String shownSymbol) {
        int b = Math.min(bids.count, depth);
        int a = Math.min(asks.count, depth);
        return new BookView(shownSymbol, seq, depth, inSync, eventTime, checksum, priceScale, sizeScale,
                Arrays.copyOf(bids.prices, b), Arrays.copyOf(bids.sizes, b), Arrays.copyOf(asks.prices, a),
                Arrays.copyOf(asks.sizes, a));
    }

    @Override
    public String toString() {
        return "LocalBook[" + symbol + " #" + seq + (inSync ? "" : " out of sync") + "]";
    }

    /** One side: prices sorted best first (descending for bids), with their sizes. */
    static final class Levels {
        private final boolean descending;
        long[] prices = new long[16];
        long[] sizes = new long[16];
        int count;

        Levels(boolean descending) {
            this.descending = descending;
        }

        void clear() {
            count = 0;
        }

        /** Sets the size at a price; 0 removes the level (a level not there is left alone). */
        void set(long price, long size) {
            int i = find(price);
            if (i >= 0) {
                if (size == 0) {
                    System.arraycopy(prices, i + 1, prices, i, count - i - 1);
                    System.arraycopy(sizes, i + 1, sizes, i, count - i - 1);
                    count--;
                } else {
                    sizes[i] = size;
                }
                return;
            }
            if (size == 0) {
                return;
            }
            int at = -i - 1;
            if (count == prices.length) {
                prices = Arrays.copyOf(prices, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
            }
            System.arraycopy(prices, at, prices, at + 1, count - at);
            System.arraycopy(sizes, at, sizes, at + 1, count - at);
            prices[at] = price;
            sizes[at] = size;
            count++;
        }

        void truncate(int depth) {
            count = Math.min(count, depth);
        }

        /** The index of the price, or {@code -(insertion point) - 1}, in best-first order. */
        private int find(long price) {
            int lo = 0;
            int hi = count - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long p = prices[mid];
                if (p == price) {
                    return mid;
                }
                boolean before = descending ? p > price : p < price;
                if (before) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return -(lo + 1);
        }
    }
}
