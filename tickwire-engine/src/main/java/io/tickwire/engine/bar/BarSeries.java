package io.tickwire.engine.bar;

import io.tickwire.model.Bar;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;

/**
 * The forming bar of one instrument, period and price type, and its sequence of messages.
 *
 * <p>A price in a later period closes the forming bar first (the caller publishes it) and starts
 * a new one; {@link #closeIfDue} closes a bar whose period has ended when no price came. A price
 * with an event time before the forming bar's start (a late event) counts in the forming bar.
 * Empty periods produce no bar. Every change, closing included, takes the next sequence number.
 * Adding a price allocates nothing; {@link #bar()} builds the message only when someone needs it.
 * Not thread-safe: owned by the partition thread.
 */
public final class BarSeries {

    private final int instrumentId;
    private final Periodicity period;
    private final PriceType priceType;
    private boolean forming;
    private long openTime;
    private long closeTime;
    private long open;
    private long high;
    private long low;
    private long close;
    private long volume;
    private long ticks;
    private long updateTime;
    private long seq;
    private boolean closed;
    private boolean any;

    public BarSeries(int instrumentId, Periodicity period, PriceType priceType) {
        this.instrumentId = instrumentId;
        this.period = period;
        this.priceType = priceType;
    }

    public int instrumentId() {
        return instrumentId;
    }

    public Periodicity period() {
        return period;
    }

    public PriceType priceType() {
        return priceType;
    }

    /**
     * Closes the forming bar if {@code now} is at or past its end.
     *
     * @return whether a bar closed ({@link #bar()} then shows it, final)
     */
    public boolean closeIfDue(long now) {
        if (!forming || now < closeTime) {
            return false;
        }
        forming = false;
        closed = true;
        seq++;
        return true;
    }

    /**
     * Adds a price (and traded size, 0 for bid and ask) at an event time; call {@link #closeIfDue}
     * with the same time first.
     */
    public void add(long time, long price, long size) {
        if (!forming) {
            forming = true;
            openTime = period.startOf(time);
            closeTime = period.next(openTime);
            open = price;
            high = price;
            low = price;
            volume = 0;
            ticks = 0;
        }
        high = Math.max(high, price);
        low = Math.min(low, price);
        close = price;
        volume += size;
        ticks++;
        updateTime = Math.max(updateTime, time);
        closed = false;
        any = true;
        seq++;
    }

    /** The last message of this series as it stands (the forming bar, or the last closed one), or {@code null}. */
    public Bar bar() {
        return any ? new Bar(instrumentId, seq, period, priceType, openTime, open, high, low, close, volume, ticks,
                updateTime, closed) : null;
    }

    /** Whether a bar is forming. */
    public boolean forming() {
        return forming;
    }

    /** When the forming bar closes (meaningless if none is forming). */
    public long closeTime() {
        return closeTime;
    }

    /** The sequence number of the last message. */
    public long seq() {
        return seq;
    }
}
