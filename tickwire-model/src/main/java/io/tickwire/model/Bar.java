package io.tickwire.model;

import java.util.Objects;

/**
 * One OHLCV bar of an instrument for a period and price type, as it forms or once closed.
 *
 * <p>Prices use the instrument's price scale, {@code volume} its size scale. {@code last} bars
 * follow trades; {@code bid} and {@code ask} bars follow the quotes whose side has a price. For all
 * three price types {@code volume} and {@code trades} are those of the period's trades, so they
 * agree on them. A bar exists only for a period with at least one price; empty periods produce no
 * bar. The live stream's bars and those the history store computes from stored ticks share this
 * definition.
 *
 * @param instrumentId catalogue id
 * @param seq          sequence number of this bar stream (instrument, periodicity, price type), +1 per update
 * @param periodicity  the period
 * @param priceType    the price the bar follows
 * @param openTime     the period's start, microseconds since the epoch (UTC)
 * @param open         first price of the period
 * @param high         highest price
 * @param low          lowest price
 * @param close        last price so far (or final, when closed)
 * @param volume       volume traded in the period
 * @param trades       number of trades in the period
 * @param updateTime   when the bar last changed, microseconds since the epoch
 * @param closed       whether the period has ended and the bar is final
 */
public record Bar(int instrumentId, long seq, Periodicity periodicity, PriceType priceType, long openTime,
                  long open, long high, long low, long close, long volume, long trades, long updateTime,
                  boolean closed) implements StreamMessage {

    public Bar {
        Objects.requireNonNull(periodicity, "periodicity");
        Objects.requireNonNull(priceType, "priceType");
        if (low > high) {
            throw new IllegalArgumentException("bar low " + low + " above high " + high);
        }
    }

    /** The end of the period (exclusive), microseconds since the epoch. */
    public long closeTime() {
        return periodicity.next(openTime);
    }

    /** This bar with another sequence number. */
    public Bar withSeq(long newSeq) {
        return new Bar(instrumentId, newSeq, periodicity, priceType, openTime, open, high, low, close, volume, trades,
                updateTime, closed);
    }
}
