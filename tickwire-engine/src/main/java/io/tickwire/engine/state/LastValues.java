package io.tickwire.engine.state;

import io.tickwire.model.Quote;
import io.tickwire.model.Trade;

/**
 * The last-value cache of one partition: per instrument the current quote, filled in with the
 * last trade price and the volume traded in the current UTC day.
 *
 * <p>Owned by the partition thread. A new subscriber's first quote comes from here, so it does
 * not wait for the market to move.
 */
public final class LastValues {

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final Quote[] quotes;
    private final Quote[] previous;
    private final long[] lastPrice;
    private final long[] volume;
    private final long[] volumeDay;

    public LastValues(int instruments) {
        this.quotes = new Quote[instruments];
        this.previous = new Quote[instruments];
        this.lastPrice = new long[instruments];
        this.volume = new long[instruments];
        this.volumeDay = new long[instruments];
    }

    /** Records a trade: it becomes the last price and adds to the day's volume. */
    public void onTrade(Trade trade) {
        int id = trade.instrumentId();
        rollDay(id, trade.eventTime());
        lastPrice[id] = trade.price();
        volume[id] += trade.size();
    }

    /**
     * Records a new top of book and returns the quote to publish: the source's bid and ask with
     * the engine's last price and day volume.
     */
    public Quote onQuote(Quote quote) {
        int id = quote.instrumentId();
        rollDay(id, quote.eventTime());
        Quote filled = quote.withLast(lastPrice[id], volume[id]);
        previous[id] = quotes[id];
        quotes[id] = filled;
        return filled;
    }

    /** The quote before the current one, or {@code null}. */
    public Quote previousQuote(int instrumentId) {
        return previous[instrumentId];
    }

    /** The current quote of an instrument, or {@code null} before its first quote. */
    public Quote quote(int instrumentId) {
        return quotes[instrumentId];
    }

    private void rollDay(int id, long eventTime) {
        long day = eventTime / MICROS_PER_DAY;
        if (day > volumeDay[id]) {
            volumeDay[id] = day;
            volume[id] = 0;
        }
    }
}
