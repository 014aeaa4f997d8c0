package io.tickwire.cli.app;

import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.bar.BarState;
import io.tickwire.engine.bus.InProcessBus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's bars handed to the ingest node it becomes, in one process ({@link FailoverNode}):
 * the standby's engine holds them whole (taken over from the topic as it started, then followed),
 * its store only what it read. Both halves wait at most {@value #TIMEOUT_SECONDS} s each; what is
 * not handed over by then is rebuilt from the store, as on any start. Stateless.
 */
final class StandbyBars {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyBars.class);
    private static final int TIMEOUT_SECONDS = 10;

    private StandbyBars() {
    }

    /** Every instrument's bars in the standby's {@code engine} (instruments with none are left out). */
    static List<BarState> read(InProcessBus engine, int instruments) {
        List<BarState> bars = new CopyOnWriteArrayList<>();
        CountDownLatch answered = new CountDownLatch(instruments);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (int id = 0; id < instruments; id++) {
            EngineCommand.TapState ask = new EngineCommand.TapState(id, state -> {
                if (state != null && state.bars() != null) {
                    bars.add(state.bars());
                }
                answered.countDown();
            });
            while (!engine.submit(ask) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the engine's queue is full
            }
        }
        if (!await(answered, deadline)) {
            LOG.warn("cluster: the standby's engine gave {} of {} instruments' bars within {} s; the rest are rebuilt"
                    + " from its store", instruments - answered.getCount(), instruments, TIMEOUT_SECONDS);
        }
        return List.copyOf(bars);
    }

    /** Has the new ingest node's {@code engine} take over {@code bars}, and waits until it has. */
    static void handTo(InProcessBus engine, List<BarState> bars) {
        if (bars.isEmpty()) {
            return;
        }
        CountDownLatch applied = new CountDownLatch(bars.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (BarState state : bars) {
            while (!engine.submit(new EngineCommand.TakeBarState(state, applied::countDown))) {
                if (System.nanoTime() - deadline > 0) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        if (await(applied, deadline)) {
            LOG.info("took over the standby's bars of {} instrument(s)", bars.size());
        } else {
            LOG.warn("the engine took over {} of {} instruments' bars within {} s", bars.size() - applied.getCount(),
                    bars.size(), TIMEOUT_SECONDS);
        }
    }

    private static boolean await(CountDownLatch latch, long deadline) {
        try {
            return latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
