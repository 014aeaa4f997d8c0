package io.tickwire.engine;

import io.tickwire.model.Bar;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Throttle;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RandomCases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class BookAndBarEngineTest {

    private static final long T0 = Instant.parse("2024-11-15T12:00:00Z").getEpochSecond() * 1_000_000L;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-11-15T12:00:00Z"));
    private final RecordingDelivery delivery = new RecordingDelivery();
    private final List<Bar> closedBars = new ArrayList<>();
    private final List<BookSnapshot> bookSnapshots = new ArrayList<>();
    private final PartitionEngine engine = new PartitionEngine(TestInstruments.catalog(2), clock, delivery, new EventTap() {
        @Override
        public void onEvent(MarketEvent event) {
        }

        @Override
        public void onClosedBar(Bar closed) {
            closedBars.add(closed);
        }

        @Override
        public void onBookSnapshot(BookSnapshot snapshot) {
            bookSnapshots.add(snapshot);
        }
    });

    private static BookUpdate update(long time, Object... changes) {
        BookUpdate.Builder b = BookUpdate.builder(0, time);
        for (int i = 0; i < changes.length; i += 3) {
            b.set((BookSide) changes[i], ((Number) changes[i + 1]).longValue(), ((Number) changes[i + 2]).longValue());
        }
        return b.build();
    }

    private void subscribe(long key, int loop) {
        engine.onCommand(new EngineCommand.Subscribe(key, Route.of(loop, 0), "s" + loop, 1));
    }

    @Test
    void quotesAreDerivedFromTheBookOnlyWhenTheTopChanges() {
        long quotes = StreamKey.quote(0, 0);
        subscribe(quotes, 0);
        engine.onSourceEvent(update(T0, BookSide.BID, 100, 5, BookSide.ASK, 102, 7));
        engine.onSourceEvent(update(T0 + 1, BookSide.BID, 99, 3));           // below the touch: no quote
        engine.onSourceEvent(update(T0 + 2, BookSide.ASK, 102, 4));          // size at the touch: a quote
        engine.onSourceEvent(new Trade(0, 0, T0 + 3, 102, 3, Side.BUY, 0)); // last price and volume follow
        engine.onSourceEvent(update(T0 + 4, BookSide.ASK, 102, 0));          // the ask side empties
        assertThat(delivery.published(quotes)).extracting(p -> (Quote) p.message())
                .containsExactly(
                        new Quote(0, 1, T0, 100, 5, 102, 7, 0, 0),
                        new Quote(0, 2, T0 + 2, 100, 5, 102, 4, 0, 0),
                        new Quote(0, 3, T0 + 4, 100, 5, 0, 0, 102, 3));
    }

    @Test
    void theTapGetsTheWholeBookAtMostOncePerSnapshotInterval() {
        long second = PartitionEngine.BOOK_SNAPSHOT_INTERVAL_MICROS;
        engine.onSourceEvent(update(T0, BookSide.BID, 100, 5, BookSide.ASK, 102, 7));    // seq 1: the first one
        engine.onSourceEvent(update(T0 + second - 1, BookSide.BID, 99, 3));               // seq 2: too soon
        engine.onSourceEvent(update(T0 + second, BookSide.ASK, 103, 2, BookSide.BID, 100, 0)); // seq 3: due
        assertThat(bookSnapshots).hasSize(2);
        BookSnapshot first = bookSnapshots.get(0);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.time()).isEqualTo(T0);
        assertThat(first.bidPrices()).containsExactly(100);
        BookSnapshot due = bookSnapshots.get(1);
        assertThat(due.seq()).isEqualTo(3);
        assertThat(due.bidPrices()).containsExactly(99);
        assertThat(due.bidSizes()).containsExactly(3);
        assertThat(due.askPrices()).containsExactly(102, 103);
        assertThat(due.askSizes()).containsExactly(7, 2);
    }

    @Test
    void aBookThatGoesQuietAfterAChangeTooSoonForAPictureGetsOneOfItsLastStateASecondLater() {
        long second = PartitionEngine.BOOK_SNAPSHOT_INTERVAL_MICROS;
        engine.beginBatch(clock.epochMicros());
        engine.onSourceEvent(update(T0, BookSide.BID, 100, 5, BookSide.ASK, 102, 7)); // seq 1: pictured
        engine.onSourceEvent(update(T0 + 10, BookSide.BID, 99, 3));                    // seq 2: too soon
        engine.onSourceEvent(update(T0 + 20, BookSide.BID, 99, 4));                    // seq 3: too soon, then quiet
        assertThat(bookSnapshots).extracting(BookSnapshot::seq).containsExactly(1L);
        assertThat(engine.nextDeadline()).isLessThanOrEqualTo(clock.epochMicros() + second);

        engine.onTick(clock.epochMicros() + second - 1);
        assertThat(bookSnapshots).as("not before its second").hasSize(1);
        engine.onTick(clock.epochMicros() + second);
        assertThat(bookSnapshots).extracting(BookSnapshot::seq).containsExactly(1L, 3L);
        BookSnapshot trailing = bookSnapshots.get(1);
        assertThat(trailing.time()).isEqualTo(T0 + 20);
        assertThat(trailing.bidPrices()).containsExactly(100, 99);
        assertThat(trailing.bidSizes()).containsExactly(5, 4);
        engine.onTick(clock.epochMicros() + 5 * second);
        assertThat(bookSnapshots).as("one picture per quiet spell").hasSize(2);

        long wall = clock.epochMicros() + 6 * second;
        engine.beginBatch(wall);
        engine.onSourceEvent(update(T0 + 30, BookSide.BID, 98, 1));              // seq 4: too soon after the trailing one
        engine.onSourceEvent(update(T0 + 20 + second, BookSide.BID, 97, 1));     // seq 5: due, pictured as usual
        engine.onTick(wall + 2 * second);
        assertThat(bookSnapshots).extracting(BookSnapshot::seq).as("no trailing picture of a pictured book")
                .containsExactly(1L, 3L, 5L);
    }

    @Test
    void bookSubscribersGetTheirDepthsSnapshotThenChangesWithChainedNumbers() {
        engine.onSourceEvent(update(T0, BookSide.BID, 100, 5, BookSide.BID, 99, 4, BookSide.BID, 98, 3, BookSide.ASK, 101, 1));
        long depth2 = StreamKey.book(0, 2, 0);
        subscribe(depth2, 0);
        DepthUpdate snapshot = (DepthUpdate) ((RecordingDelivery.Activated) delivery.calls.get(0)).snapshot();
        assertThat(snapshot.snapshot()).isTrue();
        assertThat(snapshot.seq()).isEqualTo(1);
        assertThat(snapshot.bidCount()).isEqualTo(2);

        engine.onSourceEvent(update(T0 + 1, BookSide.BID, 97, 9));   // outside the top 2: nothing for depth 2
        engine.onSourceEvent(update(T0 + 2, BookSide.BID, 100, 0));  // 98 moves into the top 2
        List<RecordingDelivery.Published> messages = delivery.published(depth2);
        assertThat(messages).hasSize(1);
        DepthUpdate change = (DepthUpdate) messages.get(0).message();
        assertThat(change.seq()).isEqualTo(3);
        assertThat(change.prevSeq()).isEqualTo(1);
        assertThat(change.bidCount()).isEqualTo(2);
        assertThat(new long[] {change.bidPrice(0), change.bidSize(0), change.bidPrice(1), change.bidSize(1)})
                .containsExactly(100, 0, 98, 3);
    }

    @Test
    void throttledStreamsEmitAtMostOncePerIntervalWithTheLatestValue() {
        int halfSecond = Throttle.classOf(500);
        long throttledQuotes = StreamKey.quote(0, halfSecond);
        long throttledBook = StreamKey.book(0, 5, halfSecond);
        subscribe(throttledQuotes, 0);
        subscribe(throttledBook, 1);
        long deadline = engine.nextDeadline();
        assertThat(deadline).isGreaterThan(clock.epochMicros()).isLessThanOrEqualTo(clock.epochMicros() + 500_000);
        for (int i = 1; i <= 20; i++) {
            engine.onSourceEvent(update(T0 + i, BookSide.BID, 100 + i, i, BookSide.ASK, 200, 1));
        }
        assertThat(delivery.published(throttledQuotes)).isEmpty();
        engine.onTick(deadline - 1);
        assertThat(delivery.published(throttledQuotes)).as("not before the grid instant").isEmpty();
        engine.onTick(deadline);
        assertThat(delivery.published(throttledQuotes)).singleElement().satisfies(p -> {
            assertThat(((Quote) p.message()).bidPrice()).isEqualTo(120);
            assertThat(p.message().seq()).isEqualTo(20);
            assertThat(p.prevSeq()).isZero();
        });
        DepthUpdate conflated = (DepthUpdate) delivery.published(throttledBook).get(0).message();
        assertThat(conflated.seq()).isEqualTo(20);
        assertThat(conflated.bidPrice(0)).isEqualTo(120);
        engine.onTick(deadline + 100);
        assertThat(delivery.published(throttledQuotes)).as("nothing new, nothing sent").hasSize(1);
        engine.onSourceEvent(update(T0 + 30, BookSide.BID, 150, 1));
        engine.onTick(deadline + 500_000);
        assertThat(delivery.published(throttledQuotes)).hasSize(2).last()
                .satisfies(p -> assertThat(p.prevSeq()).isEqualTo(20));
    }

    @Test
    void snapshotRequestsAnswerWithTheCurrentValueOfTheStream() {
        long book = StreamKey.book(0, 10, 0);
        subscribe(book, 0);
        engine.onSourceEvent(update(T0, BookSide.BID, 100, 5, BookSide.ASK, 101, 1));
        engine.onCommand(new EngineCommand.Snapshot(book, Route.of(0, 0), "s0", 1, "\"r\"", false));
        RecordingDelivery.Snapshotted answer = (RecordingDelivery.Snapshotted) delivery.calls.get(delivery.calls.size() - 1);
        DepthUpdate snap = (DepthUpdate) answer.snapshot();
        assertThat(snap.snapshot()).isTrue();
        assertThat(snap.seq()).isEqualTo(1);
        assertThat(snap.bidPrice(0)).isEqualTo(100);
        engine.onCommand(new EngineCommand.Snapshot(StreamKey.of(1, io.tickwire.model.Channel.TRADE), Route.of(0, 0), "s0", 1, null, false));
        assertThat(((RecordingDelivery.Snapshotted) delivery.calls.get(delivery.calls.size() - 1)).snapshot()).isNull();
    }

    /** A trade stream spanning several minutes, with quiet minutes in between. */
    private record Tape(List<Trade> trades) {
        @Override
        public String toString() {
            return trades.size() + " trades";
        }
    }

    @Test
    void closedBarsEqualAnIndependentComputationOverTheSameTrades() {
        RandomCases.check(100, r -> {
            List<Trade> trades = new ArrayList<>();
            long t = T0 + r.nextLong(0, 60_000_000);
            long price = 10_000;
            for (int i = 0; i < 200 + r.nextInt(400); i++) {
                t += r.nextInt(20) == 0 ? r.nextLong(60_000_000, 300_000_000) : r.nextLong(1, 3_000_000);
                price = Math.max(1, price + r.nextInt(-30, 31));
                trades.add(new Trade(0, 0, t, price, 1 + r.nextInt(50), Side.BUY, 0));
            }
            return new Tape(trades);
        }, tape -> {
            closedBars.clear();
            PartitionEngine fresh = new PartitionEngine(TestInstruments.catalog(1), clock, new RecordingDelivery(),
                    new ClosedBarsTap(closedBars));
            tape.trades().forEach(fresh::onSourceEvent);
            long last = tape.trades().get(tape.trades().size() - 1).eventTime();
            fresh.beginBatch(clock.epochMicros());
            fresh.onTick(clock.epochMicros() + (Periodicity.H1.next(Periodicity.H1.startOf(last)) - last) + 1);
            for (Periodicity period : List.of(Periodicity.M1, Periodicity.M5, Periodicity.H1)) {
                List<Bar> live = closedBars.stream()
                        .filter(b -> b.periodicity() == period && b.priceType() == PriceType.LAST).toList();
                assertThat(live).as("%s bars", period).usingRecursiveFieldByFieldElementComparatorIgnoringFields("seq")
                        .containsExactlyElementsOf(expectedBars(tape.trades(), period));
            }
        });
    }

    /** OHLCV per period, computed directly; one bar per period that has trades. */
    private static List<Bar> expectedBars(List<Trade> trades, Periodicity period) {
        Map<Long, List<Trade>> byPeriod = new LinkedHashMap<>();
        for (Trade t : trades) {
            byPeriod.computeIfAbsent(period.startOf(t.eventTime()), k -> new ArrayList<>()).add(t);
        }
        List<Bar> bars = new ArrayList<>();
        byPeriod.forEach((start, ts) -> bars.add(new Bar(0, 0, period, PriceType.LAST, start, ts.get(0).price(),
                ts.stream().mapToLong(Trade::price).max().orElseThrow(), ts.stream().mapToLong(Trade::price).min().orElseThrow(),
                ts.get(ts.size() - 1).price(), ts.stream().mapToLong(Trade::size).sum(), ts.size(),
                ts.get(ts.size() - 1).eventTime(), true)));
        return bars;
    }

    @Test
    void oldEventsCloseTheirBarsByTheirOwnTimesNotByTheWallClock() {
        long m1 = StreamKey.bar(0, Periodicity.M1, PriceType.LAST, 0);
        subscribe(m1, 0);
        long longAgo = T0 - 86_400_000_000L * 365; // a replay of last year's trades
        engine.onSourceEvent(new Trade(0, 0, longAgo + 5_000_000, 100, 2, Side.SELL, 0));
        engine.onTick(clock.epochMicros() + 1_000); // the wall clock is a year later
        Bar forming = (Bar) delivery.published(m1).get(delivery.published(m1).size() - 1).message();
        assertThat(forming.closed()).as("the market clock has only moved a millisecond since the event").isFalse();
        engine.onSourceEvent(new Trade(0, 0, longAgo + 61_000_000, 101, 1, Side.BUY, 0));
        assertThat(delivery.published(m1)).extracting(p -> ((Bar) p.message()).closed()).containsExactly(false, true, false);
    }

    @Test
    void barStreamsShowFormingBarsAndAFinalClosedOneEvenInAQuietMarket() {
        long m1 = StreamKey.bar(0, Periodicity.M1, PriceType.LAST, 0);
        subscribe(m1, 0);
        engine.beginBatch(T0);
        engine.onSourceEvent(new Trade(0, 0, T0 + 5_000_000, 100, 2, Side.SELL, 0));
        engine.onSourceEvent(new Trade(0, 0, T0 + 6_000_000, 104, 1, Side.BUY, 0));
        List<StreamMessage> sent = delivery.published(m1).stream().map(RecordingDelivery.Published::message).toList();
        assertThat(sent).extracting(m -> ((Bar) m).close()).containsExactly(100L, 104L);
        assertThat(sent).allMatch(m -> !((Bar) m).closed());
        // no more trades: the market clock (last event + wall time since) closes the minute
        // (other deadlines, such as the stale check, may come first: tick through them)
        for (int i = 0; i < 3 && delivery.published(m1).size() == 2; i++) {
            engine.onTick(engine.nextDeadline());
        }
        Bar last = (Bar) delivery.published(m1).get(delivery.published(m1).size() - 1).message();
        assertThat(last.closed()).isTrue();
        assertThat(last.openTime()).isEqualTo(T0);
        assertThat(last.high()).isEqualTo(104);
        assertThat(last.volume()).isEqualTo(3);
        assertThat(last.seq()).isEqualTo(3);
        assertThat(closedBars).contains(last);
    }
}
