package io.tickwire.engine.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.bar.BarSeeding;
import io.tickwire.model.Bar;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.engine.RecordingDelivery;
import io.tickwire.engine.Route;
import io.tickwire.engine.StreamKey;
import io.tickwire.engine.TestInstruments;
import io.tickwire.model.Channel;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InProcessBusTest {

    /**
     * With {@code handOver}, producers offer without waking and hand over every few events, as an
     * I/O thread does at the end of a read: partitions' batches then run on whichever thread gets
     * there first, and nothing may be lost or reordered by it.
     */
    @ParameterizedTest(name = "hand-over: {0}")
    @ValueSource(booleans = {false, true})
    void eachInstrumentIsSequencedInOrderAcrossPartitionsAndProducers(boolean handOver) throws Exception {
        int instruments = 8;
        int perProducer = 20_000;
        RecordingDelivery delivery = new RecordingDelivery();
        try (InProcessBus bus = new InProcessBus(TestInstruments.catalog(instruments), new ManualClock(), 3, 1 << 12)) {
            bus.start(partition -> delivery);
            for (int i = 0; i < instruments; i++) {
                assertThat(bus.submit(new EngineCommand.Subscribe(StreamKey.of(i, Channel.TRADE), Route.of(0, 0), "s", 1))).isTrue();
            }
            await().until(() -> delivery.calls.size() == instruments);

            // Two producers, each owning half of the instruments, prices counting up per instrument.
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int first = p;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int n = 1; n <= perProducer; n++) {
                        int id = first + 2 * (n % (instruments / 2));
                        MarketEvent trade = new Trade(id, 0, 1, n, 1, Side.BUY, 0);
                        while (!(handOver ? bus.offerWithoutWake(trade) : bus.offer(trade))) {
                            Thread.onSpinWait(); // back-pressure: the queue is small on purpose
                        }
                        if (handOver && n % 3 == 0) {
                            bus.handOver();
                        }
                    }
                });
                t.start();
                producers.add(t);
            }
            start.countDown();
            for (Thread t : producers) {
                t.join();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> delivery.events().size() == 2 * perProducer);

            Map<Integer, List<StreamMessage>> byInstrument = delivery.events().stream()
                    .collect(Collectors.groupingBy(StreamMessage::instrumentId));
            for (List<StreamMessage> stream : byInstrument.values()) {
                for (int i = 0; i < stream.size(); i++) {
                    assertThat(stream.get(i).seq()).isEqualTo(i + 1);
                    if (i > 0) {
                        assertThat(((Trade) stream.get(i)).price()).isGreaterThan(((Trade) stream.get(i - 1)).price());
                    }
                }
            }
            BusStats stats = bus.stats();
            assertThat(stats.eventsAccepted()).isEqualTo(2L * perProducer);
            assertThat(stats.eventsOffered()).isEqualTo(2L * perProducer);
            assertThat(stats.queuedEvents()).isZero();
        }
    }

    @Test
    void closeDrainsWhatWasTaken() {
        RecordingDelivery delivery = new RecordingDelivery();
        InProcessBus bus = new InProcessBus(TestInstruments.catalog(1), new ManualClock(), 1, 1 << 10);
        bus.start(partition -> delivery);
        bus.submit(new EngineCommand.Subscribe(StreamKey.of(0, Channel.TRADE), Route.of(0, 0), "s", 1));
        await().until(() -> delivery.calls.size() == 1); // the subscription is active before the trades
        int taken = 0;
        for (int i = 0; i < 500; i++) {
            if (bus.offer(new Trade(0, 0, 1, 10, 1, Side.BUY, 0))) {
                taken++;
            }
        }
        bus.close();
        assertThat(delivery.events()).hasSize(taken);
        assertThat(bus.offer(new Trade(0, 0, 1, 10, 1, Side.BUY, 0))).as("closed bus refuses").isFalse();
    }

    /**
     * Each partition seeds its own instruments only (another partition seeding them would close
     * their seeded bars a second time). The seeded bars are of periods long over: the first tick
     * of each partition closes them.
     */
    @Test
    void eachInstrumentIsSeededByItsOwnPartitionOnly() throws Exception {
        int instruments = 4;
        long time = java.time.Instant.parse("2026-01-15T10:00:05Z").getEpochSecond() * 1_000_000L;
        List<Bar> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        EventTap tap = new io.tickwire.engine.ClosedBarsTap(closed);
        RecordingDelivery delivery = new RecordingDelivery();
        try (InProcessBus bus = new InProcessBus(TestInstruments.catalog(instruments),
                new ManualClock(java.time.Instant.parse("2026-03-10T00:00:00Z")), 3, 1 << 10, tap)) {
            bus.continueBars(id -> {
                Bar[] forming = new Bar[BarSeeding.InstrumentSeed.SLOTS];
                long[] closedUntil = new long[BarSeeding.InstrumentSeed.SLOTS];
                java.util.Arrays.fill(closedUntil, Long.MIN_VALUE);
                int periods = Periodicity.values().length;
                for (Periodicity p : Periodicity.values()) {
                    forming[BarSeeding.InstrumentSeed.slot(p, PriceType.LAST)] = new Bar(id, 0, p, PriceType.LAST,
                            p.startOf(time), 100 + id, 100 + id, 100 + id, 100 + id, 1, 1, time, false);
                }
                return new BarSeeding.InstrumentSeed(time, 100 + id, 1, forming, closedUntil, new long[periods],
                        new long[periods], new long[periods], null);
            });
            bus.start(partition -> delivery);
            await().atMost(Duration.ofSeconds(30)).until(() -> closed.size() >= instruments * Periodicity.values().length);
            for (int i = 0; i < instruments; i++) { // a round trip through every partition: its first tick is over
                assertThat(bus.submit(new EngineCommand.Snapshot(StreamKey.quote(i, 0), 0, "s", 1, "r" + i, false))).isTrue();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> delivery.calls.stream()
                    .filter(RecordingDelivery.Snapshotted.class::isInstance).count() == instruments);

            assertThat(closed).hasSize(instruments * Periodicity.values().length);
            assertThat(closed).allSatisfy(b -> assertThat(b.close()).isEqualTo(100 + b.instrumentId()));
        }
    }
}
