package io.tickwire.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.ingest.Numbering;
import io.tickwire.engine.resume.Resume;
import io.tickwire.model.Channel;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeAndStaleTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final RecordingDelivery delivery = new RecordingDelivery();
    private final PartitionEngine engine = new PartitionEngine(TestInstruments.catalog(2), clock, delivery);
    private final long trades = StreamKey.of(0, Channel.TRADE);
    private final long quotes = StreamKey.quote(0, 0);

    private void trade(int n) {
        for (int i = 0; i < n; i++) {
            engine.onSourceEvent(new Trade(0, 0, clock.epochMicros(), 100 + i, 1, Side.BUY, 0));
        }
    }

    private Resume resumeAfter(long key, long after) {
        engine.onCommand(new EngineCommand.Subscribe(key, Route.of(0, 0), "s", 1, after, 0));
        return delivery.calls.stream().filter(RecordingDelivery.Resumed.class::isInstance)
                .map(c -> ((RecordingDelivery.Resumed) c).resume()).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aResumeWithinTheWindowGetsExactlyTheMissedTrades() {
        trade(50);
        Resume resume = resumeAfter(trades, 42);
        assertThat(resume.mode()).isEqualTo(Resume.Mode.EXACT);
        assertThat(Arrays.stream(resume.missed()).map(StreamMessage::seq)).containsExactly(43L, 44L, 45L, 46L, 47L,
                48L, 49L, 50L);
        trade(1);
        assertThat(delivery.published(trades)).extracting(p -> p.message().seq()).containsExactly(51L);
    }

    @Test
    void aClientThatMissedNothingGetsAnEmptyExactResume() {
        trade(5);
        Resume resume = resumeAfter(trades, 5);
        assertThat(resume.mode()).isEqualTo(Resume.Mode.EXACT);
        assertThat(resume.missed()).isEmpty();
    }

    @Test
    void aClientAheadOfThisServerIsTooOldLiveButMissedNothingOnAClusterGatewayBehindItsPreviousOne() {
        trade(5);
        assertThat(resumeAfter(trades, 8).mode()).as("a live server that never reached 8 cannot vouch").isEqualTo(Resume.Mode.TOO_OLD);

        RecordingDelivery gatewayDelivery = new RecordingDelivery();
        PartitionEngine gateway = new PartitionEngine(TestInstruments.catalog(2), clock, gatewayDelivery, EventTap.NONE,
                io.tickwire.engine.ingest.Sequencing.FOLLOW);
        for (int seq = 1; seq <= 5; seq++) { // numbered by the ingest node
            gateway.onSourceEvent(new Trade(0, seq, clock.epochMicros() + seq, 100, 1, Side.BUY, seq));
        }
        long latest = clock.epochMicros() + 5;
        assertThat(resumeOn(gateway, gatewayDelivery, trades, 8, latest + 100).mode()).isEqualTo(Resume.Mode.EXACT);
        Resume exact = resumeOn(gateway, gatewayDelivery, trades, 8, latest + 100);
        assertThat(exact.missed()).isEmpty();
        assertThat(exact.after()).isEqualTo(8);
        assertThat(resumeOn(gateway, gatewayDelivery, trades, 8, 0).mode())
                .as("without the client's time nothing is vouched for").isEqualTo(Resume.Mode.TOO_OLD);
        assertThat(resumeOn(gateway, gatewayDelivery, trades, 8, latest - 1).mode())
                .as("the client's trade 8 older than the gateway's 5: another numbering").isNotEqualTo(Resume.Mode.EXACT);
        assertThat(resumeOn(gateway, gatewayDelivery, StreamKey.of(1, Channel.TRADE), 8, latest + 100).mode())
                .as("a gateway holding no trade of the instrument cannot vouch").isEqualTo(Resume.Mode.TOO_OLD);
    }

    private static Resume resumeOn(PartitionEngine engine, RecordingDelivery delivery, long key, long after, long ts) {
        engine.onCommand(new EngineCommand.Subscribe(key, Route.of(0, 0), "s", 1, after, ts));
        return delivery.calls.stream().filter(RecordingDelivery.Resumed.class::isInstance)
                .map(c -> ((RecordingDelivery.Resumed) c).resume()).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void tradesOlderThanTheWindowAreReportedTooOldWithWhatIsStillHeld() {
        trade(PartitionEngine.RECENT_MESSAGES + 100);
        Resume resume = resumeAfter(trades, 10);
        assertThat(resume.mode()).isEqualTo(Resume.Mode.TOO_OLD);
        assertThat(resume.missed()).hasSize(PartitionEngine.RECENT_MESSAGES);
        assertThat(resume.missed()[0].seq()).isEqualTo(101);
        assertThat(resume.lastSeq()).isEqualTo(PartitionEngine.RECENT_MESSAGES + 100);
    }

    @Test
    void quotesBeyondTheWindowAndBooksAlwaysResumeWithASnapshot() {
        for (int i = 0; i < PartitionEngine.RECENT_MESSAGES + 10; i++) {
            engine.onSourceEvent(new Quote(0, 0, clock.epochMicros(), 100 + (i % 2), 1, 102, 1, 0, 0));
        }
        Resume quote = resumeAfter(quotes, 3);
        assertThat(quote.mode()).isEqualTo(Resume.Mode.SNAPSHOT);
        RecordingDelivery.Resumed last = (RecordingDelivery.Resumed) delivery.calls.getLast();
        assertThat(last.snapshot().seq()).isEqualTo(PartitionEngine.RECENT_MESSAGES + 10);
        assertThat(resumeAfter(StreamKey.book(0, 5, 0), 1).mode()).isEqualTo(Resume.Mode.SNAPSHOT);
    }

    @Test
    void afterARestartTheNumberingContinuesAndEarlierTradesAreLeftToTheStore() {
        engine.continueNumbering(new Numbering() {
            @Override
            public long lastSeq(int instrumentId, Channel channel) {
                return instrumentId == 0 && channel == Channel.TRADE ? 500 : 0;
            }

            @Override
            public long lastTradeId(int instrumentId) {
                return instrumentId == 0 ? 9_000 : 0;
            }
        });
        Resume resume = resumeAfter(trades, 480);
        assertThat(resume.mode()).isEqualTo(Resume.Mode.TOO_OLD);
        assertThat(resume.lastSeq()).isEqualTo(500);
        assertThat(resume.missed()).isEmpty();
        assertThat(resumeAfter(trades, 500).mode()).isEqualTo(Resume.Mode.EXACT);
        trade(1);
        Trade next = (Trade) delivery.published(trades).getLast().message();
        assertThat(next.seq()).isEqualTo(501);
        assertThat(next.tradeId()).isEqualTo(9_001);
    }

    private Resume resumeAfter(long key, long after, long ts) {
        engine.onCommand(new EngineCommand.Subscribe(key, Route.of(0, 0), "s", 1, after, ts));
        return delivery.calls.stream().filter(RecordingDelivery.Resumed.class::isInstance)
                .map(c -> ((RecordingDelivery.Resumed) c).resume()).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aResumeIsExactOnlyWhenItsNumberIsTheMessageTheClientSawAtItsTime() {
        long before = clock.epochMicros();
        clock.advance(Duration.ofSeconds(1));
        trade(3); // a server restarted without a store: numbers 1.. again, later times
        clock.advance(Duration.ofSeconds(1));
        trade(2);
        long third = clock.epochMicros() - 1_000_000;

        assertThat(resumeAfter(trades, 3, third).mode()).isEqualTo(Resume.Mode.EXACT);
        Resume other = resumeAfter(trades, 3, before); // the client's trade 3 was another one, earlier
        assertThat(other.mode()).isEqualTo(Resume.Mode.RENUMBERED);
        assertThat(Arrays.stream(other.missed()).map(StreamMessage::seq)).as("everything held after its time")
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(resumeAfter(trades, 5, before).mode()).as("nothing missed by number, but not the same trade")
                .isEqualTo(Resume.Mode.RENUMBERED);
    }

    @Test
    void numbersBeyondTheStreamsAreNotTrusted() {
        trade(3);
        assertThat(resumeAfter(trades, 99).mode()).isEqualTo(Resume.Mode.TOO_OLD);
    }

    @Test
    void anInstrumentThatGoesQuietIsStaleUntilItsNextEvent() {
        engine.onCommand(new EngineCommand.Subscribe(trades, Route.of(0, 0), "s", 1));
        engine.onCommand(new EngineCommand.Subscribe(StreamKey.of(1, Channel.TRADE), Route.of(0, 0), "s", 1));
        engine.staleAfter(Duration.ofSeconds(5).toNanos() / 1_000);
        engine.beginBatch(clock.epochMicros());
        trade(1);
        long lastTime = clock.epochMicros();
        clock.advance(Duration.ofSeconds(4));
        engine.onTick(clock.epochMicros());
        assertThat(statuses()).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(engine.nextDeadline()).isLessThanOrEqualTo(clock.epochMicros());
        engine.onTick(clock.epochMicros());
        assertThat(statuses()).containsExactly(new RecordingDelivery.Status(trades, false, lastTime),
                new RecordingDelivery.Status(StreamKey.of(1, Channel.TRADE), false, 0)); // no event since start
        engine.onTick(clock.epochMicros() + 1);
        assertThat(statuses()).hasSize(2); // said once

        engine.beginBatch(clock.epochMicros());
        trade(1);
        assertThat(statuses()).last().isEqualTo(new RecordingDelivery.Status(trades, true, clock.epochMicros()));
        List<Object> calls = delivery.calls;
        assertThat(calls.get(calls.size() - 2)).isInstanceOf(RecordingDelivery.Status.class); // live, then the trade
    }

    @Test
    void aNewSubscriberOfAStaleInstrumentIsToldAtOnce() {
        engine.staleAfter(1_000_000);
        engine.beginBatch(clock.epochMicros());
        trade(1);
        clock.advance(Duration.ofSeconds(2));
        engine.onTick(clock.epochMicros());
        engine.onCommand(new EngineCommand.Subscribe(trades, Route.of(0, 0), "s", 1));
        assertThat(statuses()).singleElement().extracting(RecordingDelivery.Status::live).isEqualTo(false);
    }

    @Test
    void anInstrumentWithNoEventSinceTheStartIsStaleOnceTheEngineRanThatLong() {
        engine.staleAfter(Duration.ofSeconds(5).toNanos() / 1_000);
        long quiet = StreamKey.of(1, Channel.TRADE);
        engine.onCommand(new EngineCommand.Subscribe(quiet, Route.of(0, 0), "s", 1));
        clock.advance(Duration.ofSeconds(4));
        engine.onTick(clock.epochMicros());
        trade(1); // another instrument's events do not make this one live
        assertThat(statuses()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.nextDeadline()).isLessThanOrEqualTo(clock.epochMicros());
        engine.onTick(clock.epochMicros());
        assertThat(statuses()).containsExactly(new RecordingDelivery.Status(quiet, false, 0));

        engine.onCommand(new EngineCommand.Subscribe(StreamKey.quote(1, 0), Route.of(0, 0), "s", 1));
        assertThat(statuses()).hasSize(2).last().extracting(RecordingDelivery.Status::live).isEqualTo(false);
        engine.beginBatch(clock.epochMicros());
        engine.onSourceEvent(new Trade(1, 0, clock.epochMicros(), 100, 1, Side.BUY, 0));
        assertThat(statuses()).contains(new RecordingDelivery.Status(quiet, true, clock.epochMicros()),
                new RecordingDelivery.Status(StreamKey.quote(1, 0), true, clock.epochMicros()));
    }

    @Test
    void seededStateIsTheLastQuoteAndBookButNeitherMarketActivityNorABar() {
        List<io.tickwire.model.Bar> closed = new java.util.ArrayList<>();
        RecordingDelivery gatewayDelivery = new RecordingDelivery();
        PartitionEngine gateway = new PartitionEngine(TestInstruments.catalog(2), clock, gatewayDelivery,
                new ClosedBarsTap(closed), io.tickwire.engine.ingest.Sequencing.FOLLOW);
        gateway.staleAfter(Duration.ofSeconds(5).toNanos() / 1_000);
        long quoteKey = StreamKey.quote(0, 0);
        gateway.onCommand(new EngineCommand.Subscribe(quoteKey, Route.of(0, 0), "s", 1));
        clock.advance(Duration.ofSeconds(6));
        gateway.beginBatch(clock.epochMicros());
        gateway.onTick(clock.epochMicros());
        assertThat(gatewayDelivery.calls).filteredOn(RecordingDelivery.Status.class::isInstance).singleElement()
                .extracting(c -> ((RecordingDelivery.Status) c).live()).isEqualTo(false);

        long old = clock.epochMicros() - Duration.ofHours(3).toNanos() / 1_000; // the market went quiet hours ago
        Quote last = new Quote(0, 41, old, 100, 1, 102, 1, 101, 7);
        gateway.onCommand(new EngineCommand.Seed(last));
        gateway.onCommand(new EngineCommand.Seed(io.tickwire.model.BookUpdate.builder(0, old).replace()
                .set(io.tickwire.model.BookSide.BID, 100, 1).set(io.tickwire.model.BookSide.ASK, 102, 1).build()));
        assertThat(gatewayDelivery.published(quoteKey)).extracting(p -> p.message()).containsExactly(last);
        clock.advance(Duration.ofDays(2));
        gateway.beginBatch(clock.epochMicros());
        gateway.onTick(clock.epochMicros());
        assertThat(closed).as("no bar from state").isEmpty();
        assertThat(gatewayDelivery.calls).filteredOn(RecordingDelivery.Status.class::isInstance)
                .as("still stale: state is not activity").hasSize(1);

        RecordingDelivery.Activated late = subscribeOn(gateway, gatewayDelivery, quoteKey);
        assertThat(late.snapshot()).isEqualTo(last);
        RecordingDelivery.Activated book = subscribeOn(gateway, gatewayDelivery, StreamKey.book(0, 5, 0));
        assertThat(((io.tickwire.model.DepthUpdate) book.snapshot()).bidCount()).isEqualTo(1);
    }

    private static RecordingDelivery.Activated subscribeOn(PartitionEngine engine, RecordingDelivery delivery, long key) {
        engine.onCommand(new EngineCommand.Subscribe(key, Route.of(0, 0), "s", 2));
        return delivery.calls.stream().filter(RecordingDelivery.Activated.class::isInstance)
                .map(RecordingDelivery.Activated.class::cast).reduce((a, b) -> b).orElseThrow();
    }

    private List<RecordingDelivery.Status> statuses() {
        return delivery.calls.stream().filter(RecordingDelivery.Status.class::isInstance)
                .map(RecordingDelivery.Status.class::cast).toList();
    }
}
