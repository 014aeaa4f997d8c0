package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaderFenceTest {

    private static final Leadership FIRST = new Leadership(1, 3, 1_000);
    private static final Leadership SECOND = new Leadership(2, 4, 2_000);

    @Test
    void beforeAnyMarkEveryRunIsTakenAfterItOnlyTheMarkedOnePartitionByPartition() {
        LeaderFence fence = new LeaderFence();
        assertThat(fence.admits(0, 1_000)).isTrue();
        assertThat(fence.admits(0, 2_000)).isTrue();
        assertThat(fence.mark(1, SECOND)).isTrue();
        assertThat(fence.admits(0, 1_000)).as("partition 0 has no mark yet").isTrue();
        assertThat(fence.admits(1, 1_000)).isFalse();
        assertThat(fence.admits(1, 2_000)).isTrue();
        assertThat(fence.fenced()).isEqualTo(1);
    }

    @Test
    void aDeposedNodesLateMarkChangesNothingAndTheSameMarkAgainIsNoStaleOne() {
        LeaderFence fence = new LeaderFence();
        assertThat(fence.mark(0, SECOND)).isTrue();
        assertThat(fence.mark(0, FIRST)).isFalse();
        assertThat(fence.admits(0, FIRST.epoch())).isFalse();
        assertThat(fence.fenced()).isEqualTo(2); // the stale mark and the record
        assertThat(fence.mark(0, SECOND)).isFalse();
        assertThat(fence.fenced()).isEqualTo(2);
    }

    @Test
    void aTermIsPassedOnceEveryPartitionCarriedItOrALaterOne() {
        LeaderFence fence = new LeaderFence();
        fence.mark(0, FIRST);
        assertThat(fence.passed(FIRST, 2)).isFalse();
        fence.mark(1, SECOND);
        assertThat(fence.passed(FIRST, 2)).isTrue();
        assertThat(fence.passed(SECOND, 2)).isFalse();
    }

    @Test
    void termsOrderByTermThenGeneration() {
        assertThat(new Leadership(2, 0, 5).after(new Leadership(1, 9, 5))).isTrue();
        assertThat(new Leadership(2, 5, 5).after(new Leadership(2, 4, 5))).as("elected in quick succession").isTrue();
        assertThat(new Leadership(2, 4, 5).after(new Leadership(2, 4, 6))).isFalse();
        assertThat(new Leadership(2, 0, 6).after(new Leadership(2, 0, 5))).as("two claims without an election: the later run")
                .isTrue();
        assertThat(FIRST.after(null)).isTrue();
    }
}
