package io.tickwire.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.ingest.Sequencing;
import io.tickwire.model.Bar;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RandomCases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bars against the market clock: late and out-of-order events, one instrument stamped ahead of
 * the others, and replays. The engine's wall time is driven by hand ({@code beginBatch},
 * {@code onTick}), so every case is deterministic.
 */
class BarClockTest {

    private static final long S = 1_000_000L;
    private static final long T0 = Instant.parse("2024-11-15T12:00:00Z").getEpochSecond() * S;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-11-15T12:00:00Z"));
    private final List<Bar> closedBars = new ArrayList<>();
    private RecordingDelivery delivery;
    private PartitionEngine engine = engine(Sequencing.ASSIGN);

    private PartitionEngine engine(Sequencing sequencing) {
        delivery = new RecordingDelivery();
        return new PartitionEngine(TestInstruments.catalog(2), clock, delivery, new ClosedBarsTap(closedBars), sequencing);
    }

    /** An event seen by the engine at wall time {@code wall}. */
    private void at(long wall, MarketEvent event) {
        engine.beginBatch(wall);
        engine.onSourceEvent(event);
    }

    private static Quote bid(int id, long time, long price) {
        return new Quote(id, 0, time, price, 1, price + 10, 1, 0, 0);
    }

    private static Trade trade(int id, long time, long price, long size) {
        return new Trade(id, 0, time, price, size, Side.BUY, 0);
    }

    private List<Bar> closed(int id, Periodicity period, PriceType type) {
        return closedBars.stream()
                .filter(b -> b.instrumentId() == id && b.periodicity() == period && b.priceType() == type).toList();
    }

    /** Runs every tick due up to {@code wall}, as the partition's loop does. */
    private void tickUntil(long wall) {
        for (int i = 0; i < 100 && engine.nextDeadline() <= wall; i++) {
            engine.onTick(engine.nextDeadline());
        }
        engine.onTick(wall);
    }

    @Test
    void aQuoteStampedJustBeforeTheBoundaryArrivingAfterTheCloseCountsInTheNextBar() {
        at(T0 + 30 * S, bid(0, T0 + 30 * S, 100));
        tickUntil(T0 + 60 * S + 500); // the market clock closes the minute
        assertThat(closed(0, Periodicity.M1, PriceType.BID)).singleElement()
                .satisfies(b -> assertThat(b.openTime()).isEqualTo(T0));
        at(T0 + 60 * S + 600, bid(0, T0 + 60 * S - 300, 101)); // stamped 0.3 ms before the boundary
        tickUntil(T0 + 121 * S); // its clock follows the late stamp: the minute closes 0.9 ms after 12:02 by the wall

        List<Bar> bars = closed(0, Periodicity.M1, PriceType.BID);
        assertThat(bars).extracting(Bar::openTime).containsExactly(T0, T0 + 60 * S);
        assertThat(bars.get(0).close()).isEqualTo(100);
        assertThat(bars.get(1).open()).isEqualTo(101);
        for (Periodicity period : Periodicity.values()) {
            assertThat(closed(0, period, PriceType.BID)).extracting(Bar::openTime).doesNotHaveDuplicates();
        }
    }

    @Test
    void backDatedTradesOfAClosedPeriodCountInTheCurrentBar() {
        at(T0 + 10 * S, trade(0, T0 + 10 * S, 100, 1));
        tickUntil(T0 + 70 * S); // the first minute closed; nothing forms in the second
        for (int i = 0; i < 5; i++) {
            long wall = T0 + 71 * S + i * S;
            at(wall, trade(0, T0 + 20 * S + i * S, 90 + i, 1)); // published now, stamped in the closed minute
            tickUntil(wall + 1);
        }
        tickUntil(T0 + 200 * S);
        List<Bar> bars = closed(0, Periodicity.M1, PriceType.LAST);
        assertThat(bars).extracting(Bar::openTime).containsExactly(T0, T0 + 60 * S);
        assertThat(bars).extracting(Bar::trades).containsExactly(1L, 5L);
    }

    @Test
    void outOfOrderTimesNeverSplitAPeriodIntoTwoClosedBars() {
        at(T0 + 30 * S, bid(0, T0 + 30 * S, 100));
        at(T0 + 65 * S, trade(0, T0 + 65 * S, 105, 2)); // closes the bid bar of the first minute; waits for a bid
        at(T0 + 66 * S, bid(0, T0 + 50 * S, 101));      // out of order: stamped in the closed minute
        tickUntil(T0 + 180 * S);
        List<Bar> bids = closed(0, Periodicity.M1, PriceType.BID);
        assertThat(bids).extracting(Bar::openTime).containsExactly(T0, T0 + 60 * S);
        assertThat(bids.get(1).open()).isEqualTo(101);
        assertThat(bids.get(1).volume()).as("the waiting trade joins the bar of its period").isEqualTo(2);
    }

    @Test
    void backDatedEventsWhosePeriodsHaveNotClosedBuildTheirOwnBars() {
        at(T0 + 250 * S, trade(0, T0 + 250 * S, 100, 1)); // the instrument's clock is at T0 + 250 s
        for (int i = 0; i < 300; i++) {
            at(T0 + 250 * S, bid(0, T0 + i * S / 2, 1_000 + i)); // one batch of older quotes, before any tick
        }
        tickUntil(T0 + 400 * S);
        List<Bar> bids = closed(0, Periodicity.M1, PriceType.BID);
        assertThat(bids).extracting(Bar::openTime).containsExactly(T0, T0 + 60 * S, T0 + 120 * S);
        assertThat(bids.get(0).open()).isEqualTo(1_000);
        assertThat(bids.get(0).close()).isEqualTo(1_119);
        assertThat(bids.get(2).close()).isEqualTo(1_299);
    }

    /** Events of one instrument with jittered, sometimes out-of-order times, and ticks in between. */
    private record Tape(List<long[]> steps) {
        @Override
        public String toString() {
            return steps.size() + " steps";
        }
    }

    @Test
    void noPeriodEverClosesTwiceWhateverTheOrderOfTimes() {
        RandomCases.check(60, r -> {
            List<long[]> steps = new ArrayList<>(); // {kind 0 quote 1 trade 2 tick, wall, time, price}
            long wall = T0 + r.nextLong(0, 60 * S);
            for (int i = 0; i < 300; i++) {
                wall += r.nextInt(10) == 0 ? r.nextLong(S, 90 * S) : r.nextLong(1, 2 * S);
                long time = wall + (r.nextInt(4) == 0 ? -r.nextLong(0, 3 * S) : r.nextLong(-2_000, 2_000));
                steps.add(new long[] {r.nextInt(3), wall, time, 100 + r.nextInt(20)});
            }
            return new Tape(steps);
        }, tape -> {
            closedBars.clear();
            engine = engine(Sequencing.ASSIGN);
            for (long[] step : tape.steps()) {
                switch ((int) step[0]) {
                    case 0 -> at(step[1], bid(0, step[2], step[3]));
                    case 1 -> at(step[1], trade(0, step[2], step[3], 1));
                    default -> tickUntil(step[1]);
                }
            }
            tickUntil(tape.steps().getLast()[1] + 40L * 86_400 * S);
            for (Periodicity period : Periodicity.values()) {
                for (PriceType type : PriceType.values()) {
                    List<Long> opens = closed(0, period, type).stream().map(Bar::openTime).toList();
                    assertThat(opens).as("%s %s", period, type).isSorted().doesNotHaveDuplicates();
                }
            }
            long traded = tape.steps().stream().filter(s -> s[0] == 1).count();
            assertThat(closed(0, Periodicity.MN1, PriceType.LAST).stream().mapToLong(Bar::trades).sum())
                    .as("every trade counts once").isEqualTo(traded);
        });
    }

    @Test
    void theFirstBarOfASeriesMayOpenInThePastButOnlyOnce() {
        long lastWeek = Periodicity.W1.startOf(T0) - 7 * 86_400 * S + 86_400 * S;
        long wall = T0;
        at(wall, bid(1, wall, 50)); // another instrument keeps the partition live
        for (int i = 0; i < 5; i++) {
            wall += S;
            at(wall, trade(0, lastWeek + i * 3_600 * S, 90 + i, 1));
            at(wall, bid(1, wall, 50 + i));
            tickUntil(wall + 1);
        }
        tickUntil(T0 + 86_400 * S * 10);
        assertThat(closed(0, Periodicity.W1, PriceType.LAST)).extracting(Bar::openTime).doesNotHaveDuplicates();
        // instrument 0's own clock follows its own (old) times: one bar for last week, with all five
        assertThat(closed(0, Periodicity.W1, PriceType.LAST)).extracting(Bar::openTime, Bar::trades)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Periodicity.W1.startOf(lastWeek), 5L));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Sequencing.class, names = {"ASSIGN", "FOLLOW"}) // live, and a cluster gateway
    void anInstrumentStampedAheadDoesNotCloseAnotherInstrumentsBars(Sequencing sequencing) {
        engine = engine(sequencing);
        at(T0 + 50 * S, trade(0, T0 + 50 * S, 100, 1));
        at(T0 + 55 * S, trade(1, T0 + 60 * S, 200, 1)); // instrument 1's source stamps 5 s ahead
        tickUntil(T0 + 56 * S);                          // instrument 1's clock has passed the minute
        assertThat(closed(1, Periodicity.M1, PriceType.LAST)).hasSize(0); // its bar opened at T0 + 60 s
        at(T0 + 57 * S, trade(1, T0 + 62 * S, 201, 1));
        tickUntil(T0 + 58 * S);
        at(T0 + 58 * S, trade(0, T0 + 58 * S, 101, 1)); // in order, in the first minute
        assertThat(closed(0, Periodicity.M1, PriceType.LAST)).as("not closed by instrument 1's clock").isEmpty();

        assertThat(engine.nextDeadline()).as("instrument 0's minute ends by its own clock")
                .isEqualTo(T0 + 60 * S);
        tickUntil(T0 + 60 * S);
        assertThat(closed(0, Periodicity.M1, PriceType.LAST)).singleElement().satisfies(b -> {
            assertThat(b.openTime()).isEqualTo(T0);
            assertThat(b.trades()).isEqualTo(2);
            assertThat(b.close()).isEqualTo(101);
        });
    }

    @Test
    void aReplayClosesAQuietInstrumentsBarsAtTheReplaysPace() {
        engine = engine(Sequencing.KEEP_SOURCE);
        long past = T0 - 86_400 * S; // yesterday, replayed ten times faster than the wall clock
        long wall = T0;
        at(wall, new Trade(0, 1, past + 10 * S, 100, 1, Side.BUY, 1));
        for (int i = 1; i <= 8; i++) {
            wall += S;
            at(wall, new Trade(1, i, past + 10 * S + i * 10 * S, 200, 1, Side.BUY, i)); // instrument 1 keeps trading
            tickUntil(wall);
        }
        // the replayed time is past + 90 s: instrument 0's first minute has ended in the replay
        assertThat(closed(0, Periodicity.M1, PriceType.LAST)).extracting(Bar::openTime)
                .containsExactly(Periodicity.M1.startOf(past));
    }

    @Test
    void volumesSaturateInsteadOfWrapping() {
        long quotes = StreamKey.quote(0, 0);
        engine.onCommand(new EngineCommand.Subscribe(quotes, Route.of(0, 0), "s", 1));
        at(T0, bid(0, T0, 100));
        at(T0 + 1, trade(0, T0 + 1, 100, Long.MAX_VALUE)); // 922337203685477.5807 at scale 4
        at(T0 + 2, trade(0, T0 + 2, 100, 1));
        at(T0 + 3, bid(0, T0 + 3, 101));
        at(T0 + 61 * S, trade(0, T0 + 61 * S, 100, Long.MAX_VALUE)); // a trade waiting for a bid
        at(T0 + 61 * S + 1, trade(0, T0 + 61 * S + 1, 100, 5));
        at(T0 + 62 * S, bid(0, T0 + 62 * S, 102));
        tickUntil(T0 + 86_400 * S);
        Set<Long> volumes = new HashSet<>();
        for (Bar b : closedBars) {
            volumes.add(b.volume());
        }
        assertThat(volumes).containsOnly(Long.MAX_VALUE);
        assertThat(closed(0, Periodicity.M1, PriceType.BID)).hasSize(2);
        Quote last = (Quote) delivery.events().getLast();
        assertThat(last.volume()).as("the quote's day volume").isEqualTo(Long.MAX_VALUE);
    }
}
