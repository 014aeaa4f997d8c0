package io.tickwire.model;

import java.util.Arrays;

/**
 * A batch of level changes to one instrument's order book, as a source publishes it: each change
 * sets the aggregate size at a price on one side, size 0 removing the level. The batch is applied
 * atomically: subscribers never see a book between two changes of one update.
 *
 * <p>Immutable (the arrays are copied in and never exposed for writing). With {@code replace}
 * set, the update is a full picture of the book: every level not in it is removed first.
 */
public final class BookUpdate implements MarketEvent {

    private final int instrumentId;
    private final long seq;
    private final long eventTime;
    private final boolean replace;
    private final byte[] sides;
    private final long[] prices;
    private final long[] sizes;

    private BookUpdate(int instrumentId, long seq, long eventTime, boolean replace, byte[] sides, long[] prices,
                       long[] sizes) {
        this.instrumentId = instrumentId;
        this.seq = seq;
        this.eventTime = eventTime;
        this.replace = replace;
        this.sides = sides;
        this.prices = prices;
        this.sizes = sizes;
    }

    /** A builder for an update of an instrument at a time. */
    public static Builder builder(int instrumentId, long eventTime) {
        return new Builder(instrumentId, eventTime);
    }

    @Override
    public int instrumentId() {
        return instrumentId;
    }

    @Override
    public Channel channel() {
        return Channel.BOOK;
    }

    @Override
    public long seq() {
        return seq;
    }

    @Override
    public long eventTime() {
        return eventTime;
    }

    /** Whether this update replaces the whole book. */
    public boolean replace() {
        return replace;
    }

    /** The number of level changes. */
    public int size() {
        return prices.length;
    }

    /** The side of the i-th change. */
    public BookSide side(int i) {
        return sides[i] == 0 ? BookSide.BID : BookSide.ASK;
    }

    /** The price of the i-th change (scaled). */
    public long price(int i) {
        return prices[i];
    }

    /** The new aggregate size of the i-th change (scaled); 0 removes the level. */
    public long levelSize(int i) {
        return sizes[i];
    }

    @Override
    public BookUpdate withSeq(long newSeq) {
        return new BookUpdate(instrumentId, newSeq, eventTime, replace, sides, prices, sizes);
    }

    /** This update at another event time. */
    public BookUpdate withEventTime(long newEventTime) {
        return new BookUpdate(instrumentId, seq, newEventTime, replace, sides, prices, sizes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BookUpdate b && instrumentId == b.instrumentId && seq == b.seq && eventTime == b.eventTime
                && replace == b.replace && Arrays.equals(sides, b.sides) && Arrays.equals(prices, b.prices)
                && Arrays.equals(sizes, b.sizes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + instrumentId * 17 + Arrays.hashCode(prices);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("BookUpdate[").append(instrumentId).append(" #").append(seq)
                .append(" @").append(eventTime).append(replace ? " replace" : "");
        for (int i = 0; i < prices.length; i++) {
            sb.append(' ').append(side(i).wireName()).append(' ').append(prices[i]).append('x').append(sizes[i]);
        }
        return sb.append(']').toString();
    }

    /** Collects changes; not thread-safe. */
    public static final class Builder {
        private final int instrumentId;
        private final long eventTime;
        private boolean replace;
        private byte[] sides = new byte[4];
        private long[] prices = new long[4];
        private long[] sizes = new long[4];
        private int count;

        private Builder(int instrumentId, long eventTime) {
            this.instrumentId = instrumentId;
            this.eventTime = eventTime;
        }

        /** Marks the update as a full picture of the book. */
        public Builder replace() {
            this.replace = true;
            return this;
        }

        /** Sets the size at a price (0 removes the level). A later change of the same level wins. */
        public Builder set(BookSide side, long price, long size) {
            if (count == prices.length) {
                sides = Arrays.copyOf(sides, count * 2);
                prices = Arrays.copyOf(prices, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
            }
            sides[count] = (byte) (side == BookSide.BID ? 0 : 1);
            prices[count] = price;
            sizes[count] = size;
            count++;
            return this;
        }

        /** The number of changes so far. */
        public int count() {
            return count;
        }

        public BookUpdate build() {
            return new BookUpdate(instrumentId, 0, eventTime, replace, Arrays.copyOf(sides, count),
                    Arrays.copyOf(prices, count), Arrays.copyOf(sizes, count));
        }
    }
}
