package io.tickwire.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A read-only picture of one instrument's order book as the client holds it: the best
 * {@link #depth()} levels of each side after the message numbered {@link #seq()}.
 *
 * <p>Immutable and thread-safe: the client publishes a new view after every change and never
 * touches one it has published, so a view may be read from any thread, kept, and compared with
 * later ones. {@link TickwireClient#book(String)} returns the latest.
 *
 * <p>When {@link #inSync()} is true the levels equal the server's view of the stream exactly: the
 * client checked the sequence and the server's checksum. When false the book is being
 * resynchronised (see {@link BookResync}) and the levels are the last exact ones, no longer
 * current.
 */
public final class BookView {

    private final String symbol;
    private final long seq;
    private final int depth;
    private final boolean inSync;
    private final long eventTimeMicros;
    private final long checksum;
    private final int priceScale;
    private final int sizeScale;
    private final long[] bidPrices;
    private final long[] bidSizes;
    private final long[] askPrices;
    private final long[] askSizes;

    /** Takes ownership of the arrays (best first, exactly as long as the side): the caller must not keep them. */
    BookView(String symbol, long seq, int depth, boolean inSync, long eventTimeMicros, long checksum, int priceScale,
             int sizeScale, long[] bidPrices, long[] bidSizes, long[] askPrices, long[] askSizes) {
        this.symbol = symbol;
        this.seq = seq;
        this.depth = depth;
        this.inSync = inSync;
        this.eventTimeMicros = eventTimeMicros;
        this.checksum = checksum;
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
        this.bidPrices = bidPrices;
        this.bidSizes = bidSizes;
        this.askPrices = askPrices;
        this.askSizes = askSizes;
    }

    /** The same levels, marked out of sync. */
    BookView outOfSync() {
        return inSync ? new BookView(symbol, seq, depth, false, eventTimeMicros, checksum, priceScale, sizeScale,
                bidPrices, bidSizes, askPrices, askSizes) : this;
    }

    /** The instrument's symbol as the server spells it. */
    public String symbol() {
        return symbol;
    }

    /** The sequence number of the last book message applied (the last source update it includes). */
    public long seq() {
        return seq;
    }

    /** The subscribed depth: levels per side the book holds at most. */
    public int depth() {
        return depth;
    }

    /** Whether the levels are exactly the server's now, or the book is being resynchronised. */
    public boolean inSync() {
        return inSync;
    }

    /** When the last update included happened, microseconds since the epoch (UTC). */
    public long eventTimeMicros() {
        return eventTimeMicros;
    }

    /** {@link #eventTimeMicros()} as an instant. */
    public Instant eventTime() {
        return WireValues.instant(eventTimeMicros);
    }

    /** The server's checksum of these levels (see the protocol), which the client verified. */
    public long checksum() {
        return checksum;
    }

    /** The bids, best (highest) first; a new unmodifiable list on every call. */
    public List<BookLevel> bids() {
        return levels(bidPrices, bidSizes);
    }

    /** The asks, best (lowest) first; a new unmodifiable list on every call. */
    public List<BookLevel> asks() {
        return levels(askPrices, askSizes);
    }

    /** The best bid, or {@code null} if there are no bids. */
    public BookLevel bestBid() {
        return bidPrices.length == 0 ? null : level(bidPrices[0], bidSizes[0]);
    }

    /** The best ask, or {@code null} if there are no asks. */
    public BookLevel bestAsk() {
        return askPrices.length == 0 ? null : level(askPrices[0], askSizes[0]);
    }

    /** Best ask minus best bid, or {@code null} if a side is empty. */
    public BigDecimal spread() {
        if (bidPrices.length == 0 || askPrices.length == 0) {
            return null;
        }
        return BigDecimal.valueOf(askPrices[0] - bidPrices[0], priceScale);
    }

    private List<BookLevel> levels(long[] prices, long[] sizes) {
        List<BookLevel> out = new ArrayList<>(prices.length);
        for (int i = 0; i < prices.length; i++) {
            out.add(level(prices[i], sizes[i]));
        }
        return Collections.unmodifiableList(out);
    }

    private BookLevel level(long price, long size) {
        return new BookLevel(BigDecimal.valueOf(price, priceScale), BigDecimal.valueOf(size, sizeScale));
    }

    @Override
    public String toString() {
        return "BookView[" + symbol + " #" + seq + (inSync ? "" : " out of sync") + " depth " + depth + " bids "
                + bids() + " asks " + asks() + "]";
    }
}
