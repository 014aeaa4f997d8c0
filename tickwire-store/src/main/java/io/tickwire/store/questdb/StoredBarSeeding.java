package io.tickwire.store.questdb;

import io.questdb.griffin.SqlException;
import io.tickwire.engine.bar.BarSeeding;
import io.tickwire.model.Bar;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.store.InstrumentHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where each instrument's bars stood when the previous run stopped ({@link BarSeeding}), computed
 * from the stored ticks by the definition of {@link ComputedBars} (and of the live bars): per
 * instrument, as of its last stored event time {@code T}, the bar of each period and price type
 * containing {@code T}, the trades of those periods, the day's volume, the last trade price, and
 * where the last closed bar the store holds of each stream ended.
 *
 * <p>Queries, whatever the number of instruments: one over the bars table (the last closed bar
 * of every stream), one for every instrument's last trade ({@code LATEST ON}), and, per group of
 * instruments whose {@code T} falls in the same day, week and month (normally one group), six
 * keyed {@code SAMPLE BY} queries — trades, bids and asks by the minute over {@code T}'s day (every
 * period up to a day starts on a minute within it), and by the day from the start of {@code T}'s
 * week or month (whichever is earlier) to that day, for the week and month bars. The scan is
 * therefore bounded by a month and a week of an instrument's ticks.
 */
final class StoredBarSeeding {

    private static final Periodicity[] PERIODS = Periodicity.values();
    private static final PriceType[] PRICE_TYPES = PriceType.values();

    /** The aggregate of one sample: prices (or only volume, for trades seen by bid/ask bars) and trades. */
    private record Sample(long start, long open, long high, long low, long close, long volume, long count, long lastTime) {
    }

    /** Per instrument: samples of trades, bids and asks, by the day before {@code T}'s day and by the minute in it. */
    private static final class Samples {
        final List<Sample>[] byDay = lists();
        final List<Sample>[] byMinute = lists();

        @SuppressWarnings("unchecked")
        private static List<Sample>[] lists() {
            List<Sample>[] lists = new List[PRICE_TYPES.length];
            for (int i = 0; i < lists.length; i++) {
                lists[i] = new ArrayList<>();
            }
            return lists;
        }
    }

    private StoredBarSeeding() {
    }

    /** Reads the seeds of every instrument with stored ticks. */
    static BarSeeding load(QuestDatabase db, StoredRanges ranges, InstrumentCatalog catalog) throws SqlException {
        int n = catalog.size();
        long[] lastTime = new long[n];
        Arrays.fill(lastTime, Long.MIN_VALUE);
        for (Instrument i : catalog.all()) {
            InstrumentHistory.Span trades = ranges.trades(i.id());
            InstrumentHistory.Span quotes = ranges.quotes(i.id());
            if (trades != null) {
                lastTime[i.id()] = trades.last();
            }
            if (quotes != null) {
                lastTime[i.id()] = Math.max(lastTime[i.id()], quotes.last());
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

        // instruments whose last event falls in the same day and whose week and month start alike share queries
        Map<List<Long>, List<Instrument>> groups = new LinkedHashMap<>();
        for (Instrument i : catalog.all()) {
            long t = lastTime[i.id()];
            if (t != Long.MIN_VALUE) {
                long from = Math.min(Periodicity.W1.startOf(t), Periodicity.MN1.startOf(t));
                groups.computeIfAbsent(List.of(from, Periodicity.D1.startOf(t)), k -> new ArrayList<>()).add(i);
            }
        }
        Map<Integer, Samples> samples = new HashMap<>();
        for (Map.Entry<List<Long>, List<Instrument>> group : groups.entrySet()) {
            long from = group.getKey().get(0);
            long day = group.getKey().get(1);
            String in = group.getValue().stream().map(i -> "'" + i.symbol().replace("'", "''") + "'")
                    .collect(Collectors.joining(",", "symbol IN (", ")"));
            for (PriceType t : PRICE_TYPES) {
                String table = t == PriceType.LAST ? Schema.TRADES : Schema.QUOTES;
                String price = switch (t) {
                    case LAST -> "price";
                    case BID -> "bid";
                    case ASK -> "ask";
                };
                String select = "SELECT symbol, ts, first(" + price + "), max(" + price + "), min(" + price + "), last("
                        + price + "), max(ts)" + (t == PriceType.LAST ? ", sum(size), count()" : "") + " FROM "
                        + table + " WHERE " + in + (t == PriceType.LAST ? "" : " AND " + price + " > 0");
                if (from < day) {
                    db.select(select + " AND ts >= $1 AND ts < $2 SAMPLE BY 1d ALIGN TO CALENDAR", b -> {
                        b.setTimestamp(0, from);
                        b.setTimestamp(1, day);
                    }, r -> add(catalog, samples, r, t, true));
                }
                db.select(select + " AND ts >= $1 SAMPLE BY 1m ALIGN TO CALENDAR", b -> b.setTimestamp(0, day),
                        r -> add(catalog, samples, r, t, false));
            }
        }

        Map<Integer, BarSeeding.InstrumentSeed> seeds = new HashMap<>();
        for (Instrument i : catalog.all()) {
            long t = lastTime[i.id()];
            if (t != Long.MIN_VALUE) {
                seeds.put(i.id(), seed(i.id(), t, lastPrice[i.id()], closedUntil[i.id()],
                        samples.getOrDefault(i.id(), new Samples())));
            }
        }
        return id -> seeds.get(id);
    }

    private static boolean add(InstrumentCatalog catalog, Map<Integer, Samples> samples, io.questdb.cairo.sql.Record r,
                               PriceType t, boolean byDay) {
        Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
        if (i != null) {
            Samples s = samples.computeIfAbsent(i.id(), k -> new Samples());
            boolean trades = t == PriceType.LAST;
            (byDay ? s.byDay : s.byMinute)[t.ordinal()].add(new Sample(r.getTimestamp(1), r.getLong(2), r.getLong(3),
                    r.getLong(4), r.getLong(5), trades ? r.getLong(7) : 0, trades ? r.getLong(8) : 0, r.getTimestamp(6)));
        }
        return true;
    }

    /** Folds an instrument's samples into the bars of the periods containing {@code time}. */
    private static BarSeeding.InstrumentSeed seed(int id, long time, long lastPrice, long[] closedUntil, Samples samples) {
        Bar[] forming = new Bar[BarSeeding.InstrumentSeed.SLOTS];
        long[] volume = new long[PERIODS.length];
        long[] trades = new long[PERIODS.length];
        long[] tradeTime = new long[PERIODS.length];
        for (Periodicity p : PERIODS) {
            long start = p.startOf(time);
            Sample tradesOf = fold(samples, PriceType.LAST, start);
            volume[p.ordinal()] = tradesOf == null ? 0 : tradesOf.volume();
            trades[p.ordinal()] = tradesOf == null ? 0 : tradesOf.count();
            tradeTime[p.ordinal()] = tradesOf == null ? Long.MIN_VALUE : tradesOf.lastTime();
            for (PriceType t : PRICE_TYPES) {
                int slot = BarSeeding.InstrumentSeed.slot(p, t);
                Sample prices = t == PriceType.LAST ? tradesOf : fold(samples, t, start);
                if (prices == null || closedUntil[slot] > start) {
                    continue; // no price in the period, or the previous run closed its bar
                }
                forming[slot] = new Bar(id, 0, p, t, start, prices.open(), prices.high(), prices.low(), prices.close(),
                        volume[p.ordinal()], trades[p.ordinal()], Math.max(prices.lastTime(), tradeTime[p.ordinal()]),
                        false);
            }
        }
        return new BarSeeding.InstrumentSeed(time, lastPrice, volume[Periodicity.D1.ordinal()], forming, closedUntil,
                volume, trades, tradeTime);
    }

    /** The samples of one price type from {@code start} on, as one; {@code null} if none. */
    private static Sample fold(Samples samples, PriceType t, long start) {
        Sample folded = null;
        for (List<Sample> list : List.of(samples.byDay[t.ordinal()], samples.byMinute[t.ordinal()])) {
            list.sort(Comparator.comparingLong(Sample::start)); // a keyed sample need not come in time order
            for (Sample s : list) {
                if (s.start() < start) {
                    continue;
                }
                folded = folded == null ? s : new Sample(folded.start(), folded.open(), Math.max(folded.high(), s.high()),
                        Math.min(folded.low(), s.low()), s.close(), saturated(folded.volume(), s.volume()),
                        folded.count() + s.count(), Math.max(folded.lastTime(), s.lastTime()));
            }
        }
        return folded;
    }

    private static long saturated(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
