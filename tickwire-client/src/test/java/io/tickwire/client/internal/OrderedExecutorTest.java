package io.tickwire.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrderedExecutorTest {

    /** An executor that runs nothing until told to: the test decides when and in what order. */
    private static final class ManualExecutor implements Executor {
        final Queue<Runnable> queued = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            queued.add(command);
        }

        void runAll() {
            Runnable r;
            while ((r = queued.poll()) != null) {
                r.run();
            }
        }
    }

    private final ManualExecutor delegate = new ManualExecutor();
    private final AtomicInteger resumed = new AtomicInteger();
    private final OrderedExecutor executor = new OrderedExecutor(delegate, 10, 2, resumed::incrementAndGet);

    @Test
    void shouldRunTasksInOrderOneTurnAtATime() {
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int n = i;
            executor.execute(() -> ran.add(n));
        }

        assertThat(delegate.queued).as("one turn scheduled, not one per task").hasSize(1);
        delegate.runAll();

        assertThat(ran).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1_000).boxed().toList());
        assertThat(executor.backlog()).isZero();
    }

    @Test
    void aThrowingTaskDoesNotStopTheOthers() {
        List<String> ran = new ArrayList<>();
        executor.execute(() -> ran.add("a"));
        executor.execute(() -> {
            throw new IllegalStateException("boom");
        });
        executor.execute(() -> ran.add("c"));

        delegate.runAll();

        assertThat(ran).containsExactly("a", "c");
    }

    @Test
    void shouldSignalOnceWhenABacklogAboveHighWaterDrainsToLowWater() {
        for (int i = 0; i < 12; i++) {
            executor.execute(() -> { });
        }
        assertThat(executor.aboveHighWater()).isTrue();
        executor.armResumeSignal();
        assertThat(resumed).hasValue(0);

        delegate.runAll();

        assertThat(resumed).hasValue(1);
        assertThat(executor.aboveHighWater()).isFalse();
    }

    @Test
    void armingWhenAlreadyDrainedSignalsAtOnce() {
        executor.armResumeSignal();
        assertThat(resumed).hasValue(1);
    }

    @Test
    void aLowWaterSignalThatThrowsDoesNotStrandTheRemainingTasks() {
        // the client's signal hands over to its event loop, which refuses work once the client closed
        OrderedExecutor afterClose = new OrderedExecutor(delegate, 10, 2, () -> {
            throw new java.util.concurrent.RejectedExecutionException("event loop terminated");
        });
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            afterClose.execute(() -> ran.add(n));
        }
        afterClose.armResumeSignal();

        delegate.runAll();

        assertThat(ran).as("every task runs, the last ones included (the client's Closed event)")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 12).boxed().toList());
        assertThat(afterClose.backlog()).isZero();
    }
}
