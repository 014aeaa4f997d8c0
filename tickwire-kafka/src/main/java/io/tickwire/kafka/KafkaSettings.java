package io.tickwire.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Where a cluster's topic lives and how it is made.
 *
 * @param bootstrapServers  Kafka's {@code host:port[,host:port…]}
 * @param topic             the topic carrying every sequenced event
 * @param partitions        partitions of the topic when an ingest node creates it (an existing topic is used as it is)
 * @param replicationFactor replicas of each partition when an ingest node creates the topic
 * @param retention         how long the topic keeps records when an ingest node creates it
 * @param lookback          how far back a starting gateway reads, to fill its books, last values and resume buffers
 * @param queueCapacity     events an ingest node holds for Kafka before it drops (and counts) them
 * @param clientProperties  more Kafka client settings for every client (producer, consumer, admin):
 *                          security ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) and tuning;
 *                          not the ones Tickwire's guarantees rest on ({@link #PROTECTED})
 */
public record KafkaSettings(String bootstrapServers, String topic, int partitions, short replicationFactor,
                            Duration retention, Duration lookback, int queueCapacity, Map<String, String> clientProperties) {

    /**
     * Client settings Tickwire sets itself and a configuration may not: order and no duplicates
     * (idempotence, acks, in-flight requests), the record format (serializers), reading everything
     * without a group, and the address (its own key).
     */
    public static final Set<String> PROTECTED = Set.of("bootstrap.servers", "enable.idempotence", "acks",
            "max.in.flight.requests.per.connection", "key.serializer", "value.serializer", "key.deserializer",
            "value.deserializer", "group.id", "enable.auto.commit", "transactional.id", "isolation.level");

    /** Settings with no extra client properties. */
    public KafkaSettings(String bootstrapServers, String topic, int partitions, short replicationFactor,
                         Duration retention, Duration lookback, int queueCapacity) {
        this(bootstrapServers, topic, partitions, replicationFactor, retention, lookback, queueCapacity, Map.of());
    }

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("cluster.bootstrapServers is required (host:port of a Kafka broker)");
        }
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("cluster.topic must be 1-249 of a-z A-Z 0-9 . _ -, was '" + topic + "'");
        }
        if (partitions < 1 || partitions > 1_024) {
            throw new IllegalArgumentException("cluster.partitions must be 1..1024, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("cluster.replicationFactor must be >= 1, was " + replicationFactor);
        }
        if (retention == null || retention.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("cluster.retention must be at least 1m, was " + retention);
        }
        if (lookback == null || lookback.isNegative() || lookback.compareTo(retention) > 0) {
            throw new IllegalArgumentException("cluster.lookback must be 0.." + retention + " (cluster.retention), was " + lookback);
        }
        if (queueCapacity < 1_024) {
            throw new IllegalArgumentException("cluster.queueCapacity must be >= 1024, was " + queueCapacity);
        }
        clientProperties = Map.copyOf(clientProperties == null ? Map.of() : clientProperties);
        for (String key : clientProperties.keySet()) {
            if (PROTECTED.contains(key)) {
                throw new IllegalArgumentException("cluster.clientProperties may not set '" + key
                        + "': Tickwire sets it (the cluster's ordering and record format rest on it)");
            }
        }
    }

    /** {@code base} (Tickwire's own settings for one client) with the configured client properties added. */
    public Properties withClientProperties(Properties base) {
        base.putAll(clientProperties);
        return base;
    }
}
