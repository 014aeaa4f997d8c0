package io.tickwire.engine.state;

import io.tickwire.model.Decimals;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;

/**
 * The last-value cache of one partition: per instrument the current quote, filled in with the
 * last trade price and the volume traded in the current UTC day.
 *
 * <p>Owned by the partition thread. A new subscriber's first quote comes from here, so it does
 * not wait for the market to move. The day volume saturates at {@link Long#MAX_VALUE} rather than
 * wrap, so it is never negative.
 */
public final class LastValues {

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final Quote[] quotes;
    private final long[] lastPrice;
    private final long[] volume;
    private final long[] volumeDay;

    public LastValues(int instruments) {
        this.quotes = new Quote[instruments];
        this.lastPrice = new long[instruments];
        this.volume = new long[instruments];
        this.volumeDay = new long[instruments];
    }

    /** Records a trade: it becomes the last price and adds to the day's volume. */
    public void onTrade(Trade trade) {
        int id = trade.instrumentId();
        rollDay(id, trade.eventTime());
        lastPrice[id] = trade.price();
        volume[id] = Decimals.addSaturated(volume[id], trade.size());
    }

    /**
     * Records a new top of book and returns the quote to publish: the source's bid and ask with
     * the engine's last price and day volume.
     */
    public Quote onQuote(Quote quote) {
        int id = quote.instrumentId();
        rollDay(id, quote.eventTime());
        Quote filled = quote.withLast(lastPrice[id], volume[id]);
        quotes[id] = filled;
        return filled;
    }

    /**
     * Records a replayed quote as it was stored, last price and day volume included, and returns
     * it unchanged: a replay that starts mid-day has not seen the day's earlier trades.
     */
    public Quote onReplayedQuote(Quote quote) {
        int id = quote.instrumentId();
        rollDay(id, quote.eventTime());
        lastPrice[id] = quote.lastPrice();
        volume[id] = quote.volume();
        quotes[id] = quote;
        return quote;
    }

    /**
     * Continues from what a previous run stored: the last trade price, the volume traded in the
     * UTC day of {@code eventTime} (the instrument's last stored event) and the last quote
     * ({@code null} if none), filled in with those; before the instrument's first event.
     */
    public void seed(int instrumentId, long eventTime, long lastPrice, long dayVolume, Quote lastQuote) {
        volumeDay[instrumentId] = eventTime / MICROS_PER_DAY;
        this.lastPrice[instrumentId] = lastPrice;
        volume[instrumentId] = dayVolume;
        if (lastQuote != null) {
            quotes[instrumentId] = lastQuote.withLast(lastPrice, dayVolume);
        }
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
