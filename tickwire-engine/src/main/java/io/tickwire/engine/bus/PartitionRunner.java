package io.tickwire.engine.bus;

import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.PartitionEngine;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import java.util.concurrent.TimeUnit;
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
 */
final class PartitionRunner implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionRunner.class);
    private static final int COMMAND_QUEUE_CAPACITY = 65_536;
    private static final int BATCH = 1_024;
    private static final int SPINS = 200;
    private static final int YIELDS = 20;

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final Clock clock;
    private final MpscAtomicArrayQueue<MarketEvent> events;
    private final MpscAtomicArrayQueue<EngineCommand> commands;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final MessagePassingQueue.Consumer<MarketEvent> onEvent = this::onEvent;
    private final MessagePassingQueue.Consumer<EngineCommand> onCommand = this::onCommand;

    private volatile boolean running = true;
    private volatile boolean sleeping;
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

    boolean offerEvent(MarketEvent event) {
        if (!running || !events.offer(event)) {
            refused.incrementAndGet();
            return false;
        }
        offered.incrementAndGet();
        wake();
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
                idle = 0;
            } else if (retryDelivery()) {
                LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(200)); // let the loops drain, then retry
            } else if (idle < SPINS) {
                idle++;
                Thread.onSpinWait();
            } else if (idle < SPINS + YIELDS) {
                idle++;
                Thread.yield();
            } else {
                sleeping = true;
                if (events.isEmpty() && commands.isEmpty() && running) {
                    long untilDeadlineMicros = engine.nextDeadline() - clock.epochMicros(); // may be huge: no deadline
                    long parkMicros = Math.max(1, Math.min(MAX_PARK_NANOS / 1_000, untilDeadlineMicros));
                    LockSupport.parkNanos(this, parkMicros * 1_000);
                }
                sleeping = false;
            }
        }
        endOfBatch();
        publishCounters();
    }

    private void onEvent(MarketEvent event) {
        try {
            engine.onSourceEvent(event);
        } catch (RuntimeException e) {
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

    long queued() {
        return events.size();
    }
}
