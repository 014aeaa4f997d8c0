package io.tickwire.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects one ingest node among the candidates of a cluster with automatic failover: each joins
 * the consumer group {@code <topic>.ingest} on the one-partition topic {@link ClusterTopics#leaderTopic};
 * the member Kafka assigns that partition to is the elected ingest node. A member that stops
 * (closed: at once; killed or cut off: after {@code timeout}, the group's session timeout) or
 * stops polling for {@code timeout} loses the partition, and Kafka gives it to another. The
 * assignment is sticky ({@link CooperativeStickyAssignor}), so a candidate joining does not
 * depose the node in office.
 *
 * <p>The election alone does not stop a deposed node that has not noticed yet from appending:
 * {@link LeaderFence} does, on every reader, with the term each elected node marks
 * ({@link Leadership}).
 *
 * <p>{@link Listener} is called on the election's own thread ({@value #THREAD_NAME}), which must
 * keep polling: it must return at once (hand the work to another thread). Thread-safe.
 */
public final class IngestElection implements Office, AutoCloseable {

    /** The election's thread. */
    public static final String THREAD_NAME = "tickwire-kafka-election";

    private static final Logger LOG = LoggerFactory.getLogger(IngestElection.class);

    /** What the election tells its node. */
    public interface Listener {
        /** This node is now the elected ingest node, by the group's {@code generation}. */
        void elected(int generation);

        /** This node is no longer the elected ingest node (it left, lost its session or stopped polling). */
        void deposed();
    }

    private final KafkaSettings settings;
    private final Duration timeout;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean elected;
    /** While elected: the group's metadata as of the last poll (the consumer is confined to the election's thread). */
    private volatile ConsumerGroupMetadata office;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile long unsureUntilNanos = System.nanoTime();

    /** Starts campaigning; nothing here waits for Kafka. */
    public IngestElection(KafkaSettings settings, Duration timeout, Listener listener) {
        this.settings = settings;
        this.timeout = timeout;
        this.listener = listener;
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        boolean warned = false;
        while (running) {
            try {
                ClusterTopics.ensureLeaderTopic(settings);
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(properties())) {
                    consumer = c;
                    if (!running) {
                        return;
                    }
                    c.subscribe(List.of(ClusterTopics.leaderTopic(settings)), new Rebalance(c));
                    LOG.info("cluster: campaigning to be the ingest node (group {}, failover after {})",
                            group(), timeout);
                    lastPollNanos = System.nanoTime();
                    while (running) {
                        c.poll(Duration.ofMillis(200)); // the records themselves are read by the elected node's log
                        office = elected ? c.groupMetadata() : null;
                        polled(System.nanoTime());
                    }
                } finally {
                    consumer = null;
                    depose(); // leaving the group (or losing the consumer) ends a term
                }
            } catch (WakeupException e) {
                return;
            } catch (KafkaException | IllegalStateException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.warn("the ingest election at {} failed ({}); retrying every second", settings.bootstrapServers(),
                            e.toString());
                    warned = true;
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        Rebalance(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty() && !elected) {
                elected = true;
                office = c.groupMetadata();
                int generation = office.generationId();
                LOG.info("cluster: elected the ingest node (generation {})", generation);
                listener.elected(generation);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                depose();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                depose();
            }
        }
    }

    private void depose() {
        if (elected) {
            elected = false;
            office = null;
            LOG.warn("cluster: no longer the elected ingest node");
            listener.deposed();
        }
    }

    /**
     * After each poll: a stall of the election's thread of half the timeout or more (a pause of
     * the whole process, a long collection) may have cost the session, which the consumer learns
     * only from its next heartbeats; until they have had time to say so, {@link #sure()} is false.
     */
    void polled(long nowNanos) {
        long half = timeout.toNanos() / 2;
        if (nowNanos - lastPollNanos >= half) {
            unsureUntilNanos = nowNanos + half;
            LOG.warn("cluster: the election stalled for {} ms; taking no publishers for {} ms, until the group has"
                    + " had time to say whether this node is still the ingest node",
                    TimeUnit.NANOSECONDS.toMillis(nowNanos - lastPollNanos), TimeUnit.NANOSECONDS.toMillis(half));
        }
        lastPollNanos = nowNanos;
    }

    /**
     * Whether this node is elected and sure of it: its election has polled within half the
     * timeout and has not stalled that long lately. A node paused past the timeout wakes deposed
     * without knowing it yet; every other thread wakes with it, and this tells them at once.
     */
    public boolean sure() {
        long now = System.nanoTime();
        return elected && now - lastPollNanos < timeout.toNanos() / 2 && now - unsureUntilNanos >= 0;
    }

    /** Whether this node holds the office now, as far as it knows. */
    @Override
    public boolean elected() {
        return elected;
    }

    /**
     * The election group's metadata (generation, member) while elected, as of the last poll;
     * {@code null} otherwise. An elected node's claim commits it with its marks, so the broker
     * refuses a claim by a member the group has moved on from ({@link EventLog}).
     */
    @Override
    public ConsumerGroupMetadata office() {
        return office;
    }

    private String group() {
        return settings.topic() + ".ingest";
    }

    private Properties properties() {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        // the configured client properties first (security), then the election's own, which they may not change
        Properties props = settings.withClientProperties(new Properties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tickwire-ingest-election");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, millis);
        // a standby learns of the rebalance at its next heartbeat: a tenth of the timeout adds little to a failover
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, millis / 10));
        // a node whose election thread is stuck loses the office too: it may be stuck elsewhere as well
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, millis);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG); // a shared static id would make candidates fence each other
        return props;
    }

    /** Leaves the group (another candidate is elected at once) and stops; idempotent. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
