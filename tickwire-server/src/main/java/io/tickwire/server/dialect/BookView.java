package io.tickwire.server.dialect;

import io.tickwire.model.DepthUpdate;
import java.util.Arrays;

/**
 * The whole top-of-book view of one depth-limited book stream, kept from its messages (snapshots
 * replace it, changes are applied and the view trimmed to the stream's depth), for dialects that
 * send every level on every update (iTick depth, TickTrader FeedTick).
 *
 * <p>Owned by one encoder, so by one partition thread. Bounded by the stream's depth plus one
 * message's changes per side.
 */
public final class BookView {

    private long[] bidPrices = new long[0];
    private long[] bidSizes = new long[0];
    private long[] askPrices = new long[0];
    private long[] askSizes = new long[0];
    private int bids;
    private int asks;

    /**
     * Applies a stream message: a snapshot replaces the view, changes update it. The changes are
     * applied all before the view is cut to the stream's depth, as the model says: a level added
     * before another is removed must not push out one that stays.
     */
    public void apply(DepthUpdate update) {
        int depth = update.depth();
        int room = depth + Math.max(update.bidCount(), update.askCount());
        if (bidPrices.length < room) {
            bidPrices = Arrays.copyOf(bidPrices, room);
            bidSizes = Arrays.copyOf(bidSizes, room);
            askPrices = Arrays.copyOf(askPrices, room);
            askSizes = Arrays.copyOf(askSizes, room);
        }
        if (update.snapshot()) {
            bids = 0;
            asks = 0;
        }
        for (int i = 0; i < update.bidCount(); i++) {
            bids = set(bidPrices, bidSizes, bids, update.bidPrice(i), update.bidSize(i), true);
        }
        for (int i = 0; i < update.askCount(); i++) {
            asks = set(askPrices, askSizes, asks, update.askPrice(i), update.askSize(i), false);
        }
        bids = Math.min(bids, depth);
        asks = Math.min(asks, depth);
    }

    /** Sets one level (size 0 removes it) in a side of {@code count} levels; returns the new count. */
    private static int set(long[] prices, long[] sizes, int count, long price, long size, boolean descending) {
        int i = 0;
        while (i < count && (descending ? prices[i] > price : prices[i] < price)) {
            i++;
        }
        if (i < count && prices[i] == price) {
            if (size == 0) {
                System.arraycopy(prices, i + 1, prices, i, count - i - 1);
                System.arraycopy(sizes, i + 1, sizes, i, count - i - 1);
                return count - 1;
            }
            sizes[i] = size;
            return count;
        }
        if (size == 0) {
            return count;
        }
        System.arraycopy(prices, i, prices, i + 1, count - i);
        System.arraycopy(sizes, i, sizes, i + 1, count - i);
        prices[i] = price;
        sizes[i] = size;
        return count + 1;
    }

    public int bidCount() {
        return bids;
    }

    public int askCount() {
        return asks;
    }

    public long bidPrice(int i) {
        return bidPrices[i];
    }

    public long bidSize(int i) {
        return bidSizes[i];
    }

    public long askPrice(int i) {
        return askPrices[i];
    }

    public long askSize(int i) {
        return askSizes[i];
    }
}
