package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.ingest.Receipt;
import io.tickwire.testkit.RandomCases;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnsweredRecordsTest {

    /** Records answered in any order (Kafka's partitions answer independently), receipts waiting among them. */
    private record Case(List<Long> answerOrder, long[] targets) {
    }

    @Test
    void theWatermarkIsTheFirstRecordNotAnsweredAndEachReceiptIsReleasedWhenItPassesItsTarget() {
        RandomCases.check(200, AnsweredRecordsTest::randomCase, c -> {
            AnsweredRecords answered = new AnsweredRecords();
            List<Long> released = new ArrayList<>();
            for (long target : c.targets()) {
                answered.releaseAfter(target, new Receipt(() -> 0, outcome -> released.add(target)));
            }
            BitSet done = new BitSet();
            for (long number : c.answerOrder()) {
                answered.answered(number);
                done.set((int) number);
                long expected = done.nextClearBit(0);
                assertThat(answered.watermark()).isEqualTo(expected);
                List<Long> due = new ArrayList<>();
                for (long target : c.targets()) {
                    if (target <= expected) {
                        due.add(target);
                    }
                }
                assertThat(released).as("released in order, exactly those whose records are all answered").isEqualTo(due);
            }
            assertThat(answered.waiting()).isZero();
        });
    }

    @Test
    void aReceiptAddedAfterItsRecordsWereAnsweredIsReleasedAtOnceAndAnAnswerRepeatedChangesNothing() {
        AnsweredRecords answered = new AnsweredRecords();
        for (long n = 0; n < 5; n++) {
            answered.answered(n);
        }
        answered.answered(2); // a failed producer's record answered again as it closes
        List<String> released = new ArrayList<>();
        answered.releaseAfter(5, new Receipt(() -> 0, outcome -> released.add("five " + outcome)));
        answered.releaseAfter(6, new Receipt(() -> 0, outcome -> released.add("six " + outcome)));
        assertThat(released).containsExactly("five KEPT");
        assertThat(answered.watermark()).isEqualTo(5);
        answered.answered(5);
        assertThat(released).containsExactly("five KEPT", "six KEPT");
    }

    private static Case randomCase(SplittableRandom random) {
        int records = random.nextInt(1, random.nextBoolean() ? 50 : 20_000); // large: the ring grows
        List<Long> order = new ArrayList<>();
        int partitions = random.nextInt(1, 8);
        // per partition in order, the partitions interleaved at random: how Kafka answers
        List<List<Long>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ArrayList<>());
        }
        for (long n = 0; n < records; n++) {
            byPartition.get(random.nextInt(partitions)).add(n);
        }
        int[] next = new int[partitions];
        while (order.size() < records) {
            int p = random.nextInt(partitions);
            int burst = random.nextInt(1, 200);
            for (int i = 0; i < burst && next[p] < byPartition.get(p).size(); i++) {
                order.add(byPartition.get(p).get(next[p]++));
            }
        }
        if (random.nextInt(10) == 0) {
            Collections.shuffle(order, new java.util.Random(random.nextLong())); // any order at all
        }
        long[] targets = new long[random.nextInt(0, 6)];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = random.nextLong(0, records + 1);
        }
        java.util.Arrays.sort(targets); // the producer thread adds them as it goes: never decreasing
        return new Case(order, targets);
    }
}
