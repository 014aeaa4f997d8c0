package io.tickwire.engine.book;

import io.tickwire.model.BookChecksum;
import io.tickwire.model.BookSide;
import io.tickwire.model.DepthUpdate;
import java.util.Arrays;

/**
 * What one depth-limited book stream last showed its subscribers: the best {@code depth} levels
 * of each side, and the sequence number of the message that showed them.
 *
 * <p>{@link #advance} compares that view with the book's current top and produces the message
 * that turns one into the other: every level whose size changed, every level that appeared
 * (including levels that moved into the top because better ones went away) and, with size 0,
 * every level that left. A client that applies it and keeps the best {@code depth} levels holds
 * exactly the new view. Not thread-safe: owned by the partition thread.
 */
public final class DepthView {

    private static final long[][] NONE = {new long[0], new long[0]};

    private final int depth;
    private final int priceScale;
    private final int sizeScale;
    private long[] bidPrices;
    private long[] bidSizes;
    private long[] askPrices;
    private long[] askSizes;
    private int bidCount;
    private int askCount;
    private long seq;
    private long eventTime;
    private long checksum;

    // scratch for the book's current top, reused
    private final long[] topBidPrices;
    private final long[] topBidSizes;
    private final long[] topAskPrices;
    private final long[] topAskSizes;

    /** A view of the book's current top. */
    public DepthView(OrderBook book, int depth, int priceScale, int sizeScale, BookChecksum checksums) {
        this.depth = depth;
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
        this.bidPrices = new long[depth];
        this.bidSizes = new long[depth];
        this.askPrices = new long[depth];
        this.askSizes = new long[depth];
        this.topBidPrices = new long[depth];
        this.topBidSizes = new long[depth];
        this.topAskPrices = new long[depth];
        this.topAskSizes = new long[depth];
        this.bidCount = book.copyTop(BookSide.BID, depth, bidPrices, bidSizes);
        this.askCount = book.copyTop(BookSide.ASK, depth, askPrices, askSizes);
        this.seq = book.seq();
        this.eventTime = book.eventTime();
        this.checksum = checksums.of(bidPrices, bidSizes, bidCount, askPrices, askSizes, askCount, depth, priceScale, sizeScale);
    }

    public int depth() {
        return depth;
    }

    /** The sequence number of the message that showed the current view. */
    public long seq() {
        return seq;
    }

    /**
     * Moves the view to the book's current top.
     *
     * @return the message that does the same for a subscriber, or {@code null} if the top did not change
     */
    public DepthUpdate advance(OrderBook book, int instrumentId, BookChecksum checksums) {
        int newBids = book.copyTop(BookSide.BID, depth, topBidPrices, topBidSizes);
        int newAsks = book.copyTop(BookSide.ASK, depth, topAskPrices, topAskSizes);
        long[][] bidChanges = diff(bidPrices, bidSizes, bidCount, topBidPrices, topBidSizes, newBids, true);
        long[][] askChanges = diff(askPrices, askSizes, askCount, topAskPrices, topAskSizes, newAsks, false);
        if (bidChanges == null && askChanges == null) {
            return null;
        }
        System.arraycopy(topBidPrices, 0, bidPrices, 0, newBids);
        System.arraycopy(topBidSizes, 0, bidSizes, 0, newBids);
        System.arraycopy(topAskPrices, 0, askPrices, 0, newAsks);
        System.arraycopy(topAskSizes, 0, askSizes, 0, newAsks);
        bidCount = newBids;
        askCount = newAsks;
        long prevSeq = seq;
        seq = book.seq();
        eventTime = book.eventTime();
        checksum = checksums.of(bidPrices, bidSizes, bidCount, askPrices, askSizes, askCount, depth, priceScale, sizeScale);
        bidChanges = bidChanges == null ? NONE : bidChanges;
        askChanges = askChanges == null ? NONE : askChanges;
        return new DepthUpdate(instrumentId, seq, prevSeq, eventTime, depth, false, bidChanges[0], bidChanges[1],
                askChanges[0], askChanges[1], checksum);
    }

    /** The whole view as a snapshot message. */
    public DepthUpdate snapshot(int instrumentId) {
        return new DepthUpdate(instrumentId, seq, seq, eventTime, depth, true,
                Arrays.copyOf(bidPrices, bidCount), Arrays.copyOf(bidSizes, bidCount),
                Arrays.copyOf(askPrices, askCount), Arrays.copyOf(askSizes, askCount), checksum);
    }

    /**
     * The changes from an old side to a new side (both best first), as {prices, sizes}, or
     * {@code null} if they are equal. Levels gone from the new side come with size 0.
     */
    private static long[][] diff(long[] oldPrices, long[] oldSizes, int oldCount, long[] newPrices, long[] newSizes,
                                 int newCount, boolean descending) {
        int changes = 0;
        int i = 0;
        int j = 0;
        // first pass: count, so the message arrays are allocated once at their exact size
        while (i < oldCount || j < newCount) {
            int order = compare(i < oldCount, j < newCount, i < oldCount ? oldPrices[i] : 0,
                    j < newCount ? newPrices[j] : 0, descending);
            if (order == 0) {
                if (oldSizes[i] != newSizes[j]) {
                    changes++;
                }
                i++;
                j++;
            } else {
                changes++;
                if (order < 0) {
                    i++;
                } else {
                    j++;
                }
            }
        }
        if (changes == 0) {
            return null;
        }
        long[] prices = new long[changes];
        long[] sizes = new long[changes];
        int n = 0;
        i = 0;
        j = 0;
        while (i < oldCount || j < newCount) {
            int order = compare(i < oldCount, j < newCount, i < oldCount ? oldPrices[i] : 0,
                    j < newCount ? newPrices[j] : 0, descending);
            if (order == 0) {
                if (oldSizes[i] != newSizes[j]) {
                    prices[n] = newPrices[j];
                    sizes[n++] = newSizes[j];
                }
                i++;
                j++;
            } else if (order < 0) {
                prices[n] = oldPrices[i++];
                sizes[n++] = 0;
            } else {
                prices[n] = newPrices[j];
                sizes[n++] = newSizes[j++];
            }
        }
        return new long[][] {prices, sizes};
    }

    /** Which comes first in best-first order: the old level (&lt;0), the new one (&gt;0), or the same price (0). */
    private static int compare(boolean hasOld, boolean hasNew, long oldPrice, long newPrice, boolean descending) {
        if (!hasNew) {
            return -1;
        }
        if (!hasOld) {
            return 1;
        }
        if (oldPrice == newPrice) {
            return 0;
        }
        boolean oldFirst = descending ? oldPrice > newPrice : oldPrice < newPrice;
        return oldFirst ? -1 : 1;
    }
}
