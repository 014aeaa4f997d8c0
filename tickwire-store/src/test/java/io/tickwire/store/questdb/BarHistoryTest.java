package io.tickwire.store.questdb;

import static io.tickwire.store.TestMarket.AAPL;
import static io.tickwire.store.TestMarket.BTC;
import static io.tickwire.store.TestMarket.CATALOG;
import static io.tickwire.store.TestMarket.DAY;
import static io.tickwire.store.TestMarket.EUR;
import static io.tickwire.store.TestMarket.quote;
import static io.tickwire.store.TestMarket.seconds;
import static io.tickwire.store.TestMarket.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Bar;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.store.BarPage;
import io.tickwire.store.BarQuery;
import io.tickwire.store.StoreSettings;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RandomCases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bars from history: computed from stored ticks they follow the documented definition exactly
 * (checked against a plain reference aggregation over random markets); closed bars the live
 * stream handed in are served exactly as closed; only closed periods are served; paging in both
 * directions neither loses nor repeats a bar.
 */
class BarHistoryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long DAY_MICROS = 86_400_000_000L;

    @TempDir
    static Path dir;

    private static final ManualClock CLOCK = new ManualClock(Instant.parse("2025-11-23T10:30:20Z"));
    private static QuestDbStore store;

    @BeforeAll
    static void open() {
        store = QuestDbStore.open(StoreSettings.defaults(dir), CATALOG, CLOCK);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /** A random market: each case its own two months, long before the clock's now. */
    record Market(long start, List<Trade> trades, List<Quote> quotes, Periodicity periodicity) {
        @Override
        public String toString() {
            return "Market[start=" + start + ", " + trades.size() + " trades, " + quotes.size() + " quotes, "
                    + periodicity + "]";
        }
    }

    private static int caseNumber;

    private static Market randomMarket(SplittableRandom random) {
        // 62 days apart: no two cases share a month, so no bar of any period mixes two cases
        long start = DAY - (++caseNumber + 2) * 62 * DAY_MICROS + random.nextLong(0, DAY_MICROS);
        Periodicity[] periods = Periodicity.values();
        Periodicity p = periods[random.nextInt(periods.length)];
        long span = switch (p) {
            case M1, M5 -> seconds(3 * 3_600);
            case M15, M30, H1 -> 2 * DAY_MICROS;
            default -> 6 * DAY_MICROS;
        };
        List<Trade> trades = new ArrayList<>();
        List<Quote> quotes = new ArrayList<>();
        long time = start;
        long price = 5_000_00 + random.nextLong(0, 100_000);
        int n = random.nextInt(20, 400);
        for (int i = 1; i <= n; i++) {
            if (random.nextInt(5) != 0) { // bursts: a fifth of the ticks share the previous timestamp
                time += random.nextLong(1, Math.max(2, span / n * 2));
            }
            price = Math.max(1, price + random.nextLong(-300, 301));
            if (random.nextBoolean()) {
                trades.add(trade(AAPL, trades.size() + 1, time, price, random.nextLong(1, 500)));
            } else {
                long bid = random.nextInt(8) == 0 ? 0 : price - random.nextLong(1, 50); // sometimes an empty side
                long ask = random.nextInt(8) == 0 ? 0 : price + random.nextLong(1, 50);
                quotes.add(quote(AAPL, quotes.size() + 1, time, bid, ask));
            }
        }
        return new Market(start, trades, quotes, p);
    }

    @Test
    void barsComputedFromTicksFollowTheDefinitionExactly() {
        RandomCases.check(12, BarHistoryTest::randomMarket, market -> {
            try {
                market.trades().forEach(store::onEvent);
                market.quotes().forEach(store::onEvent);
                assertThat(store.flush(WAIT)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            long from = market.start() - DAY_MICROS;
            long to = market.start() + 8 * DAY_MICROS;
            for (PriceType t : PriceType.values()) {
                List<Bar> expected = reference(market, t, from, to);
                List<Bar> all = readAll(AAPL, market.periodicity(), t, from, to, 1_000, false);
                assertThat(all).as("%s %s bars", market.periodicity(), t).containsExactlyElementsOf(expected);
                assertThat(readAll(AAPL, market.periodicity(), t, from, to, 7, false)).containsExactlyElementsOf(expected);
                assertThat(readAll(AAPL, market.periodicity(), t, from, to, 5, true)).containsExactlyElementsOf(expected);
            }
        });
    }

    @Test
    void closedBarsOfTheLiveStreamAreServedExactlyAsClosedAndEarlierOnesAreComputed() throws Exception {
        long base = DAY - 60 * DAY_MICROS; // its own time, clear of the random markets
        // ticks for ten minutes; the live stream's closed bars only from minute 6 on
        List<Bar> live = new ArrayList<>();
        for (int minute = 0; minute < 10; minute++) {
            long t0 = base + seconds(60L * minute);
            store.onEvent(trade(BTC, 2 * minute + 1, t0 + seconds(5), 100_00 + minute, 3));
            store.onEvent(trade(BTC, 2 * minute + 2, t0 + seconds(50), 101_00 + minute, 4));
            if (minute >= 6) {
                // deliberately not what the ticks would give: proves the stored bar is what is served
                Bar closed = new Bar(BTC.id(), 1_000 + minute, Periodicity.M1, PriceType.LAST, t0, 99_00, 105_55,
                        98_01, 100_07, 123_456, 42, t0 + seconds(59), true);
                live.add(closed);
                store.onClosedBar(closed);
            }
        }
        store.onClosedBar(new Bar(BTC.id(), 5, Periodicity.M1, PriceType.LAST, base + seconds(600), 1, 1, 1, 1, 1, 1,
                base + seconds(601), false)); // a forming bar: not stored
        assertThat(store.flush(WAIT)).isTrue();

        List<Bar> bars = readAll(BTC, Periodicity.M1, PriceType.LAST, base, base + seconds(3_600), 1_000, false);
        assertThat(bars).hasSize(10);
        assertThat(bars.subList(6, 10)).containsExactlyElementsOf(live);
        for (int minute = 0; minute < 6; minute++) {
            long t0 = base + seconds(60L * minute);
            assertThat(bars.get(minute)).isEqualTo(new Bar(BTC.id(), 0, Periodicity.M1, PriceType.LAST, t0, 100_00 + minute,
                    101_00 + minute, 100_00 + minute, 101_00 + minute, 7, 2, t0 + seconds(50), true));
        }
        assertThat(readAll(BTC, Periodicity.M1, PriceType.LAST, base, base + seconds(3_600), 3, true))
                .containsExactlyElementsOf(bars);
        assertThat(readAll(BTC, Periodicity.M1, PriceType.LAST, base, base + seconds(3_600), 4, false))
                .containsExactlyElementsOf(bars);
    }

    @Test
    void aStoredBarIsFoundCountingBackwardsFromNowWithoutAnyTicks() throws Exception {
        long open = DAY - 90 * DAY_MICROS;
        Bar closed = new Bar(EUR.id(), 17, Periodicity.H1, PriceType.ASK, open, 116_201, 116_299, 116_100, 116_250, 9,
                3, open + seconds(3_599), true);
        store.onClosedBar(closed);
        assertThat(store.flush(WAIT)).isTrue();
        BarPage page = store.queries().bars(new BarQuery(EUR, Periodicity.H1, PriceType.ASK, 0, Long.MAX_VALUE, 10, true));
        assertThat(page.bars()).containsExactly(closed);
        assertThat(page.more()).isFalse();
    }

    @Test
    void onlyClosedPeriodsAreServed() throws Exception {
        long now = CLOCK.epochMicros(); // 10:30:20
        store.onEvent(trade(EUR, 1, now - seconds(200), 116_200, 10)); // 10:27:00 bar
        store.onEvent(trade(EUR, 2, now - seconds(10), 116_210, 10)); // the forming 10:30 bar
        assertThat(store.flush(WAIT)).isTrue();
        BarPage page = store.queries().bars(new BarQuery(EUR, Periodicity.M1, PriceType.LAST, now - seconds(3_600),
                now + seconds(3_600), 10, false));
        assertThat(page.bars()).extracting(Bar::openTime).containsExactly(Periodicity.M1.startOf(now - seconds(200)));
        assertThat(page.more()).isFalse();
        assertThat(store.queries().bars(new BarQuery(EUR, Periodicity.H1, PriceType.LAST, now - seconds(7_200),
                now, 10, true)).bars()).isEmpty(); // the 10:00 hour is still forming
    }

    /** Reads a whole range page by page. */
    private static List<Bar> readAll(Instrument i, Periodicity p, PriceType t, long from, long to, int pageSize,
                                     boolean backwards) {
        List<Bar> all = new ArrayList<>();
        long lo = from;
        long hi = to;
        while (true) {
            BarPage page = store.queries().bars(new BarQuery(i, p, t, lo, hi, pageSize, backwards));
            assertThat(page.bars().size()).isLessThanOrEqualTo(pageSize);
            if (backwards) {
                all.addAll(0, page.bars());
            } else {
                all.addAll(page.bars());
            }
            if (!page.more()) {
                return all;
            }
            assertThat(page.bars()).hasSize(pageSize);
            if (backwards) {
                hi = page.bars().get(0).openTime();
            } else {
                lo = page.bars().get(page.bars().size() - 1).openTime() + 1;
            }
        }
    }

    /** The definition, written plainly. */
    private static List<Bar> reference(Market m, PriceType t, long from, long to) {
        Periodicity p = m.periodicity();
        Map<Long, long[]> volume = new LinkedHashMap<>(); // open -> {volume, trades, lastTime}
        for (Trade trade : m.trades()) {
            long[] v = volume.computeIfAbsent(p.startOf(trade.eventTime()), k -> new long[3]);
            v[0] += trade.size();
            v[1]++;
            v[2] = Math.max(v[2], trade.eventTime());
        }
        Map<Long, long[]> ohlc = new LinkedHashMap<>(); // open -> {o, h, l, c, lastTime}
        if (t == PriceType.LAST) {
            for (Trade trade : m.trades()) {
                add(ohlc, p.startOf(trade.eventTime()), trade.price(), trade.eventTime());
            }
        } else {
            for (Quote q : m.quotes()) {
                long price = t == PriceType.BID ? q.bidPrice() : q.askPrice();
                if (price > 0) {
                    add(ohlc, p.startOf(q.eventTime()), price, q.eventTime());
                }
            }
        }
        List<Bar> bars = new ArrayList<>();
        ohlc.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            long open = e.getKey();
            long[] x = e.getValue();
            long[] v = volume.getOrDefault(open, new long[3]);
            if (open >= from && open < to) {
                bars.add(new Bar(AAPL.id(), 0, p, t, open, x[0], x[1], x[2], x[3], v[0], v[1], Math.max(x[4], v[2]), true));
            }
        });
        return bars;
    }

    private static void add(Map<Long, long[]> ohlc, long open, long price, long time) {
        long[] x = ohlc.get(open);
        if (x == null) {
            ohlc.put(open, new long[] {price, price, price, price, time});
        } else {
            x[1] = Math.max(x[1], price);
            x[2] = Math.min(x[2], price);
            x[3] = price;
            x[4] = Math.max(x[4], time);
        }
    }
}
