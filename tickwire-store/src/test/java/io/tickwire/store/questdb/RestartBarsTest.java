package io.tickwire.store.questdb;

import static io.tickwire.store.TestMarket.BTC;
import static io.tickwire.store.TestMarket.CATALOG;
import static io.tickwire.store.TestMarket.DAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.Delivery;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.Interest;
import io.tickwire.engine.PartitionEngine;
import io.tickwire.engine.Route;
import io.tickwire.engine.StreamKey;
import io.tickwire.model.Bar;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import io.tickwire.store.BarQuery;
import io.tickwire.store.StoreSettings;
import io.tickwire.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server restarted on its store continues the bars being formed and the quotes' day volume and
 * last price: an engine tapped by a real store, stopped, and a new store and engine on the same
 * directory seeded from it ({@link QuestDbStore#barSeeding}), as the application wires them.
 */
class RestartBarsTest {

    private static final long S = 1_000_000L;
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** 2025-11-20T10:00:00Z, a Thursday: its week began on the 17th, its month on the 1st. */
    private static final long M = DAY + 10 * 3_600 * S;
    private static final long MONDAY = M - 3 * 86_400 * S;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(java.time.Instant.EPOCH);
    private final List<StreamMessage> published = new ArrayList<>();
    private final List<StreamMessage> snapshots = new ArrayList<>();

    private QuestDbStore open() {
        return QuestDbStore.open(StoreSettings.defaults(dir), CATALOG, clock);
    }

    /** An engine tapped by the store, continuing what it holds, as {@code TickwireApp} wires them. */
    private PartitionEngine engine(QuestDbStore store) {
        PartitionEngine engine = new PartitionEngine(CATALOG, clock, new Delivery() {
            @Override
            public void publish(long streamKey, StreamMessage message, long prevSeq, Interest interest) {
                published.add(message);
            }

            @Override
            public void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot) {
                snapshots.add(snapshot);
            }

            @Override
            public void snapshot(EngineCommand.Snapshot request, StreamMessage snapshot) {
            }

            @Override
            public void endOfBatch() {
            }
        }, store);
        engine.continueNumbering(store.numbering());
        engine.seedBars(store.barSeeding(), id -> true);
        return engine;
    }

    private void at(PartitionEngine engine, long wall, MarketEvent event) {
        clock.set(java.time.Instant.ofEpochSecond(0, wall * 1_000));
        engine.beginBatch(wall);
        engine.onSourceEvent(event);
    }

    private static Trade trade(long time, long price, long size) {
        return new Trade(BTC.id(), 0, time, price, size, Side.BUY, 0);
    }

    private static Quote quote(long time, long bid, long ask) {
        return new Quote(BTC.id(), 0, time, bid, 1, ask, 1, 0, 0);
    }

    private static List<Long> ohlcvn(Bar b) {
        return List.of(b.open(), b.high(), b.low(), b.close(), b.volume(), b.trades());
    }

    private List<Bar> storedBars(QuestDbStore store, Periodicity p, long from, long to) {
        return store.queries().bars(new BarQuery(BTC, p, PriceType.LAST, from, to, 100, false)).bars();
    }

    @Test
    void theFormingBarAndTheDayVolumeContinueAfterARestart() throws Exception {
        try (QuestDbStore store = open()) {
            PartitionEngine engine = engine(store);
            at(engine, MONDAY, trade(MONDAY, 520, 5)); // earlier in the week and month, not in the day
            at(engine, M + 5 * S, trade(M + 5 * S, 500, 1));
            at(engine, M + 5 * S, trade(M + 5 * S, 510, 2));
            at(engine, M + 6 * S, quote(M + 6 * S, 499, 511));
        } // stopped 14 s later, mid-minute

        try (QuestDbStore store = open()) {
            clock.set(java.time.Instant.ofEpochSecond(0, (M + 20 * S) * 1_000));
            PartitionEngine engine = engine(store);
            engine.onCommand(new EngineCommand.Subscribe(StreamKey.quote(BTC.id(), 0), Route.of(0, 0), "s", 1));
            engine.onCommand(new EngineCommand.Subscribe(StreamKey.bar(BTC.id(), Periodicity.MN1, PriceType.LAST, 0),
                    Route.of(0, 0), "s", 2));
            assertThat(snapshots.getFirst()).as("the stored quote, filled in with the day's values").isInstanceOfSatisfying(
                    Quote.class, q -> {
                        assertThat(List.of(q.eventTime(), q.bidPrice(), q.askPrice())).containsExactly(M + 6 * S, 499L, 511L);
                        assertThat(List.of(q.lastPrice(), q.volume())).containsExactly(510L, 3L);
                    });
            assertThat(snapshots.getLast()).as("the month's forming bar").isInstanceOfSatisfying(Bar.class, month -> {
                assertThat(month.openTime()).isEqualTo(Periodicity.MN1.startOf(M));
                assertThat(ohlcvn(month)).containsExactly(520L, 520L, 500L, 510L, 8L, 3L);
            });

            at(engine, M + 30 * S, trade(M + 30 * S, 490, 4));
            at(engine, M + 31 * S, quote(M + 31 * S, 489, 491));
            Quote q = (Quote) published.stream().filter(Quote.class::isInstance).reduce((a, b) -> b).orElseThrow();
            assertThat(q.lastPrice()).isEqualTo(490);
            assertThat(q.volume()).as("the day's volume: 1 + 2 before the restart, 4 after").isEqualTo(7);
            at(engine, M + 61 * S, trade(M + 61 * S, 470, 1)); // closes the minute
            assertThat(store.flush(WAIT)).isTrue();

            clock.set(java.time.Instant.ofEpochSecond(0, (M + 90 * S) * 1_000));
            List<Bar> minutes = storedBars(store, Periodicity.M1, M, M + 60 * S);
            assertThat(minutes).singleElement().satisfies(b -> {
                assertThat(b.openTime()).isEqualTo(M);
                assertThat(ohlcvn(b)).containsExactly(500L, 510L, 490L, 490L, 7L, 3L);
            });
            Bar monthNow = (Bar) published.stream()
                    .filter(m -> m instanceof Bar b && b.periodicity() == Periodicity.MN1).reduce((a, b) -> b).orElseThrow();
            assertThat(ohlcvn(monthNow)).containsExactly(520L, 520L, 470L, 470L, 13L, 5L);
        }
    }

    @Test
    void aPeriodTheStoppedServerClosedGetsNoSecondBar() throws Exception {
        try (QuestDbStore store = open()) {
            PartitionEngine engine = engine(store);
            at(engine, M + 5 * S, trade(M + 5 * S, 500, 1));
            engine.onTick(M + 61 * S); // the market clock closes the minute: the store keeps its bar
        }

        try (QuestDbStore store = open()) {
            PartitionEngine engine = engine(store);
            at(engine, M + 70 * S, trade(M + 50 * S, 490, 4)); // published now, stamped in the closed minute
            engine.onTick(M + 150 * S); // its clock follows the late stamp: the minute closes at M + 140 s by the wall
            assertThat(store.flush(WAIT)).isTrue();

            clock.set(java.time.Instant.ofEpochSecond(0, (M + 160 * S) * 1_000));
            List<Bar> minutes = storedBars(store, Periodicity.M1, M, M + 120 * S);
            assertThat(minutes).extracting(Bar::openTime).containsExactly(M, M + 60 * S);
            assertThat(minutes).extracting(Bar::volume).containsExactly(1L, 4L);
        }
    }

    @Test
    void theSeededBarsAreTheBarsOfTheStoredTicksWhetherTheSmallerPeriodsBarsWereStoredOrNot() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        long seq = 0;
        long last = 0;
        long live = Periodicity.D1.startOf(M) - 10 * 86_400 * S; // before: imported ticks, no bars; since: a live run's
        try (QuestDbStore store = open()) {
            PartitionEngine engine = engine(store);
            for (long t = Periodicity.MN1.startOf(M) + 3_600 * S; t <= M + 20 * S; t += random.nextLong(1, 3_600) * S) {
                last = t;
                MarketEvent event;
                if (random.nextBoolean()) {
                    event = new Trade(BTC.id(), ++seq, t, random.nextLong(400, 600), random.nextLong(1, 9), Side.BUY, seq);
                } else {
                    long bid = random.nextInt(5) == 0 ? 0 : random.nextLong(400, 600);
                    event = new Quote(BTC.id(), ++seq, t, bid, 1, random.nextLong(600, 800), 1, 0, 0);
                }
                if (t < live) {
                    store.onEvent(event);
                } else {
                    at(engine, t, event);
                }
            }
            assertThat(store.flush(WAIT)).isTrue();
        }
        clock.set(java.time.Instant.ofEpochSecond(0, Periodicity.MN1.next(Periodicity.MN1.startOf(M)) * 1_000 + 1_000));
        try (QuestDbStore store = open()) {
            io.tickwire.engine.bar.BarSeeding.InstrumentSeed seed = store.barSeeding().instrument(BTC.id());
            assertThat(seed.lastEventTime()).isEqualTo(last);
            for (Periodicity p : Periodicity.values()) {
                long start = p.startOf(last);
                for (PriceType t : PriceType.values()) {
                    List<Bar> computed = store.queries().bars(new BarQuery(BTC, p, t, start, p.next(start), 1, false))
                            .bars();
                    Bar seeded = seed.forming()[io.tickwire.engine.bar.BarSeeding.InstrumentSeed.slot(p, t)];
                    if (computed.isEmpty()) {
                        assertThat(seeded).as("%s %s", p, t).isNull();
                    } else {
                        assertThat(seeded).as("%s %s", p, t).isNotNull();
                        assertThat(ohlcvn(seeded)).as("%s %s", p, t).isEqualTo(ohlcvn(computed.getFirst()));
                        assertThat(seeded.updateTime()).as("%s %s", p, t).isEqualTo(computed.getFirst().updateTime());
                    }
                }
            }
        }
    }
}
