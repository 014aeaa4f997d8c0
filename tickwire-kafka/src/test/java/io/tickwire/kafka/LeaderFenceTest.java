package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
    void aReaderStartingInAPartitionIsFencedByTheLatestTermMarkedBeforeWhereItStarts() {
        Leadership third = new Leadership(3, 5, 3_000);
        // marks in partitions 0 and 1; the first term knew partition 0 only
        List<ClusterTopics.Term> terms = List.of(new ClusterTopics.Term(FIRST, new long[] {10}),
                new ClusterTopics.Term(third, new long[] {90, 95}), new ClusterTopics.Term(SECOND, new long[] {50, 60}));
        LeaderFence fence = new LeaderFence();
        fence.startAt(0, 70, terms); // between the second term's mark and the third's
        assertThat(fence.admits(0, FIRST.epoch())).as("deposed in the second term").isFalse();
        assertThat(fence.admits(0, SECOND.epoch())).isTrue();
        fence.startAt(1, 40, terms); // before every mark there; the first term did not know partition 1
        assertThat(fence.admits(1, FIRST.epoch())).as("all partition 1 held then was the first term's").isTrue();
        assertThat(fence.admits(1, SECOND.epoch())).isFalse();
        fence.startAt(2, 0, terms); // a partition no term knew: added during the last
        assertThat(fence.admits(2, third.epoch())).isTrue();
        assertThat(fence.admits(2, SECOND.epoch())).isFalse();
        LeaderFence unmarked = new LeaderFence();
        unmarked.startAt(0, 5, terms); // before the first mark: nothing to fence by
        assertThat(unmarked.admits(0, 42)).isTrue();
        unmarked.startAt(1, 0, List.of());
        assertThat(unmarked.admits(1, 42)).as("no term ever claimed").isTrue();
        assertThat(unmarked.fenced()).isZero();
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
