package io.tickwire.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.bar.BarState;
import io.tickwire.engine.ingest.Sequencing;
import io.tickwire.model.Bar;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster gateway's engine that starts late takes over an instrument's bars from the ingest
 * node's ({@link EngineCommand.TapState}, {@link EngineCommand.TakeBarState}): from then on every
 * bar, forming and closed, is the ingest node's, though the gateway saw only the last few trades.
 */
class BarStateTest {

    private static final long S = 1_000_000L;
    private static final long T0 = Instant.parse("2026-01-05T10:00:00Z").getEpochSecond() * S;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final List<MarketEvent> sequenced = new ArrayList<>();
    private final List<Bar> ingestClosed = new ArrayList<>();
    private final List<Bar> gatewayClosed = new ArrayList<>();
    private final List<Object> states = new ArrayList<>();
    private final RecordingDelivery ingestDelivery = new RecordingDelivery();
    private final PartitionEngine ingest = new PartitionEngine(TestInstruments.catalog(2), clock, ingestDelivery,
            new EventTap() {
                @Override
                public void onEvent(MarketEvent event) {
                    sequenced.add(event);
                }

                @Override
                public void onClosedBar(Bar bar) {
                    ingestClosed.add(bar);
                }

                @Override
                public void onInstrumentState(InstrumentState state) {
                    states.add(state.bars());
                    states.add(state.lastQuote());
                    states.add(state.lastTradeSeq() + "/" + state.lastTradeId() + "/" + state.lastQuoteSeq());
                }
            });
    private final RecordingDelivery gatewayDelivery = new RecordingDelivery();
    private final PartitionEngine gateway = new PartitionEngine(TestInstruments.catalog(2), clock, gatewayDelivery,
            new ClosedBarsTap(gatewayClosed), Sequencing.FOLLOW);

    @Test
    void aGatewayThatTakesOverTheIngestNodesBarsSendsTheSameBarsFromThenOn() {
        for (int i = 0; i < 20; i++) { // 20 s of trades and quotes; the gateway reads only the last 5 trades
            long t = T0 + i * S;
            ingestAt(t, new Trade(0, 0, t, 500 + (i * 7) % 13, 1 + i, i % 2 == 0 ? Side.BUY : Side.SELL, 0));
            ingestAt(t, new Quote(0, 0, t, 490 + i % 5, 1, 510 + i % 3, 1, 0, 0));
        }
        List<MarketEvent> lookback = new ArrayList<>(sequenced.subList(sequenced.size() - 10, sequenced.size()));
        ingest.onCommand(new EngineCommand.TapState(0));
        assertThat(states).hasSize(3);
        assertThat(states.get(2)).as("the last numbers given out").isEqualTo("20/20/20");
        BarState state = (BarState) states.get(0);
        assertThat(states.get(1)).as("the last quote comes with the bars").isEqualTo(snapshot(ingest, ingestDelivery, quoteKey()));
        for (MarketEvent event : lookback) { // read before the state: the state counts them already
            gatewayAt(event.eventTime(), event);
        }
        boolean[] applied = new boolean[1];
        gateway.onCommand(new EngineCommand.TakeBarState(state, () -> applied[0] = true));
        assertThat(applied[0]).isTrue();
        int fromHere = sequenced.size();
        for (int i = 20; i < 80; i++) { // on across two minute closes
            long t = T0 + i * S;
            ingestAt(t, new Trade(0, 0, t, 480 + (i * 5) % 17, 2, Side.BUY, 0));
            ingestAt(t, new Quote(0, 0, t, 470 + i % 4, 1, 520 + i % 6, 1, 0, 0));
        }
        for (MarketEvent event : sequenced.subList(fromHere, sequenced.size())) {
            gatewayAt(event.eventTime(), event);
        }
        for (Periodicity period : Periodicity.values()) {
            for (PriceType type : PriceType.values()) {
                long key = StreamKey.bar(0, period, type, 0);
                assertThat(withoutSeq(snapshot(gateway, gatewayDelivery, key))).as(period + " " + type)
                        .isEqualTo(withoutSeq(snapshot(ingest, ingestDelivery, key))).isNotNull();
            }
        }
        assertThat(gatewayClosed.stream().map(BarStateTest::withoutSeq).toList()).as("the minute bars closed since")
                .isEqualTo(ingestClosed.stream().map(BarStateTest::withoutSeq).toList()).hasSize(3);
        Bar firstMinute = gatewayClosed.stream().filter(b -> b.priceType() == PriceType.LAST).findFirst().orElseThrow();
        assertThat(firstMinute.trades()).as("every trade of the minute, not the 5 the gateway read").isEqualTo(60);
    }

    @Test
    void barsTakenOverForAnInstrumentWithNoEventHereCloseOnTimeByTheirOwnClock() {
        for (int i = 1; i <= 10; i++) {
            long t = T0 + i * S;
            ingestAt(t, new Trade(0, 0, t, 500 + i, 1, Side.BUY, 0));
        }
        ingest.onCommand(new EngineCommand.TapState(0));
        gateway.beginBatch(T0 + 12 * S); // it read only repeats of this instrument, which set no clock
        gateway.onCommand(new EngineCommand.TakeBarState((BarState) states.get(0), () -> { }));
        assertThat(gateway.nextDeadline()).as("due when the minute ends, not at once")
                .isGreaterThan(T0 + 12 * S).isLessThanOrEqualTo(T0 + 60 * S);
        gateway.onTick(T0 + 61 * S);
        assertThat(gatewayClosed.stream().filter(b -> b.priceType() == PriceType.LAST && b.periodicity() == Periodicity.M1))
                .singleElement().satisfies(b -> assertThat(b.trades()).isEqualTo(10));
    }

    @Test
    void anInstrumentWithNeitherBarsNorAQuoteShowsNothing() {
        ingest.onCommand(new EngineCommand.TapState(1));
        assertThat(states).isEmpty();
    }

    private void ingestAt(long t, MarketEvent event) {
        clock.set(Instant.ofEpochSecond(0, t * 1_000));
        ingest.beginBatch(t);
        ingest.onSourceEvent(event);
    }

    private void gatewayAt(long t, MarketEvent event) {
        gateway.beginBatch(t);
        gateway.onSourceEvent(event);
    }

    private static StreamMessage snapshot(PartitionEngine engine, RecordingDelivery delivery, long key) {
        engine.onCommand(new EngineCommand.Snapshot(key, 0, null, 0, null, false));
        Object last = delivery.calls.getLast();
        return ((RecordingDelivery.Snapshotted) last).snapshot();
    }

    private static long quoteKey() {
        return StreamKey.quote(0, 0);
    }

    /** A bar as a subscriber reads it, but its number: each engine numbers its own bar messages. */
    private static Bar withoutSeq(StreamMessage message) {
        Bar b = (Bar) message;
        return b == null ? null : new Bar(b.instrumentId(), 0, b.periodicity(), b.priceType(), b.openTime(), b.open(), b.high(),
                b.low(), b.close(), b.volume(), b.trades(), b.updateTime(), b.closed());
    }
}
