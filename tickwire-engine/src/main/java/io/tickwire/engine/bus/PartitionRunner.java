package io.tickwire.engine.bus;

import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.PartitionEngine;
import io.tickwire.engine.ingest.Receipt;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's thread and queues.
 *
 * <p>Many producers, one consumer, on JCTools' queues that need no {@code Unsafe} access.  When both queues are empty the thread spins briefly, then
 * parks; a producer that finds it parked unparks it, so an idle partition costs no CPU and a busy
 * one never sleeps. The command queue is drained before events so a subscription takes effect
 * before the next events of a batch. Time-driven work (throttled streams, bar closes) runs when
 * the engine's next deadline passes; a parked thread wakes for it (and at least every 100 ms).
 *
 * <p><b>Hand-over.</b> A producer may offer {@linkplain #offerEvent(MarketEvent, boolean) without
 * waking} the thread and then {@linkplain #handOver() hand over}: if the thread is parked, the
 * producer runs the batch itself, on its own thread, instead of paying for a wake-up (on a VM
 * about 100 µs, the largest single cost of a tick at low rates); if the thread is awake, it takes
 * the events as usual. Whoever runs a batch holds {@link #owner} for it, so the engine is never
 * run by two threads at once, every batch sees the previous one's writes (the flag's release and
 * acquire order them), and events leave the one queue in the order they entered it: ordering per
 * producer is the same whoever drains.
 */
final class PartitionRunner implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionRunner.class);
    private static final int COMMAND_QUEUE_CAPACITY = 65_536;
    private static final int BATCH = 1_024;
    private static final int SPINS = 200;
    private static final int YIELDS = 20;
    /** {@link #ownedStep} results besides the work done. */
    private static final int BUSY = -1;
    private static final int RETRY = -2;

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final Clock clock;
    /** Source events, and the receipts sources put behind them ({@link Receipt}), in the order offered. */
    private final MpscAtomicArrayQueue<Object> events;
    private final MpscAtomicArrayQueue<EngineCommand> commands;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Source events the engine failed on: what a tap may never have seen, so a receipt counts them as lost. */
    private final AtomicLong failedEvents = new AtomicLong();
    /** Held by whichever thread runs a batch of the engine: this partition's thread or a producer handing over. */
    private final AtomicBoolean owner = new AtomicBoolean();
    private final MessagePassingQueue.Consumer<Object> onEvent = this::onEvent;
    private final MessagePassingQueue.Consumer<EngineCommand> onCommand = this::onCommand;

    private volatile boolean running = true;
    private volatile boolean sleeping;
    /** When the parked thread will wake by itself (epoch µs); written under {@link #owner}. */
    private long parkedUntil = Long.MAX_VALUE;
    private volatile long accepted;
    private volatile long rejected;
    private Thread thread;
    private PartitionEngine engine;
    private long failures;

    PartitionRunner(String name, int queueCapacity, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.events = new MpscAtomicArrayQueue<>(queueCapacity);
        this.commands = new MpscAtomicArrayQueue<>(COMMAND_QUEUE_CAPACITY);
    }

    void start(PartitionEngine partitionEngine) {
        this.engine = partitionEngine;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues an event; with {@code wake == false} the caller must {@link #handOver()} soon after,
     * or the event waits until the thread wakes by itself (at most 100 ms).
     */
    boolean offerEvent(MarketEvent event, boolean wake) {
        if (!running || !events.offer(event)) {
            refused.incrementAndGet();
            return false;
        }
        offered.incrementAndGet();
        if (wake) {
            wake();
        }
        return true;
    }

    /**
     * Queues a receipt behind the events offered before it, holding it until the engine has shown
     * it to the tap; refused (released, marked so) when the queue is full or the partition stopped.
     * Does not wake the thread: the caller hands over.
     */
    void offerReceipt(Receipt receipt) {
        receipt.hold();
        if (!running || !events.offer(receipt)) {
            refused.incrementAndGet(); // back-pressure on a publisher as much as a refused event is
            receipt.refuse();
            receipt.release();
        }
    }

    /**
     * Gets queued work going: if this partition's thread is parked, runs one batch on the calling
     * thread (and wakes the thread only if the batch left it something to do sooner than planned);
     * if another thread is running a batch, wakes the partition's thread so nothing is left behind.
     * Cheap when there is nothing queued.
     *
     * @return whether a batch ran on the calling thread
     */
    boolean handOver() {
        if (events.isEmpty() && commands.isEmpty()) {
            return false;
        }
        if (!sleeping || !running) {
            wake(); // awake: it takes them (the volatile flag and the queue order this check with its park)
            return false;
        }
        if (!owner.compareAndSet(false, true)) {
            LockSupport.unpark(thread); // another producer is handing over and may have drained before our offer
            return false;
        }
        boolean wakeThread;
        try {
            batch();
            wakeThread = engine.nextDeadline() < parkedUntil || retryDelivery() || !events.isEmpty() || !commands.isEmpty();
        } finally {
            owner.set(false);
        }
        if (wakeThread) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    boolean offerCommand(EngineCommand command) {
        if (!running || !commands.offer(command)) {
            return false;
        }
        wake();
        return true;
    }

    private void wake() {
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        int idle = 0;
        while (running || !events.isEmpty() || !commands.isEmpty()) {
            int work = owner.compareAndSet(false, true) ? ownedStep() : BUSY;
            if (work > 0) {
                idle = 0;
            } else if (work == RETRY) {
                LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(200)); // let the loops drain, then retry
            } else if (idle < SPINS || work == BUSY) {
                idle++;
                Thread.onSpinWait();
            } else if (idle < SPINS + YIELDS) {
                idle++;
                Thread.yield();
            } else {
                park();
            }
        }
        while (!owner.compareAndSet(false, true)) {
            Thread.onSpinWait(); // a producer's hand-over is finishing
        }
        try {
            endOfBatch();
            publishCounters();
        } finally {
            owner.set(false);
        }
    }

    /** One step of the thread's loop, holding {@link #owner}: a batch, or a delivery retry when idle. */
    private int ownedStep() {
        try {
            int work = batch();
            if (work == 0 && retryDelivery()) {
                return RETRY;
            }
            return work;
        } finally {
            owner.set(false);
        }
    }

    /** Runs one batch; the caller holds {@link #owner}. Returns the work done. */
    private int batch() {
        long now = clock.epochMicros();
        engine.beginBatch(now);
        int work = commands.drain(onCommand, BATCH) + events.drain(onEvent, BATCH);
        if (now >= engine.nextDeadline()) {
            tick(now);
            work++;
        }
        if (work > 0) {
            publishCounters();
            endOfBatch();
        }
        return work;
    }

    /** Parks until woken, the engine's next deadline, or 100 ms. */
    private void park() {
        long parkMicros;
        if (!owner.compareAndSet(false, true)) {
            return; // a producer is running a batch: not idle
        }
        try {
            long now = clock.epochMicros();
            long untilDeadlineMicros = engine.nextDeadline() - now; // may be huge: no deadline
            parkMicros = Math.max(1, Math.min(MAX_PARK_NANOS / 1_000, untilDeadlineMicros));
            parkedUntil = now + parkMicros;
        } finally {
            owner.set(false);
        }
        sleeping = true;
        if (events.isEmpty() && commands.isEmpty() && running) {
            LockSupport.parkNanos(this, parkMicros * 1_000);
        }
        sleeping = false;
    }

    private void onEvent(Object queued) {
        if (queued instanceof Receipt receipt) {
            try {
                engine.onReceipt(receipt);
            } catch (RuntimeException e) {
                receipt.lose();
                fail("receipt", e);
            } finally {
                receipt.release();
            }
            return;
        }
        MarketEvent event = (MarketEvent) queued;
        try {
            engine.onSourceEvent(event);
        } catch (RuntimeException e) {
            failedEvents.incrementAndGet();
            fail("event " + event, e);
        }
    }

    private void onCommand(EngineCommand command) {
        try {
            engine.onCommand(command);
        } catch (RuntimeException e) {
            fail("command " + command, e);
        }
    }

    private boolean retryDelivery() {
        try {
            return engine.retryDelivery();
        } catch (RuntimeException e) {
            fail("retrying delivery", e);
            return false;
        }
    }

    private void tick(long now) {
        try {
            engine.onTick(now);
        } catch (RuntimeException e) {
            fail("tick", e);
        }
    }

    private void endOfBatch() {
        try {
            engine.endOfBatch();
        } catch (RuntimeException e) {
            fail("end of batch", e);
        }
    }

    private void fail(String what, RuntimeException e) {
        failures++;
        if (failures <= 10 || Long.bitCount(failures) == 1) {
            LOG.error("{}: failed to process {} ({} failures so far)", name, what, failures, e);
        }
    }

    private void publishCounters() {
        accepted = engine.ingest().accepted();
        rejected = engine.ingest().rejected();
    }

    void stop() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    void join() {
        if (thread == null) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Source events the engine failed on (logged), so far; any thread. */
    long failedEvents() {
        return failedEvents.get();
    }

    long offered() {
        return offered.get();
    }

    long refused() {
        return refused.get();
    }

    long accepted() {
        return accepted;
    }

    long rejected() {
        return rejected;
    }

    /** Whether the thread is parked (or about to be); for tests. */
    boolean parked() {
        return sleeping;
    }

    long queued() {
        return events.size();
    }
}
