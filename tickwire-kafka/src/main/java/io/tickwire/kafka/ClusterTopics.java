package io.tickwire.kafka;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's second topic, {@code <topic>.leader}: one partition, compacted, holding every
 * {@link Leadership} an ingest node claimed (keyed by term and generation, so compaction keeps
 * each, not just the one written last: a deposed node's late record must not become "the last
 * term") with the offsets of its marks
 * in the cluster topic's partitions: the next ingest node numbers its term from it, and a starting
 * reader fences each partition by the latest term whose mark there lies before where it starts
 * reading ({@link Term}, {@link LeaderFence#startAt}). For
 * an election, it is also the partition the group hands to the elected node.
 *
 * <p>A term record's value (big-endian): version byte ({@value EventRecords#VERSION}), term,
 * generation (int), run epoch, then the count of partitions (int) and each one's mark offset.
 * Stateless; every call talks to Kafka and throws {@link KafkaException} when it cannot.
 */
public final class ClusterTopics {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTopics.class);

    /**
     * A claimed term and where its marks are.
     *
     * @param leadership the term
     * @param marks      per partition of the cluster topic (by number), the offset of the term's mark
     */
    record Term(Leadership leadership, long[] marks) {
    }

    private ClusterTopics() {
    }

    /** The leader topic's name for {@code settings}' topic. */
    public static String leaderTopic(KafkaSettings settings) {
        return settings.topic() + ".leader";
    }

    /** The record that makes {@code term} the leader topic's last. */
    static ProducerRecord<byte[], byte[]> termRecord(KafkaSettings settings, Term term) {
        ByteBuffer value = ByteBuffer.allocate(1 + 2 * Long.BYTES + 2 * Integer.BYTES
                + term.marks().length * Long.BYTES);
        value.put(EventRecords.VERSION).putLong(term.leadership().term()).putInt(term.leadership().generation())
                .putLong(term.leadership().epoch()).putInt(term.marks().length);
        for (long offset : term.marks()) {
            value.putLong(offset);
        }
        byte[] key = ("term-" + term.leadership().term() + "-" + term.leadership().generation() + "-"
                + term.leadership().epoch()).getBytes(StandardCharsets.US_ASCII);
        return new ProducerRecord<>(leaderTopic(settings), 0, key, value.array());
    }

    /** A term record's value read back; {@code null} if it is not one this version reads. */
    static Term term(byte[] value) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(value);
            if (buf.get() != EventRecords.VERSION) {
                return null;
            }
            Leadership leadership = new Leadership(buf.getLong(), buf.getInt(), buf.getLong());
            int count = buf.getInt();
            if (count < 0 || count != buf.remaining() / Long.BYTES || buf.remaining() % Long.BYTES != 0) {
                return null;
            }
            long[] marks = new long[count];
            for (int p = 0; p < count; p++) {
                marks[p] = buf.getLong();
            }
            return new Term(leadership, marks);
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** Creates the leader topic unless it exists. */
    static void ensureLeaderTopic(KafkaSettings settings) {
        NewTopic topic = new NewTopic(leaderTopic(settings), 1, settings.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(adminProperties(settings))) {
            admin.createTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("cannot create " + leaderTopic(settings) + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new KafkaException("cannot create " + leaderTopic(settings) + ": no answer within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted");
        }
    }

    /** The latest term the leader topic holds, or {@code null} if none was ever claimed (or there is no leader topic). */
    static Term lastTerm(KafkaSettings settings, Duration timeout) {
        return latest(terms(settings, timeout));
    }

    /** The latest of {@code terms}, or {@code null} if there are none. */
    static Term latest(List<Term> terms) {
        Term last = null;
        for (Term term : terms) {
            if (last == null || term.leadership().after(last.leadership())) {
                last = term;
            }
        }
        return last;
    }

    /**
     * Every term the leader topic holds (committed claims only: a refused one is no term), in the
     * order written, which is not always the terms' order (a late claim may follow a later term);
     * empty if none was ever claimed or there is no leader topic. One record per claim, kept by
     * compaction since each has its own key: a whole read is small.
     */
    static List<Term> terms(KafkaSettings settings, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tickwire-ingest-term");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // an aborted (refused) claim is no term
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.withClientProperties(props);
        TopicPartition partition = new TopicPartition(leaderTopic(settings), 0);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            var infos = c.partitionsFor(partition.topic(), timeout);
            if (infos == null || infos.isEmpty()) {
                return List.of(); // no term was ever claimed on this topic
            }
            c.assign(List.of(partition));
            long end = c.endOffsets(List.of(partition)).get(partition);
            c.seek(partition, c.beginningOffsets(List.of(partition)).get(partition));
            List<Term> terms = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (c.position(partition) < end) {
                if (System.nanoTime() - deadline > 0) {
                    throw new KafkaException("cannot read " + leaderTopic(settings) + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(100))) {
                    Term term = term(record.value());
                    if (term != null) {
                        terms.add(term);
                    }
                }
            }
            return terms;
        }
    }

    /**
     * Every term, for a reader about to fence where it starts ({@link LeaderFence#startAt}); {@code null}
     * (with a warning) if the leader topic cannot be read within 5 s: the reader then fences from the
     * marks it reads only.
     */
    static List<Term> termsToFenceBy(KafkaSettings settings) {
        try {
            return terms(settings, Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.warn("cannot read the ingest terms from {} ({}): fencing from the marks read only",
                    leaderTopic(settings), e.toString());
            return null;
        }
    }

    /** An admin client's properties: Tickwire's timeouts, and the configured client properties. */
    static Properties adminProperties(KafkaSettings settings) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return settings.withClientProperties(props);
    }
}
