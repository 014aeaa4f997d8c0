package io.tickwire.model;

import java.util.Arrays;

/**
 * One message of a depth-limited order-book stream: either a snapshot of the top {@code depth}
 * levels of each side, or the changes that turn the stream's previous view into its new one.
 *
 * <p>A client applies each change (price → size, size 0 removes the level) and then keeps only
 * the best {@code depth} levels of each side; its view then equals the server's exactly, which the
 * {@linkplain BookChecksum checksum} lets it verify. {@code seq} is the number of the last source
 * update included; {@code prevSeq} the {@code seq} of the stream's previous message, so a client
 * holding {@code lastSeq} is in sync when {@code prevSeq <= lastSeq < seq}.
 *
 * <p>Immutable; the arrays are never exposed for writing. Bids best (highest) first, asks best
 * (lowest) first.
 */
public final class DepthUpdate implements StreamMessage {

    private final int instrumentId;
    private final long seq;
    private final long prevSeq;
    private final long eventTime;
    private final int depth;
    private final boolean snapshot;
    private final long[] bidPrices;
    private final long[] bidSizes;
    private final long[] askPrices;
    private final long[] askSizes;
    private final long checksum;

    /** The arrays are taken over, not copied: callers hand in arrays they no longer touch. */
    public DepthUpdate(int instrumentId, long seq, long prevSeq, long eventTime, int depth, boolean snapshot,
                       long[] bidPrices, long[] bidSizes, long[] askPrices, long[] askSizes, long checksum) {
        this.instrumentId = instrumentId;
        this.seq = seq;
        this.prevSeq = prevSeq;
        this.eventTime = eventTime;
        this.depth = depth;
        this.snapshot = snapshot;
        this.bidPrices = bidPrices;
        this.bidSizes = bidSizes;
        this.askPrices = askPrices;
        this.askSizes = askSizes;
        this.checksum = checksum;
    }

    @Override
    public int instrumentId() {
        return instrumentId;
    }

    @Override
    public long seq() {
        return seq;
    }

    /** The {@code seq} of the stream's previous message (0 if none). */
    public long prevSeq() {
        return prevSeq;
    }

    /** When the last included source update happened, microseconds since the epoch. */
    public long eventTime() {
        return eventTime;
    }

    /** The number of levels per side this stream keeps. */
    public int depth() {
        return depth;
    }

    /** Whether this is a full picture (replace everything) rather than changes. */
    public boolean snapshot() {
        return snapshot;
    }

    /** The checksum of the view after applying this message (see {@link BookChecksum}). */
    public long checksum() {
        return checksum;
    }

    public int bidCount() {
        return bidPrices.length;
    }

    public long bidPrice(int i) {
        return bidPrices[i];
    }

    public long bidSize(int i) {
        return bidSizes[i];
    }

    public int askCount() {
        return askPrices.length;
    }

    public long askPrice(int i) {
        return askPrices[i];
    }

    public long askSize(int i) {
        return askSizes[i];
    }

    /** This message as the answer to a snapshot request or a new subscriber: same content, marked. */
    public DepthUpdate asSnapshotOf(long newPrevSeq) {
        return new DepthUpdate(instrumentId, seq, newPrevSeq, eventTime, depth, true, bidPrices, bidSizes, askPrices,
                askSizes, checksum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DepthUpdate d && instrumentId == d.instrumentId && seq == d.seq && prevSeq == d.prevSeq
                && eventTime == d.eventTime && depth == d.depth && snapshot == d.snapshot && checksum == d.checksum
                && Arrays.equals(bidPrices, d.bidPrices) && Arrays.equals(bidSizes, d.bidSizes)
                && Arrays.equals(askPrices, d.askPrices) && Arrays.equals(askSizes, d.askSizes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Long.hashCode(checksum);
    }

    @Override
    public String toString() {
        return "DepthUpdate[" + instrumentId + " #" + seq + " prev " + prevSeq + " depth " + depth
                + (snapshot ? " snapshot" : "") + " bids " + levels(bidPrices, bidSizes) + " asks "
                + levels(askPrices, askSizes) + " crc " + checksum + "]";
    }

    private static String levels(long[] prices, long[] sizes) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < prices.length; i++) {
            sb.append(i == 0 ? "" : " ").append(prices[i]).append('x').append(sizes[i]);
        }
        return sb.append(']').toString();
    }
}
