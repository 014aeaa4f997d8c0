package io.tickwire.client.internal;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on a user's executor one at a time, in submission order, whatever that executor's
 * own threading: callbacks of one client never run concurrently and never out of order.
 *
 * <p>Many producers, one task running at a time. The queue itself is unbounded; the producer
 * keeps it bounded by watching {@link #aboveHighWater()} and pausing its input (the client stops
 * reading from the socket, so back-pressure reaches the server) until the signal armed with
 * {@link #armResumeSignal()} fires at the low-water mark. A task that throws is logged and the
 * next one runs; so is a low-water signal that throws: every task submitted runs, whatever
 * happened to the producer.
 */
public final class OrderedExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedExecutor.class);
    /** Tasks run per turn on the delegate before yielding it to others. */
    private static final int BATCH = 256;

    private final Executor delegate;
    private final int highWater;
    private final int lowWater;
    private final Runnable onLowWater;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean armed = new AtomicBoolean();

    /**
     * An executor that runs tasks on {@code delegate}, one at a time, in order.
     *
     * @param delegate   where tasks run
     * @param highWater  queued tasks at which {@link #aboveHighWater()} turns true
     * @param lowWater   queued tasks at or below which an armed signal fires
     * @param onLowWater the signal; runs on whichever thread sees the queue drain, so it must only
     *                   hand work over (e.g. to an event loop)
     */
    public OrderedExecutor(Executor delegate, int highWater, int lowWater, Runnable onLowWater) {
        if (lowWater < 0 || highWater <= lowWater) {
            throw new IllegalArgumentException("need 0 <= lowWater < highWater");
        }
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.highWater = highWater;
        this.lowWater = lowWater;
        this.onLowWater = Objects.requireNonNull(onLowWater, "onLowWater");
    }

    @Override
    public void execute(Runnable task) {
        queue.add(Objects.requireNonNull(task, "task"));
        size.incrementAndGet();
        schedule();
    }

    /** Whether so many tasks wait that the producer should pause. */
    public boolean aboveHighWater() {
        return size.get() >= highWater;
    }

    /** Tasks waiting or running. */
    public int backlog() {
        return size.get();
    }

    /** Fires {@code onLowWater} once, as soon as the backlog is at or below the low-water mark. */
    public void armResumeSignal() {
        armed.set(true);
        if (size.get() <= lowWater && armed.compareAndSet(true, false)) {
            signalLowWater();
        }
    }

    /**
     * Runs the low-water signal; a signal that throws (its event loop already shut down after the
     * client closed, say) is logged and must not stop the remaining tasks from running.
     */
    private void signalLowWater() {
        try {
            onLowWater.run();
        } catch (Throwable t) {
            LOG.debug("the low-water signal failed; carrying on with the callbacks", t);
        }
    }

    private void schedule() {
        if (running.compareAndSet(false, true)) {
            try {
                delegate.execute(this::drain);
            } catch (RejectedExecutionException e) {
                running.set(false);
                LOG.error("callback executor refused work; {} callbacks wait", size.get(), e);
            }
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = queue.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    LOG.warn("a Tickwire callback threw; carrying on with the next", t);
                }
                int left = size.decrementAndGet();
                if (left <= lowWater && armed.get() && armed.compareAndSet(true, false)) {
                    signalLowWater();
                }
            }
        } finally {
            running.set(false);
        }
        if (!queue.isEmpty()) {
            schedule();
        }
    }
}
