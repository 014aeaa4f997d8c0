package io.tickwire.store.questdb;

import io.questdb.cairo.sql.Record;
import io.questdb.griffin.SqlException;
import io.tickwire.engine.bar.BarSeeding;
import io.tickwire.model.Bar;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.store.InstrumentHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where each instrument's bars stood when the previous run stopped ({@link BarSeeding}), by the
 * definition of {@link ComputedBars} and of the live bars: per instrument, as of its last stored
 * event time {@code T}, the bar of each period and price type containing {@code T}, the trades of
 * those periods, the day's volume, the last trade price, and where the last closed bar the store
 * holds of each stream ended.
 *
 * <p>Periods nest ({@code 1m ⊂ 5m ⊂ 15m ⊂ 30m ⊂ 1h ⊂ 4h ⊂ 1d}, and days make weeks and months), so
 * the forming bar of a period is the closed bars of the next smaller period since the period's
 * start plus that period's forming bar; only the current minute is read from ticks. The closed
 * bars are the live stream's, from the bars table; a smaller period with no stored bar (ticks
 * recorded without bars — imported, or a run that stopped before storing them — or simply no
 * price in it) is computed from its ticks instead, so the result does not depend on what the
 * bars table holds, and on a store the live stream kept its bars in, the ticks read are those of
 * the current minute and of quiet periods only. A month of ticks is the bound (nothing but ticks
 * stored).
 *
 * <p>Queries are per group of instruments with the same range (normally all of them): one over
 * the bars table per step, three over the current minute's ticks, and one per run of periods
 * without a stored bar; plus one each for the last closed bars, the last trades and the last quotes.
 */
final class StoredBarSeeding {

    private static final Periodicity[] PERIODS = Periodicity.values();
    private static final PriceType[] PRICE_TYPES = PriceType.values();
    /** Periods built from the closed bars of a smaller one, and that smaller one (weeks and months both from days). */
    private static final Periodicity[][] STEPS = {
            {Periodicity.M5, Periodicity.M1}, {Periodicity.M15, Periodicity.M5}, {Periodicity.M30, Periodicity.M15},
            {Periodicity.H1, Periodicity.M30}, {Periodicity.H4, Periodicity.H1}, {Periodicity.D1, Periodicity.H4},
            {Periodicity.MN1, Periodicity.D1}};

    /** The aggregate of one period (a stored closed bar or a sample of ticks); volume and count only for trades. */
    private record Sample(long start, long open, long high, long low, long close, long volume, long count, long lastTime) {
    }

    private StoredBarSeeding() {
    }

    /** Reads the seeds of every instrument with stored ticks. */
    static BarSeeding load(QuestDatabase db, StoredRanges ranges, InstrumentCatalog catalog) throws SqlException {
        int n = catalog.size();
        long[] lastTime = new long[n];
        Arrays.fill(lastTime, Long.MIN_VALUE);
        List<Instrument> stored = new ArrayList<>();
        for (Instrument i : catalog.all()) {
            InstrumentHistory.Span trades = ranges.trades(i.id());
            InstrumentHistory.Span quotes = ranges.quotes(i.id());
            if (trades != null) {
                lastTime[i.id()] = trades.last();
            }
            if (quotes != null) {
                lastTime[i.id()] = Math.max(lastTime[i.id()], quotes.last());
            }
            if (lastTime[i.id()] != Long.MIN_VALUE) {
                stored.add(i);
            }
        }
        long[][] closedUntil = new long[n][BarSeeding.InstrumentSeed.SLOTS];
        for (long[] c : closedUntil) {
            Arrays.fill(c, Long.MIN_VALUE);
        }
        db.select("SELECT symbol, period, price_type, max(ts) FROM " + Schema.BARS, b -> { }, r -> {
            Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
            Periodicity p = Periodicity.fromWire(String.valueOf(r.getSymA(1)));
            PriceType t = PriceType.fromWire(String.valueOf(r.getSymA(2)));
            if (i != null && p != null && t != null) {
                closedUntil[i.id()][BarSeeding.InstrumentSeed.slot(p, t)] = p.next(r.getTimestamp(3));
            }
            return true;
        });
        long[] lastPrice = new long[n];
        db.select("SELECT symbol, price FROM " + Schema.TRADES + " LATEST ON ts PARTITION BY symbol", b -> { }, r -> {
            Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
            if (i != null) {
                lastPrice[i.id()] = r.getLong(1);
            }
            return true;
        });
        Quote[] lastQuote = new Quote[n];
        db.select("SELECT symbol, ts, seq, bid, bid_size, ask, ask_size, last, volume FROM " + Schema.QUOTES
                + " LATEST ON ts PARTITION BY symbol", b -> { }, r -> {
            Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
            if (i != null) {
                lastQuote[i.id()] = new Quote(i.id(), r.getLong(2), r.getTimestamp(1), r.getLong(3), r.getLong(4),
                        r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8));
            }
            return true;
        });

        // pieces[id][period][type]: what the period's forming bar holds before the smaller period's forming bar
        @SuppressWarnings("unchecked")
        List<Sample>[][][] pieces = new List[n][][];
        for (Instrument i : stored) {
            pieces[i.id()] = new List[PERIODS.length][PRICE_TYPES.length];
            for (List<Sample>[] byType : pieces[i.id()]) {
                for (int t = 0; t < byType.length; t++) {
                    byType[t] = new ArrayList<>();
                }
            }
        }
        // the current minute, from ticks
        for (Map.Entry<List<Long>, List<Instrument>> group : groups(stored, i -> {
            long minute = Periodicity.M1.startOf(lastTime[i.id()]);
            return new long[] {minute, Periodicity.M1.next(minute)};
        }).entrySet()) {
            long lo = group.getKey().get(0);
            long hi = group.getKey().get(1);
            for (PriceType t : PRICE_TYPES) {
                ticks(db, catalog, group.getValue(), t, Periodicity.M1, lo, hi,
                        (id, s) -> pieces[id][Periodicity.M1.ordinal()][t.ordinal()].add(s));
            }
        }
        // each larger period: the closed bars of the smaller one since its start
        for (Periodicity[] step : STEPS) {
            Periodicity p = step[0];
            Periodicity q = step[1];
            for (Map.Entry<List<Long>, List<Instrument>> group : groups(stored, i -> {
                long time = lastTime[i.id()];
                long from = p == Periodicity.MN1 ? Math.min(Periodicity.MN1.startOf(time), Periodicity.W1.startOf(time))
                        : p.startOf(time);
                return new long[] {from, q.startOf(time)};
            }).entrySet()) {
                long lo = group.getKey().get(0);
                long hi = group.getKey().get(1);
                if (lo < hi) {
                    closedBars(db, catalog, group.getValue(), p, q, lo, hi, pieces);
                }
            }
        }

        Map<Integer, BarSeeding.InstrumentSeed> seeds = new HashMap<>();
        for (Instrument i : stored) {
            seeds.put(i.id(), seed(i.id(), lastTime[i.id()], lastPrice[i.id()], closedUntil[i.id()], pieces[i.id()],
                    lastQuote[i.id()]));
        }
        return seeds::get;
    }

    /** Instruments grouped by the range {@code range} gives each, in catalogue order. */
    private static Map<List<Long>, List<Instrument>> groups(List<Instrument> instruments,
                                                            java.util.function.Function<Instrument, long[]> range) {
        Map<List<Long>, List<Instrument>> groups = new LinkedHashMap<>();
        for (Instrument i : instruments) {
            long[] r = range.apply(i);
            groups.computeIfAbsent(List.of(r[0], r[1]), k -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    /**
     * The closed {@code q} bars of {@code [lo, hi)} of a group's instruments, as pieces of their
     * {@code p} bars: the stored ones, and the others computed from ticks.
     */
    private static void closedBars(QuestDatabase db, InstrumentCatalog catalog, List<Instrument> group, Periodicity p,
                                   Periodicity q, long lo, long hi, List<Sample>[][][] pieces) throws SqlException {
        // found[id][type]: the stored bars by start
        Map<Integer, Map<Long, Sample>[]> found = new HashMap<>();
        for (Instrument i : group) {
            @SuppressWarnings("unchecked")
            Map<Long, Sample>[] byType = new Map[PRICE_TYPES.length];
            for (int t = 0; t < byType.length; t++) {
                byType[t] = new HashMap<>();
            }
            found.put(i.id(), byType);
        }
        db.select("SELECT symbol, price_type, ts, open, high, low, close, volume, trades, update_time FROM "
                + Schema.BARS + " WHERE " + in(group) + " AND period = $1 AND ts >= $2 AND ts < $3", b -> {
                    b.setStr(0, q.wireName());
                    b.setTimestamp(1, lo);
                    b.setTimestamp(2, hi);
                }, r -> {
                    Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
                    PriceType t = PriceType.fromWire(String.valueOf(r.getSymA(1)));
                    if (i != null && t != null && found.containsKey(i.id())) {
                        long start = r.getTimestamp(2);
                        found.get(i.id())[t.ordinal()].put(start, new Sample(start, r.getLong(3), r.getLong(4),
                                r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8), r.getTimestamp(9)));
                    }
                    return true;
                });
        for (PriceType t : PRICE_TYPES) {
            // periods some instrument has no stored bar for: computed from ticks, in runs of consecutive periods
            TreeSet<Long> missing = new TreeSet<>();
            List<Instrument> without = new ArrayList<>();
            for (Instrument i : group) {
                Map<Long, Sample> bars = found.get(i.id())[t.ordinal()];
                boolean any = false;
                for (long start = lo; start < hi; start = q.next(start)) {
                    if (!bars.containsKey(start)) {
                        missing.add(start);
                        any = true;
                    }
                }
                if (any) {
                    without.add(i);
                }
            }
            Long runStart = missing.isEmpty() ? null : missing.first();
            while (runStart != null) {
                long runEnd = q.next(runStart);
                while (missing.contains(runEnd)) {
                    runEnd = q.next(runEnd);
                }
                ticks(db, catalog, without, t, q, runStart, runEnd,
                        (id, s) -> found.get(id)[t.ordinal()].putIfAbsent(s.start(), s));
                runStart = missing.higher(runEnd);
            }
            for (Instrument i : group) {
                pieces[i.id()][p.ordinal()][t.ordinal()].addAll(found.get(i.id())[t.ordinal()].values());
            }
        }
    }

    private interface SampleSink {
        void add(int instrumentId, Sample sample);
    }

    /** The {@code q} samples of the ticks of {@code [lo, hi)} of the instruments, for one price type. */
    private static void ticks(QuestDatabase db, InstrumentCatalog catalog, List<Instrument> instruments, PriceType t,
                              Periodicity q, long lo, long hi, SampleSink sink) throws SqlException {
        if (instruments.isEmpty()) {
            return;
        }
        boolean trades = t == PriceType.LAST;
        String price = switch (t) {
            case LAST -> "price";
            case BID -> "bid";
            case ASK -> "ask";
        };
        db.select("SELECT symbol, ts, first(" + price + "), max(" + price + "), min(" + price + "), last(" + price
                + "), max(ts)" + (trades ? ", sum(size), count()" : "") + " FROM " + (trades ? Schema.TRADES : Schema.QUOTES)
                + " WHERE " + in(instruments) + (trades ? "" : " AND " + price + " > 0") + " AND ts >= $1 AND ts < $2"
                + " SAMPLE BY " + ComputedBars.sampleUnit(q) + " ALIGN TO CALENDAR", b -> {
                    b.setTimestamp(0, lo);
                    b.setTimestamp(1, hi);
                }, r -> {
                    Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
                    if (i != null) {
                        sink.add(i.id(), sample(r, trades));
                    }
                    return true;
                });
    }

    private static Sample sample(Record r, boolean trades) {
        return new Sample(r.getTimestamp(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5),
                trades ? r.getLong(7) : 0, trades ? r.getLong(8) : 0, r.getTimestamp(6));
    }

    private static String in(List<Instrument> instruments) {
        return instruments.stream().map(i -> "'" + i.symbol().replace("'", "''") + "'")
                .collect(Collectors.joining(",", "symbol IN (", ")"));
    }

    /** Folds an instrument's pieces into the bars of the periods containing {@code time}, smallest period first. */
    private static BarSeeding.InstrumentSeed seed(int id, long time, long lastPrice, long[] closedUntil,
                                                  List<Sample>[][] pieces, Quote lastQuote) {
        Bar[] forming = new Bar[BarSeeding.InstrumentSeed.SLOTS];
        long[] volume = new long[PERIODS.length];
        long[] trades = new long[PERIODS.length];
        long[] tradeTime = new long[PERIODS.length];
        Sample[][] folded = new Sample[PERIODS.length][PRICE_TYPES.length];
        for (Periodicity p : PERIODS) {
            long start = p.startOf(time);
            for (PriceType t : PRICE_TYPES) {
                Sample smaller = switch (p) {
                    case M1 -> null;
                    case W1, MN1 -> folded[Periodicity.D1.ordinal()][t.ordinal()];
                    default -> folded[p.ordinal() - 1][t.ordinal()];
                };
                List<Sample> own = pieces[p == Periodicity.W1 ? Periodicity.MN1.ordinal() : p.ordinal()][t.ordinal()];
                Sample f = null;
                own.sort(Comparator.comparingLong(Sample::start));
                for (Sample s : own) {
                    if (s.start() >= start) { // weeks and months share the days since the earlier of their starts
                        f = fold(f, s);
                    }
                }
                folded[p.ordinal()][t.ordinal()] = smaller == null ? f : fold(f, smaller);
            }
            Sample tradesOf = folded[p.ordinal()][PriceType.LAST.ordinal()];
            volume[p.ordinal()] = tradesOf == null ? 0 : tradesOf.volume();
            trades[p.ordinal()] = tradesOf == null ? 0 : tradesOf.count();
            tradeTime[p.ordinal()] = tradesOf == null ? Long.MIN_VALUE : tradesOf.lastTime();
            for (PriceType t : PRICE_TYPES) {
                int slot = BarSeeding.InstrumentSeed.slot(p, t);
                Sample prices = folded[p.ordinal()][t.ordinal()];
                if (prices == null || closedUntil[slot] > start) {
                    continue; // no price in the period, or the previous run closed its bar
                }
                forming[slot] = new Bar(id, 0, p, t, start, prices.open(), prices.high(), prices.low(), prices.close(),
                        volume[p.ordinal()], trades[p.ordinal()], Math.max(prices.lastTime(), tradeTime[p.ordinal()]),
                        false);
            }
        }
        return new BarSeeding.InstrumentSeed(time, lastPrice, volume[Periodicity.D1.ordinal()], forming, closedUntil,
                volume, trades, tradeTime, lastQuote);
    }

    /** {@code a} then {@code b} as one ({@code a} may be {@code null}). */
    private static Sample fold(Sample a, Sample b) {
        if (a == null) {
            return b;
        }
        long volume = a.volume() + b.volume();
        return new Sample(a.start(), a.open(), Math.max(a.high(), b.high()), Math.min(a.low(), b.low()), b.close(),
                volume < 0 ? Long.MAX_VALUE : volume, a.count() + b.count(), Math.max(a.lastTime(), b.lastTime()));
    }
}
