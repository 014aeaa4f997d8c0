package io.tickwire.kafka;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Which ingest node's records a reader of the topic takes, partition by partition, once elected
 * ingest nodes mark their terms (automatic failover): after a partition's latest
 * {@link Leadership} mark only records of that node's run epoch. A deposed node that goes on
 * appending (it has not noticed yet: a pause, a lost connection to the group) is thus ignored by
 * every reader, since every reader reads a partition in the same order. Records of a partition
 * with no mark read yet are all taken (a cluster without failover never writes one). A mark not
 * after the partition's latest one (a deposed node's late mark) changes nothing.
 *
 * <p>Confined to one thread; {@link #fenced()} may be read from any.
 */
final class LeaderFence {

    private Leadership[] latest = new Leadership[0]; // per partition
    private volatile long fenced;

    /** Takes a mark read from {@code partition}; whether it starts a newer term there. */
    boolean mark(int partition, Leadership leadership) {
        if (partition >= latest.length) {
            latest = Arrays.copyOf(latest, partition + 1);
        }
        if (leadership.equals(latest[partition])) {
            return false; // the same mark again (a claim retried)
        }
        if (!leadership.after(latest[partition])) {
            fenced++;
            return false;
        }
        latest[partition] = leadership;
        return true;
    }

    /**
     * Before the first record of {@code partition} is read, from {@code position} on: fences it as
     * the marks there that this reader never reads would have, by the latest of {@code terms} (the
     * leader topic's) whose mark lies before {@code position}, or that did not know the partition
     * (added after its claim: all the partition holds was written since). Not only the last term:
     * where a reader starts between an older term's mark and the last one's, what a node deposed
     * in that older term appended there must be dropped as every reader that read the mark drops it.
     */
    void startAt(int partition, long position, List<ClusterTopics.Term> terms) {
        Leadership before = null;
        for (ClusterTopics.Term term : terms) {
            boolean marked = partition >= term.marks().length || term.marks()[partition] < position;
            if (marked && (before == null || term.leadership().after(before))) {
                before = term.leadership();
            }
        }
        if (before != null) {
            mark(partition, before);
        }
    }

    /** {@link #startAt} for each of {@code partitions}, from where {@code consumer} is about to read it. */
    void startAt(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, List<ClusterTopics.Term> terms) {
        for (TopicPartition p : partitions) {
            startAt(p.partition(), consumer.position(p), terms);
        }
    }

    /** Whether to take a record of {@code partition} written by the run {@code epoch}; counts the others. */
    boolean admits(int partition, long epoch) {
        Leadership current = partition < latest.length ? latest[partition] : null;
        if (current == null || current.epoch() == epoch) {
            return true;
        }
        fenced++;
        return false;
    }

    /** Whether every one of the first {@code partitions} partitions has had {@code leadership}'s mark, or a later one. */
    boolean passed(Leadership leadership, int partitions) {
        for (int p = 0; p < partitions; p++) {
            Leadership current = p < latest.length ? latest[p] : null;
            if (current == null || leadership.after(current)) {
                return false;
            }
        }
        return true;
    }

    /** Records (and stale marks) dropped as a deposed ingest node's. */
    long fenced() {
        return fenced;
    }
}
