package io.tickwire.store.questdb;

import io.questdb.griffin.SqlException;
import io.tickwire.model.Bar;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.store.InstrumentHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Closed bars computed from stored ticks, for times before the store received the live stream's
 * closed bars (history recorded earlier, imported trades). One {@code SAMPLE BY} query per window,
 * aligned to the calendar in UTC, which gives exactly {@link Periodicity}'s boundaries.
 *
 * <p>The definition, identical to the live stream's bars: a period's bar exists when the period
 * has at least one price. {@code last} bars take the trades of the period: open is the first
 * trade's price, high the highest, low the lowest, close the last (in stored order). {@code bid}
 * and {@code ask} bars take the quotes of the period whose side has a price (non-zero); their
 * volume and trade count are those of the period's trades, so the three price types agree on
 * volume. The update time is the latest tick of the period. Computed bars carry {@code seq 0}.
 *
 * <p>To read {@code n} bars without aggregating all of history, the window starts at {@code n}
 * periods and doubles, never beyond the stored ticks. Stateless; thread-safe.
 */
final class ComputedBars {

    private final QuestDatabase db;

    ComputedBars(QuestDatabase db) {
        this.db = db;
    }

    /**
     * Up to {@code n} bars with open times in {@code [lo, hi)} (both period boundaries): the first
     * {@code n} forwards, the last {@code n} backwards; oldest first, in a list the caller may change.
     */
    List<Bar> read(Instrument instrument, Periodicity p, PriceType t, long lo, long hi, int n, boolean backwards,
                   InstrumentHistory.Span ticks) throws SqlException {
        if (ticks == null) {
            return new ArrayList<>();
        }
        lo = Math.max(lo, p.startOf(ticks.first()));
        hi = Math.min(hi, p.next(p.startOf(ticks.last())));
        List<Bar> bars = new ArrayList<>();
        if (lo >= hi) {
            return bars;
        }
        long width = Math.max(1, nominalMicros(p)) * (long) n;
        if (!backwards) {
            long start = lo;
            while (start < hi && bars.size() < n) {
                long end = start + width >= hi || start + width < start ? hi : Math.min(hi, p.startOf(start + width));
                if (end <= start) {
                    end = p.next(start);
                }
                bars.addAll(aggregate(instrument, p, t, start, end));
                start = end;
                width = width > Long.MAX_VALUE / 4 ? width : width * 2;
            }
            return bars.size() > n ? new ArrayList<>(bars.subList(0, n)) : bars;
        }
        long end = hi;
        while (end > lo && bars.size() < n) {
            long start = end - width <= lo || end - width > end ? lo : Math.max(lo, p.startOf(end - width));
            if (start >= end) {
                start = p.startOf(end - 1);
            }
            List<Bar> earlier = aggregate(instrument, p, t, start, end);
            earlier.addAll(bars);
            bars = earlier;
            end = start;
            width = width > Long.MAX_VALUE / 4 ? width : width * 2;
        }
        return bars.size() > n ? new ArrayList<>(bars.subList(bars.size() - n, bars.size())) : bars;
    }

    /** The bars of the ticks in {@code [from, to)}. */
    private List<Bar> aggregate(Instrument instrument, Periodicity p, PriceType t, long from, long to) throws SqlException {
        List<Bar> bars = new ArrayList<>();
        String sample = " SAMPLE BY " + sampleUnit(p) + " ALIGN TO CALENDAR";
        QuestDatabase.Binds binds = b -> {
            b.setStr(0, instrument.symbol());
            b.setTimestamp(1, from);
            b.setTimestamp(2, to);
        };
        if (t == PriceType.LAST) {
            db.select("SELECT ts, first(price), max(price), min(price), last(price), sum(size), count(), max(ts) FROM "
                    + Schema.TRADES + " WHERE symbol = $1 AND ts >= $2 AND ts < $3" + sample, binds, r -> {
                        bars.add(new Bar(instrument.id(), 0, p, t, r.getTimestamp(0), r.getLong(1), r.getLong(2),
                                r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6), r.getTimestamp(7), true));
                        return true;
                    });
            return bars;
        }
        Map<Long, long[]> volumes = new HashMap<>();
        db.select("SELECT ts, sum(size), count(), max(ts) FROM " + Schema.TRADES
                + " WHERE symbol = $1 AND ts >= $2 AND ts < $3" + sample, binds, r -> {
                    volumes.put(r.getTimestamp(0), new long[] {r.getLong(1), r.getLong(2), r.getTimestamp(3)});
                    return true;
                });
        String side = t == PriceType.BID ? "bid" : "ask";
        db.select("SELECT ts, first(" + side + "), max(" + side + "), min(" + side + "), last(" + side + "), max(ts) FROM "
                + Schema.QUOTES + " WHERE symbol = $1 AND " + side + " > 0 AND ts >= $2 AND ts < $3" + sample, binds, r -> {
                    long open = r.getTimestamp(0);
                    long[] v = volumes.getOrDefault(open, new long[] {0, 0, 0});
                    bars.add(new Bar(instrument.id(), 0, p, t, open, r.getLong(1), r.getLong(2), r.getLong(3),
                            r.getLong(4), v[0], v[1], Math.max(r.getTimestamp(5), v[2]), true));
                    return true;
                });
        return bars;
    }

    /** QuestDB's name of the period in {@code SAMPLE BY}. */
    static String sampleUnit(Periodicity p) {
        return switch (p) {
            case M1 -> "1m";
            case M5 -> "5m";
            case M15 -> "15m";
            case M30 -> "30m";
            case H1 -> "1h";
            case H4 -> "4h";
            case D1 -> "1d";
            case W1 -> "1w";
            case MN1 -> "1M";
        };
    }

    /** A period's usual length in microseconds, for sizing windows. */
    private static long nominalMicros(Periodicity p) {
        return p == Periodicity.MN1 ? 31L * 86_400_000_000L : p.next(0) - 0;
    }
}
