package io.tickwire.kafka;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Utils;

/**
 * A producer partitioner (set through {@code partitioner.class}) that partitions keys as Kafka's
 * own does, except that one call, the {@link #failAt}th since {@link #arm}, throws a
 * {@link KafkaException}: a fault the producer's {@code send} passes to its caller, as it does a
 * fatal error, so a test can watch the ingest node replace its producer. Kafka makes an instance
 * per producer; the count is shared, so only one producer fails.
 */
public final class FailingOncePartitioner implements Partitioner {

    private static final AtomicInteger CALLS = new AtomicInteger();
    private static volatile int failAt = Integer.MAX_VALUE;
    private static volatile boolean failed;

    /** The {@code n}th record partitioned from now fails. */
    static void arm(int n) {
        CALLS.set(0);
        failed = false;
        failAt = n;
    }

    /** Whether the armed failure has happened. */
    static boolean failed() {
        return failed;
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        if (CALLS.incrementAndGet() == failAt) {
            failed = true;
            throw new KafkaException("injected by FailingOncePartitioner: the producer cannot take this record");
        }
        return Utils.toPositive(Utils.murmur2(keyBytes)) % cluster.partitionsForTopic(topic).size();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
