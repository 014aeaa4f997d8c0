package io.tickwire.engine.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.PartitionEngine;
import io.tickwire.engine.RecordingDelivery;
import io.tickwire.engine.Route;
import io.tickwire.engine.StreamKey;
import io.tickwire.engine.TestInstruments;
import io.tickwire.model.Channel;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hand-over: a producer running a parked partition's batch on its own thread. */
class PartitionRunnerTest {

    private final ManualClock clock = new ManualClock();
    private final RecordingDelivery delivery = new RecordingDelivery();
    private final PartitionRunner runner = new PartitionRunner("test-partition", 1 << 10, clock);

    @BeforeEach
    void startSubscribed() {
        runner.start(new PartitionEngine(TestInstruments.catalog(1), clock, delivery));
        assertThat(runner.offerCommand(new EngineCommand.Subscribe(StreamKey.of(0, Channel.TRADE), Route.of(0, 0), "s", 1)))
                .isTrue();
        await().until(() -> delivery.calls.size() == 1);
    }

    @AfterEach
    void stop() {
        runner.stop();
        runner.join();
    }

    @Test
    void aParkedPartitionsEventRunsOnTheThreadThatHandsItOver() {
        for (int attempt = 1; ; attempt++) {
            await().until(runner::parked);
            int before = delivery.events().size();
            assertThat(runner.offerEvent(trade(attempt), false)).isTrue();
            if (runner.handOver()) {
                // done when handOver returns, here: no other thread was involved
                assertThat(delivery.events()).hasSize(before + 1);
                assertThat(delivery.lastPublishThread).isSameAs(Thread.currentThread());
                return;
            }
            // the partition's thread woke by itself in between (a timed park ended): it takes the trade
            await().until(() -> delivery.events().size() == before + 1);
            assertThat(attempt).as("the partition's thread was never found parked").isLessThan(50);
        }
    }

    @Test
    void anEventOfferedWithoutWakeIsTakenEvenIfNobodyHandsItOver() {
        await().until(runner::parked);
        assertThat(runner.offerEvent(trade(1), false)).isTrue();

        await().until(() -> delivery.events().size() == 1); // the thread's timed park ends (at most 100 ms)
        assertThat(delivery.lastPublishThread.getName()).isEqualTo("test-partition");
    }

    @Test
    void handingOverWithNothingQueuedRunsNothing() {
        await().until(runner::parked);
        int batches = delivery.batches;

        assertThat(runner.handOver()).isFalse();
        assertThat(delivery.batches).isEqualTo(batches);
    }

    private static Trade trade(int n) {
        return new Trade(0, 0, 1, n, 1, Side.BUY, 0);
    }
}
