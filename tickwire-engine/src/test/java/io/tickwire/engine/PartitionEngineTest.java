package io.tickwire.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Channel;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionEngineTest {

    private final RecordingDelivery delivery = new RecordingDelivery();
    private final PartitionEngine engine = new PartitionEngine(TestInstruments.catalog(2), new ManualClock(), delivery);
    private final long quotes0 = StreamKey.of(0, Channel.QUOTE);
    private final long trades0 = StreamKey.of(0, Channel.TRADE);

    @Test
    void publishesNothingForStreamsWithoutSubscribers() {
        engine.onSourceEvent(new Quote(0, 0, 1, 100, 1, 101, 1, 0, 0));
        assertThat(delivery.calls).isEmpty();
    }

    @Test
    void newSubscriberGetsTheLastQuoteThenEveryLaterOne() {
        engine.onSourceEvent(new Quote(0, 0, 1, 100, 1, 101, 1, 0, 0));
        engine.onSourceEvent(new Trade(0, 0, 2, 101, 3, Side.BUY, 0));
        engine.onSourceEvent(new Quote(0, 0, 3, 100, 1, 102, 1, 0, 0));

        EngineCommand.Subscribe sub = new EngineCommand.Subscribe(quotes0, Route.of(0, 0), "s1", 1);
        engine.onCommand(sub);
        engine.onSourceEvent(new Quote(0, 0, 4, 99, 1, 102, 1, 0, 0));

        assertThat(delivery.calls).hasSize(2);
        RecordingDelivery.Activated activated = (RecordingDelivery.Activated) delivery.calls.get(0);
        assertThat(activated.subscribe()).isEqualTo(sub);
        assertThat(activated.snapshot()).isEqualTo(new Quote(0, 2, 3, 100, 1, 102, 1, 101, 3));
        RecordingDelivery.Published next = (RecordingDelivery.Published) delivery.calls.get(1);
        assertThat(next.message()).isEqualTo(new Quote(0, 3, 4, 99, 1, 102, 1, 101, 3));
        assertThat(next.routes()).containsExactly(Route.of(0, 0));
    }

    @Test
    void tradeSubscriptionStartsWithoutSnapshot() {
        engine.onCommand(new EngineCommand.Subscribe(trades0, Route.of(1, 0), "s1", 1));
        engine.onSourceEvent(new Trade(0, 0, 2, 101, 3, Side.BUY, 0));
        assertThat(((RecordingDelivery.Activated) delivery.calls.get(0)).snapshot()).isNull();
        assertThat(delivery.events()).extracting(e -> e.seq()).containsExactly(1L);
    }

    @Test
    void routesAreCountedAndRemovedWithTheirLastSubscriber() {
        int a = Route.of(0, 0);
        int b = Route.of(1, 0);
        engine.onCommand(new EngineCommand.Subscribe(trades0, a, "s1", 1));
        engine.onCommand(new EngineCommand.Subscribe(trades0, a, "s2", 1));
        engine.onCommand(new EngineCommand.Subscribe(trades0, b, "s3", 1));
        assertThat(engine.subscriberCount(trades0)).isEqualTo(3);

        engine.onCommand(new EngineCommand.Unsubscribe(trades0, a));
        engine.onSourceEvent(new Trade(0, 0, 2, 101, 3, Side.BUY, 0));
        engine.onCommand(new EngineCommand.Unsubscribe(trades0, a));
        engine.onSourceEvent(new Trade(0, 0, 2, 101, 3, Side.BUY, 0));
        engine.onCommand(new EngineCommand.Unsubscribe(trades0, b));
        engine.onCommand(new EngineCommand.Unsubscribe(trades0, b)); // one too many: ignored
        engine.onSourceEvent(new Trade(0, 0, 2, 101, 3, Side.BUY, 0));

        List<RecordingDelivery.Published> published = delivery.calls.stream()
                .filter(RecordingDelivery.Published.class::isInstance).map(RecordingDelivery.Published.class::cast).toList();
        assertThat(published).extracting(RecordingDelivery.Published::routes)
                .containsExactly(List.of(a, b), List.of(b));
        assertThat(engine.subscriberCount(trades0)).isZero();
    }

    @Test
    void theTapSeesEverySequencedEventWithOrWithoutSubscribers() {
        java.util.List<io.tickwire.model.MarketEvent> seen = new java.util.ArrayList<>();
        PartitionEngine tapped = new PartitionEngine(TestInstruments.catalog(2), new ManualClock(), delivery, seen::add);
        tapped.onSourceEvent(new Trade(1, 0, 2, 101, 3, Side.BUY, 0));
        tapped.onSourceEvent(new Quote(1, 0, 3, 100, 1, 102, 1, 0, 0));
        tapped.onSourceEvent(new Quote(1, 0, 4, 103, 1, 102, 1, 0, 0)); // crossed: rejected, never seen
        assertThat(seen).containsExactly(new Trade(1, 1, 2, 101, 3, Side.BUY, 1), new Quote(1, 1, 3, 100, 1, 102, 1, 101, 3));
        assertThat(delivery.calls).isEmpty();
    }

    @Test
    void dayVolumeRestartsAtUtcMidnight() {
        long day = 86_400_000_000L;
        engine.onCommand(new EngineCommand.Subscribe(quotes0, Route.of(0, 0), "s1", 1));
        engine.onSourceEvent(new Trade(0, 0, day - 10, 101, 3, Side.BUY, 0));
        engine.onSourceEvent(new Quote(0, 0, day - 5, 100, 1, 102, 1, 0, 0));
        engine.onSourceEvent(new Trade(0, 0, day + 10, 102, 2, Side.BUY, 0));
        engine.onSourceEvent(new Quote(0, 0, day + 11, 100, 1, 102, 1, 0, 0));
        assertThat(delivery.events()).extracting(e -> ((Quote) e).volume()).containsExactly(3L, 2L);
    }
}
