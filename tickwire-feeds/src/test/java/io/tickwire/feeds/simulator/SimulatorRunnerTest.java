package io.tickwire.feeds.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tickwire.engine.ingest.MarketDataSink;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.feeds.catalog.SimulationCatalog;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import io.tickwire.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner against recording sinks. Tests that need exact counts drive a {@link ManualClock}:
 * the runner owes {@code rate x elapsed} events for time the test moves on and nothing else, so
 * the number and content of events are known in advance. No test sleeps or asserts timing.
 */
class SimulatorRunnerTest {

    private static final SimulationCatalog CATALOG = DefaultCatalog.load();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<SimulatorRunner> runners = new ArrayList<>();

    @AfterEach
    void closeRunners() {
        runners.forEach(SimulatorRunner::close);
    }

    @Test
    void shouldDeliverEventsFromItsOwnThreadAtTheConfiguredRate() {
        List<MarketEvent> received = new CopyOnWriteArrayList<>();
        AtomicReference<String> thread = new AtomicReference<>();
        MarketDataSink sink = event -> {
            thread.set(Thread.currentThread().getName());
            return received.add(event);
        };
        SimulatorRunner runner = start(config(5_000), sink, Clock.system());

        await().atMost(PATIENCE).until(() -> received.size() >= 2_000);

        runner.close();
        assertThat(thread.get()).isEqualTo(SimulatorRunner.THREAD_NAME);
        assertThat(runner.isRunning()).isFalse();
        assertThat(runner.eventsGenerated()).isEqualTo(received.size()).isEqualTo(runner.eventsDelivered());
        Tape tape = new Tape(CATALOG.instruments());
        received.forEach(tape::check);
    }

    @Test
    void shouldOweExactlyRateTimesElapsedTime() {
        ManualClock clock = new ManualClock(Instant.parse("2024-11-13T15:00:00Z"));
        Recording sink = new Recording(0);
        SimulatorRunner runner = start(config(1_500), sink, clock);

        clock.advance(Duration.ofMillis(400));
        await().atMost(PATIENCE).until(() -> sink.received.size() >= 600);
        clock.advance(Duration.ofMillis(600));
        await().atMost(PATIENCE).until(() -> sink.received.size() >= 1_500);

        assertThat(runner.eventsGenerated()).isEqualTo(1_500);
        assertThat(sink.received).hasSize(1_500);
    }

    @Test
    void shouldRetryRefusedEventsSoTheSinkGetsTheSameSequence() {
        List<MarketEvent> accepting = runOneSecond(new Recording(0), 2_000);
        Recording refusing = new Recording(700);
        List<MarketEvent> pushedBack = runOneSecond(refusing, 2_000);

        MarketSimulator reference = new MarketSimulator(CATALOG, config(2_000));
        long eventTime = MarketSimulatorTest.micros("2024-11-13T15:00:01Z");
        List<MarketEvent> expected = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            expected.add(reference.next(eventTime));
        }
        assertThat(accepting).isEqualTo(expected);
        assertThat(pushedBack).isEqualTo(expected);
        assertThat(refusing.refusals.get()).isEqualTo(700);
    }

    @Test
    void shouldCountBackPressureWaits() {
        ManualClock clock = new ManualClock(Instant.parse("2024-11-13T15:00:00Z"));
        Recording sink = new Recording(250);
        SimulatorRunner runner = start(config(100), sink, clock);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(PATIENCE).until(() -> sink.received.size() >= 100);
        assertThat(runner.backPressureWaits()).isEqualTo(250);
        assertThat(runner.eventsDelivered()).isEqualTo(100);
    }

    @Test
    void shouldFinishTheEventInHandThenGenerateNothingWhilePaused() throws InterruptedException {
        CountingClock clock = new CountingClock(new ManualClock(Instant.parse("2024-11-13T15:00:00Z")));
        CountDownLatch tenthOffered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<MarketEvent> received = new CopyOnWriteArrayList<>();
        MarketDataSink sink = event -> {
            if (received.size() == 9) {
                tenthOffered.countDown();
                awaitRelease(release);
            }
            return received.add(event);
        };
        SimulatorRunner runner = start(config(1_000), sink, clock);
        clock.manual.advance(Duration.ofSeconds(1)); // a batch of 1,000 becomes due

        assertThat(tenthOffered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        runner.pause();
        release.countDown();
        await().atMost(PATIENCE).until(runner::isPaused);

        assertThat(received).hasSize(10);
        assertThat(runner.eventsGenerated()).isEqualTo(10).isEqualTo(runner.eventsDelivered());

        clock.manual.advance(Duration.ofSeconds(1)); // more is due, but the runner is paused
        assertThat(clock.awaitReads(5)).as("the paused runner keeps ticking").isTrue();
        assertThat(received).hasSize(10);
        assertThat(runner.eventsGenerated()).isEqualTo(10);
        assertThat(runner.isPaused()).isTrue();

        runner.resume();
        clock.manual.advance(Duration.ofMillis(500));
        await().atMost(PATIENCE).until(() -> received.size() >= 510);
        assertThat(clock.awaitReads(5)).isTrue();
        assertThat(received).as("paused time is not owed afterwards").hasSize(510);
    }

    @Test
    void shouldGenerateNothingAtRateZero() throws InterruptedException {
        CountingClock clock = new CountingClock(new ManualClock(Instant.parse("2024-11-13T15:00:00Z")));
        Recording sink = new Recording(0);
        SimulatorRunner runner = start(config(0), sink, clock);
        clock.manual.advance(Duration.ofSeconds(10));
        assertThat(clock.awaitReads(5)).isTrue();
        assertThat(runner.eventsGenerated()).isZero();

        runner.setRate(300);
        assertThat(runner.rate()).isEqualTo(300);
        assertThat(clock.awaitReads(2)).isTrue(); // the new rate is in force from here
        clock.manual.advance(Duration.ofSeconds(1));
        await().atMost(PATIENCE).until(() -> sink.received.size() >= 300);
        assertThat(clock.awaitReads(5)).isTrue();
        assertThat(sink.received).hasSize(300);
        assertThatThrownBy(() -> runner.setRate(-5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventsPerSecond must be between 0 and");
    }

    @Test
    void shouldOweAtMostOneSecondOfEvents() {
        ManualClock clock = new ManualClock(Instant.parse("2024-11-13T15:00:00Z"));
        Recording sink = new Recording(0);
        SimulatorRunner runner = start(config(200), sink, clock);
        clock.advance(Duration.ofMinutes(10));
        await().atMost(PATIENCE).until(() -> sink.received.size() >= 200);
        clock.advance(Duration.ofMillis(500));
        await().atMost(PATIENCE).until(() -> sink.received.size() >= 300);
        assertThat(runner.eventsGenerated()).isEqualTo(300);
    }

    @Test
    void shouldSurviveASinkThatThrows() {
        AtomicInteger offers = new AtomicInteger();
        List<MarketEvent> received = new CopyOnWriteArrayList<>();
        MarketDataSink sink = event -> {
            if (offers.incrementAndGet() == 3) {
                throw new IllegalStateException("boom (expected by the test)");
            }
            return received.add(event);
        };
        SimulatorRunner runner = start(config(5_000), sink, Clock.system());
        await().atMost(PATIENCE).until(() -> received.size() >= 500);
        assertThat(runner.failures()).isEqualTo(1);
        assertThat(runner.isRunning()).isTrue();
    }

    @Test
    void shouldStartOnceAndCloseIdempotently() {
        SimulatorRunner runner = new SimulatorRunner(new MarketSimulator(CATALOG, config(10)), e -> true,
                Clock.system());
        runner.start();
        assertThatThrownBy(runner::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
        runner.close();
        runner.close();
        assertThat(runner.isRunning()).isFalse();

        SimulatorRunner neverStarted = new SimulatorRunner(new MarketSimulator(CATALOG, config(10)), e -> true,
                Clock.system());
        neverStarted.close();
        assertThatThrownBy(neverStarted::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void shouldStopRetryingWhenClosedUnderBackPressure() {
        AtomicInteger offers = new AtomicInteger();
        SimulatorRunner runner = start(config(1_000), e -> offers.incrementAndGet() < 0, Clock.system());
        await().atMost(PATIENCE).until(() -> runner.backPressureWaits() > 10);
        runner.close();
        assertThat(runner.isRunning()).isFalse();
        assertThat(runner.eventsDelivered()).isZero();
        assertThat(runner.eventsGenerated()).isEqualTo(1);
    }

    private List<MarketEvent> runOneSecond(Recording sink, double rate) {
        ManualClock clock = new ManualClock(Instant.parse("2024-11-13T15:00:00Z"));
        SimulatorRunner runner = start(config(rate), sink, clock);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(PATIENCE).until(() -> sink.received.size() >= rate);
        runner.close();
        assertThat(runner.eventsGenerated()).isEqualTo((long) rate);
        return List.copyOf(sink.received);
    }

    private SimulatorRunner start(SimulatorConfig config, MarketDataSink sink, Clock clock) {
        SimulatorRunner runner = new SimulatorRunner(new MarketSimulator(CATALOG, config), sink, clock);
        runners.add(runner);
        runner.start();
        return runner;
    }

    private static SimulatorConfig config(double rate) {
        return SimulatorConfig.defaults().withEventsPerSecond(rate).withRespectMarketHours(false);
    }

    private static void awaitRelease(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A sink that refuses its first {@code refuse} offers, then records everything in order. */
    private static final class Recording implements MarketDataSink {
        final List<MarketEvent> received = new CopyOnWriteArrayList<>();
        final AtomicInteger refusals = new AtomicInteger();
        private final int refuse;

        Recording(int refuse) {
            this.refuse = refuse;
        }

        @Override
        public boolean offer(MarketEvent event) {
            if (refusals.get() < refuse) {
                refusals.incrementAndGet();
                return false;
            }
            return received.add(event);
        }
    }

    /**
     * A manual clock that lets a test wait until the runner has read the pacing time a number of
     * times more: proof that the runner went round its loop after something the test did.
     */
    private static final class CountingClock implements Clock {
        final ManualClock manual;
        private volatile CountDownLatch reads = new CountDownLatch(0);

        CountingClock(ManualClock manual) {
            this.manual = manual;
        }

        boolean awaitReads(int count) throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(count);
            reads = latch;
            return latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public long epochMicros() {
            return manual.epochMicros();
        }

        @Override
        public long monotonicNanos() {
            reads.countDown();
            return manual.monotonicNanos();
        }
    }
}
