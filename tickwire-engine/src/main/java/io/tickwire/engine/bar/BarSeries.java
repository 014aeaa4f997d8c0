package io.tickwire.engine.bar;

import io.tickwire.model.Bar;
import io.tickwire.model.Decimals;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.util.Arrays;

/**
 * The forming bar of one instrument, period and price type, and its sequence of messages.
 *
 * <p>The definition (shared with the bars the history store computes, see {@link Bar}): prices
 * build the bar — trades for {@code last}, quotes with a price on their side for {@code bid} and
 * {@code ask} — and every trade of the period adds to volume and trade count, whatever the price
 * type. A trade that comes before the period's first price waits ({@link #addVolume}) and joins
 * the bar if a price opens it in the same period. Empty periods produce no bar.
 *
 * <p>A price in a later period closes the forming bar first (the caller publishes it) and starts
 * a new one; {@link #closeIfDue} closes a bar whose period has ended when no price came. A closed
 * period is never reopened, so each period has at most one bar. A price or trade is <em>late</em>
 * when its event time lies before the forming bar's start (it counts in the forming bar), or, with
 * no bar forming, in a period that already closed: it then counts in the bar of the current period
 * by the <em>market clock</em>, which the caller passes with every price and trade. Otherwise a
 * price opens the bar of its own period, even one the clock has passed (a burst of back-dated
 * events builds the bars of their own periods, as the store computes them, until the clock
 * closes them).
 *
 * <p>Volumes saturate at {@link Long#MAX_VALUE} rather than wrap, so a bar's volume is never
 * negative (a source can send a trade of any positive size). Every visible change, closing
 * included, takes the next sequence number; a price equal to the close (a quote that moved only
 * the other side) changes nothing but the update time and is not a message. Adding allocates
 * nothing; {@link #bar()} builds the message only when someone needs it. Not thread-safe: owned by
 * the partition thread.
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
    private long trades;
    private long updateTime;
    private long seq;
    private boolean closed;
    private boolean any;
    /** The end of the last closed bar: no bar opens before it; {@code Long.MIN_VALUE} before the first close. */
    private long closedUntil = Long.MIN_VALUE;
    /** Trades of a period with no price yet: start of that period, or {@code Long.MIN_VALUE} for none. */
    private long waitingStart = Long.MIN_VALUE;
    private long waitingVolume;
    private long waitingTrades;
    private long waitingTime;

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
     * Continues from what a previous run left (see {@link BarSeeding}); before the first event.
     * {@code forming} (or {@code null}) becomes the forming bar, unless it lies before
     * {@code closedUntil}, the end of the last bar the previous run closed: no bar opens before it.
     * Trades of a period with no price yet ({@code waitingTrades > 0}) wait for its first price,
     * as {@link #addVolume} keeps them.
     */
    public void seed(Bar forming, long closedUntil, long waitingStart, long waitingVolume, long waitingTrades,
                     long waitingTime) {
        this.closedUntil = Math.max(this.closedUntil, closedUntil);
        if (forming != null && !forming.closed() && forming.openTime() >= this.closedUntil) {
            this.forming = true;
            openTime = forming.openTime();
            closeTime = period.next(openTime);
            open = forming.open();
            high = forming.high();
            low = forming.low();
            close = forming.close();
            volume = forming.volume();
            trades = forming.trades();
            updateTime = forming.updateTime();
            closed = false;
            any = true;
            seq++;
        } else if (!this.forming && waitingTrades > 0 && waitingStart >= this.closedUntil) {
            this.waitingStart = waitingStart;
            this.waitingVolume = waitingVolume;
            this.waitingTrades = waitingTrades;
            this.waitingTime = waitingTime;
        }
    }

    /** Longs per series in a {@link BarState}. */
    public static final int STATE_FIELDS = 14;
    private static final long FORMING = 1;
    private static final long CLOSED = 2;
    private static final long ANY = 4;
    private static final long[] PRISTINE = new long[STATE_FIELDS];

    static {
        new BarSeries(0, Periodicity.M1, PriceType.LAST).saveTo(PRISTINE, 0);
    }

    /** Writes this series' state (all but its message numbers) to {@code out} from {@code at}; see {@link BarState}. */
    public void saveTo(long[] out, int at) {
        out[at] = (forming ? FORMING : 0) | (closed ? CLOSED : 0) | (any ? ANY : 0);
        out[at + 1] = openTime;
        out[at + 2] = open;
        out[at + 3] = high;
        out[at + 4] = low;
        out[at + 5] = close;
        out[at + 6] = volume;
        out[at + 7] = trades;
        out[at + 8] = updateTime;
        out[at + 9] = closedUntil;
        out[at + 10] = waitingStart;
        out[at + 11] = waitingVolume;
        out[at + 12] = waitingTrades;
        out[at + 13] = waitingTime;
    }

    /**
     * Takes over a state another engine {@link #saveTo saved} (what it had, whatever this series
     * had); the message numbers go on from this series' own, one up if there is a bar to show.
     */
    public void restoreFrom(long[] in, int at) {
        long flags = in[at];
        forming = (flags & FORMING) != 0;
        closed = (flags & CLOSED) != 0;
        boolean hadAny = any;
        any = (flags & ANY) != 0;
        openTime = in[at + 1];
        closeTime = forming ? period.next(openTime) : 0;
        open = in[at + 2];
        high = in[at + 3];
        low = in[at + 4];
        close = in[at + 5];
        volume = in[at + 6];
        trades = in[at + 7];
        updateTime = in[at + 8];
        closedUntil = in[at + 9];
        waitingStart = in[at + 10];
        waitingVolume = in[at + 11];
        waitingTrades = in[at + 12];
        waitingTime = in[at + 13];
        if (any || hadAny) {
            seq++;
        }
    }

    /** Whether a saved state at {@code at} is that of a series that never had anything (as a new one saves). */
    static boolean isPristine(long[] in, int at) {
        return Arrays.equals(in, at, at + STATE_FIELDS, PRISTINE, 0, STATE_FIELDS);
    }

    /** Writes the state of a series that never had anything to {@code out} from {@code at}. */
    public static void savePristine(long[] out, int at) {
        System.arraycopy(PRISTINE, 0, out, at, STATE_FIELDS);
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
        closedUntil = closeTime;
        seq++;
        return true;
    }

    /**
     * The start of the period a price or trade at {@code time} counts in when no bar is forming:
     * its own, unless that period closed already (a late event), then the current one by the
     * market clock {@code now}.
     */
    private long periodFor(long time, long now) {
        if (time >= closedUntil) { // closedUntil is a period boundary: the event's period is after the last closed one
            return period.startOf(time);
        }
        // the clock may be behind the last close (a clock that follows event times steps back when a
        // later event is stamped behind the wall time elapsed): never before the last close
        return period.startOf(Math.max(now, closedUntil));
    }

    /**
     * Adds a price at an event time, with the size and count of the trade it comes from ({@code 0}
     * and {@code 0} for a quote); call {@link #closeIfDue} with the same time first.
     *
     * @param now the market clock: where a late price counts
     * @return whether the bar changed visibly (a message is due)
     */
    public boolean add(long time, long now, long price, long tradeSize, int tradeCount) {
        if (!forming) {
            forming = true;
            openTime = periodFor(time, now);
            closeTime = period.next(openTime);
            open = price;
            high = price;
            low = price;
            close = price;
            volume = 0;
            trades = 0;
            if (waitingStart == openTime) {
                volume = waitingVolume;
                trades = waitingTrades;
                updateTime = Math.max(updateTime, waitingTime);
            }
            waitingStart = Long.MIN_VALUE;
        } else if (price == close && tradeCount == 0) {
            updateTime = Math.max(updateTime, time);
            return false;
        }
        high = Math.max(high, price);
        low = Math.min(low, price);
        close = price;
        volume = Decimals.addSaturated(volume, tradeSize);
        trades += tradeCount;
        updateTime = Math.max(updateTime, time);
        closed = false;
        any = true;
        seq++;
        return true;
    }

    /**
     * Adds a trade's size to a {@code bid} or {@code ask} bar (its price is not theirs); call
     * {@link #closeIfDue} with the same time first. With no bar forming the trade waits for the
     * first price of the period it counts in (as {@link #add} picks it, {@code now} as there).
     *
     * @return whether the bar changed visibly (a message is due)
     */
    public boolean addVolume(long time, long now, long size) {
        if (!forming) {
            long start = periodFor(time, now);
            if (waitingStart != start) {
                waitingStart = start;
                waitingVolume = 0;
                waitingTrades = 0;
                waitingTime = Long.MIN_VALUE;
            }
            waitingVolume = Decimals.addSaturated(waitingVolume, size);
            waitingTrades++;
            waitingTime = Math.max(waitingTime, time);
            return false;
        }
        volume = Decimals.addSaturated(volume, size);
        trades++;
        updateTime = Math.max(updateTime, time);
        seq++;
        return true;
    }

    /** The last message of this series as it stands (the forming bar, or the last closed one), or {@code null}. */
    public Bar bar() {
        return any ? new Bar(instrumentId, seq, period, priceType, openTime, open, high, low, close, volume, trades,
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
