package io.tickwire.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/** Reading the cluster topic from a point in time to where it ended: a gateway's catch-up, an ingest node's numbers. */
final class Lookback {

    private Lookback() {
    }

    /**
     * Assigns {@code partitions} to {@code consumer} and seeks each to its first record at or after
     * {@code fromMillis} (Kafka's record times); returns the ends to reach. The ends are taken first:
     * a partition with nothing since starts at its end, which must not pass records appended meanwhile.
     */
    static Map<TopicPartition, Long> seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                          long fromMillis) {
        consumer.assign(partitions);
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition p : partitions) {
            query.put(p, fromMillis);
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp at = offsets.get(p);
            consumer.seek(p, at == null ? ends.get(p) : at.offset());
        }
        return ends;
    }

    /** Whether {@code consumer} has read every partition up to its end in {@code ends}. */
    static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
