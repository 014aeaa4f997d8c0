package io.tickwire.feeds.simulator;

import io.tickwire.engine.ingest.MarketDataSink;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a {@link MarketSimulator} at a total event rate into a {@link MarketDataSink}, on one
 * daemon thread named {@value #THREAD_NAME}.
 *
 * <p>Pacing is a fixed-rate schedule: every millisecond the thread works out from the clock's
 * monotonic time how many events are due (carrying the fraction), generates them as one batch
 * stamped with the clock's current time, and parks until the next tick. At most one second of
 * events is owed at once, so a stalled sink is not followed by an unbounded catch-up burst.
 * An event the sink refuses (back-pressure) is offered again, spinning briefly then parking,
 * until it is taken or the runner closes: events are never dropped or reordered, because a lost
 * quote would disagree with the simulated book. The simulator belongs to the runner's thread once
 * {@link #start()} is called. All public methods are thread-safe.
 *
 * <p>Throughput: in a quick unscientific check on a 2-core VM with a sink that accepts everything,
 * 100,000 events per second were held on target and the ceiling was about 5 million per second
 * (generation-bound). Real numbers will be in docs/benchmarks.md.
 */
public final class SimulatorRunner implements AutoCloseable {

    /** The name of the runner's thread. */
    public static final String THREAD_NAME = "tickwire-simulator";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorRunner.class);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final double MAX_BACKLOG_SECONDS = 1.0;
    private static final int BACK_PRESSURE_SPINS = 100;
    private static final long BACK_PRESSURE_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final MarketSimulator simulator;
    private final MarketDataSink sink;
    private final Clock clock;
    private final Thread thread;

    private volatile double eventsPerSecond;
    private volatile boolean running = true;
    private volatile boolean pauseRequested;
    private volatile boolean paused;
    private volatile boolean started;

    // Written only by the runner thread; volatile so other threads read current values.
    private volatile long generated;
    private volatile long delivered;
    private volatile long backPressureWaits;
    private volatile long failures;

    // Owned by the runner thread after start().
    private long lastTickNanos;
    private double owed;

    /**
     * A runner at the rate of {@code simulator.config().eventsPerSecond()}; call {@link #start()}.
     *
     * @param clock the source of the pacing time ({@link Clock#monotonicNanos()}) and of the
     *              events' time ({@link Clock#epochMicros()})
     */
    public SimulatorRunner(MarketSimulator simulator, MarketDataSink sink, Clock clock) {
        this.simulator = Objects.requireNonNull(simulator, "simulator");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.eventsPerSecond = simulator.config().eventsPerSecond();
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler(
                (t, e) -> LOG.error("{} died; no more simulated events", t.getName(), e));
    }

    /**
     * Starts the thread; events become due from this moment at the current rate.
     *
     * @throws IllegalStateException if started before or closed
     */
    public synchronized void start() {
        if (started || !running) {
            throw new IllegalStateException(started ? "simulator runner already started" : "simulator runner closed");
        }
        started = true;
        lastTickNanos = clock.monotonicNanos(); // read here so time advanced after start() counts
        thread.start();
        LOG.info("simulator started: {} instruments, {} events/s, seed {}", simulator.instruments().size(),
                eventsPerSecond, simulator.config().seed());
    }

    /**
     * Asks the runner to stop generating after the event in hand; returns at once. Once
     * {@link #isPaused()} is true no batch is in flight and nothing is generated until
     * {@link #resume()}; time spent paused is not owed afterwards.
     */
    public void pause() {
        pauseRequested = true;
        LockSupport.unpark(thread);
    }

    /** Resumes generation after {@link #pause()}. */
    public void resume() {
        pauseRequested = false;
        LockSupport.unpark(thread);
    }

    /** True once the runner has acknowledged a {@link #pause()} and is idle between batches. */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Changes the total event rate from the next tick; 0 stops generation like a pause.
     *
     * @throws IllegalArgumentException unless 0 &lt;= rate &lt;= {@link SimulatorConfig#MAX_EVENTS_PER_SECOND}
     */
    public void setRate(double newEventsPerSecond) {
        SimulatorConfig.checkRate(newEventsPerSecond);
        this.eventsPerSecond = newEventsPerSecond;
    }

    /** The current target rate in events per second. */
    public double rate() {
        return eventsPerSecond;
    }

    /** Events the simulator has produced so far. */
    public long eventsGenerated() {
        return generated;
    }

    /**
     * Events the sink has taken so far; equals {@link #eventsGenerated()} between batches unless the
     * sink threw (see {@link #failures()}) or the runner closed while the sink refused an event.
     */
    public long eventsDelivered() {
        return delivered;
    }

    /** How many times the sink refused an event that was then offered again. */
    public long backPressureWaits() {
        return backPressureWaits;
    }

    /** Unexpected exceptions caught (and logged) on the runner thread. */
    public long failures() {
        return failures;
    }

    /**
     * Stops the thread and waits up to ten seconds for it to end. An event refused by the sink at
     * that moment is abandoned. Idempotent; safe to call from any thread, including the sink's.
     */
    @Override
    public void close() {
        running = false;
        if (!started || Thread.currentThread() == thread) {
            return;
        }
        LockSupport.unpark(thread);
        try {
            if (!thread.join(JOIN_TIMEOUT)) {
                LOG.warn("{} did not stop within {}; the sink may be blocking", THREAD_NAME, JOIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while the runner's thread is alive. */
    boolean isRunning() {
        return thread.isAlive();
    }

    private void run() {
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                fail(e);
            }
            if (running) {
                LockSupport.parkNanos(this, TICK_NANOS);
            }
        }
        LOG.info("simulator stopped: {} events generated, {} delivered, {} back-pressure waits", generated,
                delivered, backPressureWaits);
    }

    private void tick() {
        long now = clock.monotonicNanos();
        long elapsed = Math.max(0, now - lastTickNanos);
        lastTickNanos = now;
        if (pauseRequested) {
            owed = 0;
            paused = true;
            return;
        }
        paused = false;
        double rate = eventsPerSecond;
        if (rate <= 0) {
            owed = 0;
            return;
        }
        owed = Math.min(owed + elapsed * rate / 1e9, Math.max(1.0, rate * MAX_BACKLOG_SECONDS));
        long due = (long) owed;
        if (due == 0) {
            return;
        }
        owed -= due; // what is not generated now (pause, close, closed markets) is not owed later
        long eventTime = clock.epochMicros();
        for (long i = 0; i < due && running && !pauseRequested; i++) {
            MarketEvent event = simulator.next(eventTime);
            if (event == null) {
                return; // every market is closed
            }
            generated++;
            deliver(event);
        }
    }

    private void deliver(MarketEvent event) {
        int spins = 0;
        while (!sink.offer(event)) {
            backPressureWaits++;
            if (!running) {
                LOG.warn("closing while the sink refuses events; abandoned {}", event);
                return;
            }
            if (spins < BACK_PRESSURE_SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, BACK_PRESSURE_PARK_NANOS);
            }
        }
        delivered++;
    }

    private void fail(RuntimeException e) {
        long count = ++failures;
        if (count <= 10 || Long.bitCount(count) == 1) {
            LOG.error("{}: unexpected failure, carrying on ({} so far)", THREAD_NAME, count, e);
        }
    }
}
