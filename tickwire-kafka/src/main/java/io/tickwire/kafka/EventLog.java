package io.tickwire.kafka;

import io.tickwire.engine.EventTap;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest node's end of the cluster: an {@link EventTap} that appends every sequenced event,
 * and each book picture the engine takes, to the cluster topic, keyed by symbol.
 *
 * <p>Guarantees: one instrument's records are appended in the order the engine produced them (one
 * queue, one producer thread, an idempotent producer, one partition per key); the engine's
 * threads never wait for Kafka: {@link #onEvent} queues and returns. While Kafka is unreachable the
 * producer holds what it was given and the producer thread waits, and events queue behind it up to
 * {@link KafkaSettings#queueCapacity()}; beyond that they are dropped and counted in
 * {@link #dropped()} (gateways then see a gap in the numbers, as after any loss). The topic is
 * created on first use if it does not exist. Thread-safe.
 */
public final class EventLog implements EventTap, AutoCloseable {

    /** The producer thread's name. */
    public static final String THREAD_NAME = "tickwire-kafka-producer";

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final KafkaSettings settings;
    private final byte[][] keys;
    private final long epoch;
    private final MpscArrayQueue<Object> queue;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long sent;
    private volatile boolean accepting = true;
    /** Cleared by {@link #close}: send what is queued, then stop. */
    private volatile boolean running = true;
    /** Set by {@link #close} when its time is up: stop at once, whatever is left. */
    private volatile boolean abandoned;
    private volatile boolean connected;
    private volatile KafkaProducer<byte[], byte[]> producer;

    /**
     * Starts the producer thread. Nothing here waits for Kafka.
     *
     * @param epoch the ingest node's start time (µs), written into every record
     */
    public EventLog(KafkaSettings settings, InstrumentCatalog catalog, long epoch) {
        this.settings = settings;
        this.epoch = epoch;
        this.keys = new byte[catalog.size()][];
        for (int id = 0; id < keys.length; id++) {
            keys[id] = catalog.get(id).symbol().getBytes(StandardCharsets.UTF_8);
        }
        this.queue = new MpscArrayQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void onEvent(MarketEvent event) {
        enqueue(event);
    }

    @Override
    public void onBookSnapshot(BookSnapshot snapshot) {
        enqueue(snapshot);
    }

    private void enqueue(Object record) {
        if (!accepting || !queue.offer(record)) {
            if (dropped.getAndIncrement() % 100_000 == 0) {
                LOG.warn("the cluster topic's queue is full ({} events): dropping events until Kafka keeps up ({} dropped so far)",
                        settings.queueCapacity(), dropped.get());
            }
        }
    }

    private void run() {
        try {
            ensureTopic();
            if (abandoned) {
                return;
            }
            producer = new KafkaProducer<>(producerProperties());
            while ((running || !queue.isEmpty()) && !abandoned) {
                Object next = queue.poll();
                if (next == null) {
                    LockSupport.parkNanos(50_000);
                    continue;
                }
                send(next);
            }
        } catch (RuntimeException e) {
            accepting = false;
            if (!abandoned) {
                LOG.error("the cluster topic's producer stopped; events are dropped from now on", e);
            } else { // closed while a send waited for Kafka
                LOG.warn("stopped while Kafka at {} was not taking records: {} event(s) not sent", settings.bootstrapServers(),
                        queue.size() + 1);
            }
        }
    }

    private void send(Object next) {
        ProducerRecord<byte[], byte[]> record = switch (next) {
            case MarketEvent e -> new ProducerRecord<>(settings.topic(), keys[e.instrumentId()], EventRecords.encode(e, epoch));
            case BookSnapshot s -> new ProducerRecord<>(settings.topic(), keys[s.instrumentId()], EventRecords.encode(s, epoch));
            default -> throw new IllegalStateException("not a record: " + next);
        };
        // blocks while Kafka is unreachable and the producer's buffer is full, or its metadata
        // unknown: this thread holds the record, events queue behind it, the order is kept
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else if (failed.getAndIncrement() % 10_000 == 0) {
                LOG.error("Kafka refused a record of the cluster topic ({} so far): {}", failed.get(), error.toString());
            }
        });
        sent++;
    }

    private void ensureTopic() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        boolean warned = false;
        try (Admin admin = Admin.create(props)) {
            while (!abandoned) {
                NewTopic topic = new NewTopic(settings.topic(), settings.partitions(), settings.replicationFactor())
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().toMillis())));
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    LOG.info("created the cluster topic {} ({} partitions, replication {}, retention {})", settings.topic(),
                            settings.partitions(), settings.replicationFactor(), settings.retention());
                    break;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        LOG.info("appending to the cluster topic {} at {}", settings.topic(), settings.bootstrapServers());
                        break;
                    }
                    if (!warned) {
                        LOG.warn("cannot create the cluster topic {} at {} yet ({}); retrying every second, holding events",
                                settings.topic(), settings.bootstrapServers(), e.getCause().toString());
                        warned = true;
                    }
                    LockSupport.parkNanos(RETRY_NANOS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        connected = true;
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tickwire-ingest");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // no duplicates, order kept across retries
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // hold records for as long as Kafka is away (bounded by the producer's buffer, then by our queue)
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.MAX_VALUE);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    /** Events and pictures dropped because the queue was full (or the log closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Records handed to the producer. */
    public long sent() {
        return sent;
    }

    /** Records Kafka acknowledged (every replica in sync has them). */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Records Kafka refused or that timed out. */
    public long failed() {
        return failed.get();
    }

    /** Events waiting for the producer thread. */
    public int queued() {
        return queue.size();
    }

    /** Whether the topic has been found or created. */
    public boolean connected() {
        return connected;
    }

    /**
     * Stops taking events, sends what is queued and waits (up to {@code timeout}) for Kafka to
     * acknowledge it; idempotent.
     */
    public void close(Duration timeout) {
        accepting = false;
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            thread.join(Math.max(1, timeout.toMillis() / 2));
            if (thread.isAlive()) { // Kafka is not taking what is queued: give up on it
                abandoned = true;
            }
            KafkaProducer<byte[], byte[]> p = producer;
            if (p != null) { // sends what the producer holds, waits for the acknowledgements; wakes a blocked send
                p.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            abandoned = true;
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            LOG.warn("{} event(s) were not sent to the cluster topic before the stop", queue.size());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
