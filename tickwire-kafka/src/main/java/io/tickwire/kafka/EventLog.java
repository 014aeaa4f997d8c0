package io.tickwire.kafka;

import io.tickwire.engine.EventTap;
import io.tickwire.engine.InstrumentState;
import io.tickwire.engine.ingest.Receipt;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.KafkaException;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
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
 * created on first use if it does not exist. The last quote and book picture of an instrument that
 * has gone quiet are appended again every half lookback ({@link StateRefresh}), and every
 * instrument's state (bars and last numbers, {@link #requestStates}) is appended in the same rhythm,
 * so a gateway or an ingest node started later still finds them.
 *
 * <p>Receipts ({@link #onReceipt}) queue with the events and are released once Kafka has answered
 * for every record handed over before them ({@link AnsweredRecords}); an event dropped or refused
 * counts in {@link #losses()}, so a receipt whose window it fell in settles as lost. Thread-safe.
 */
public final class EventLog implements EventTap, AutoCloseable {

    /** The producer thread's name. */
    public static final String THREAD_NAME = "tickwire-kafka-producer";

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Empty polls the producer thread yields through before it parks: a burst's next event is close. */
    private static final int YIELDS = 20;
    /** The longest park of an idle producer thread: the state and refresh rounds come by it (they are seconds apart). */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final KafkaSettings settings;
    private final byte[][] keys;
    private final long epoch;
    private final Office election;
    private volatile Leadership leadership;
    private final MpscAtomicArrayQueue<Object> queue;
    private final StateRefresh refresh;
    private final long stateInterval;
    private volatile IntPredicate stateSource;
    private long nextStateRound = System.nanoTime(); // producer thread only; the first round is due at once
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AnsweredRecords answered = new AnsweredRecords();
    private volatile long sent;
    private volatile boolean accepting = true;
    /** Cleared by {@link #close}: send what is queued, then stop. */
    private volatile boolean running = true;
    /** Set by {@link #close} when its time is up: stop at once, whatever is left. */
    private volatile boolean abandoned;
    private volatile boolean connected;
    /** Set while the producer thread parks on an empty queue: whoever queues then wakes it. */
    private volatile boolean sleeping;
    /** When the producer thread must have closed its producer by (set by {@link #close}). */
    private volatile long closeDeadline = Long.MAX_VALUE;
    /** The producer the thread uses now (it makes, owns and closes it); read by {@link #close} to wake it. */
    private volatile KafkaProducer<byte[], byte[]> producer;

    /**
     * Starts the producer thread. Nothing here waits for Kafka.
     *
     * @param epoch the ingest node's start time (µs), written into every record
     */
    public EventLog(KafkaSettings settings, InstrumentCatalog catalog, long epoch) {
        this(settings, catalog, epoch, null);
    }

    /**
     * Starts the producer thread, which claims a term ({@link Leadership}) before its first
     * record: it marks every partition, so that readers drop what an ingest node before it appends
     * from then on. Nothing here waits for Kafka.
     *
     * @param epoch    the ingest node's start time (µs), written into every record
     * @param election the election that made this node the ingest node, or {@code null} (no failover): its claim
     *                 then commits only while the group still names this node ({@link #claim})
     */
    public EventLog(KafkaSettings settings, InstrumentCatalog catalog, long epoch, Office election) {
        this.settings = settings;
        this.epoch = epoch;
        this.election = election;
        this.keys = new byte[catalog.size()][];
        for (int id = 0; id < keys.length; id++) {
            keys[id] = catalog.get(id).symbol().getBytes(StandardCharsets.UTF_8);
        }
        this.queue = new MpscAtomicArrayQueue<>(settings.queueCapacity());
        this.stateInterval = StateRefresh.intervalFor(settings.lookback());
        this.refresh = new StateRefresh(catalog.size(), stateInterval);
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

    /** The cluster's topic is where gateways and a successor get events: a publisher's count waits for it. */
    @Override
    public boolean keepsElsewhere() {
        return true;
    }

    /**
     * Queues the receipt behind this partition's events, held until Kafka has answered for every
     * record handed over before it; lost when the queue is full or the log closed.
     */
    @Override
    public void onReceipt(Receipt receipt) {
        if (!accepting) {
            receipt.lose();
            return;
        }
        receipt.hold();
        if (!queue.offer(receipt)) {
            receipt.lose();
            receipt.release();
            return;
        }
        wakeProducer();
    }

    /** Events dropped, and records Kafka refused or that timed out: what was taken and not kept. */
    @Override
    public long losses() {
        return dropped.get() + failed.get();
    }

    /** An instrument's state the engine was asked for ({@link #requestStates}): it goes out, a stored quote is adopted. */
    @Override
    public void onInstrumentState(InstrumentState state) {
        enqueue(state);
    }

    /**
     * From now on asks, through {@code ask}, for the state of every instrument (the engine's
     * {@code TapState}, answered by {@link #onInstrumentState}): at once, then every half lookback,
     * so a gateway that starts later takes over whole bars, and a quote the store kept over a
     * restart is repeated for it like a quiet instrument's. Not at all with no lookback. A refused
     * request (the engine's queue full) waits for the next round. Call once the engine runs.
     */
    public void requestStates(IntPredicate ask) {
        stateSource = ask;
    }

    /** Asks for every instrument's state when a round is due (the producer thread). */
    private void askForStates(long nowNanos) {
        IntPredicate ask = stateSource;
        if (ask == null || stateInterval == 0 || nowNanos - nextStateRound < 0) {
            return;
        }
        nextStateRound = nowNanos + stateInterval;
        for (int id = 0; id < keys.length; id++) {
            ask.test(id);
        }
    }

    private void enqueue(Object record) {
        if (!accepting) {
            dropped.incrementAndGet(); // closed: the engine's last events after the stop, counted
            return;
        }
        refresh.record(record); // before the offer: the producer thread may send it at once
        if (!queue.offer(record)) {
            refresh.lost(record);
            if (dropped.getAndIncrement() % 100_000 == 0) {
                LOG.warn("the cluster topic's queue is full ({} events): dropping events until Kafka keeps up ({} dropped so far)",
                        settings.queueCapacity(), dropped.get());
            }
            return;
        }
        wakeProducer();
    }

    /** After a queued record: the flag is read after the offer, as the thread sets it before its last look (no lost wake-up). */
    private void wakeProducer() {
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        if (!ensureTopic()) {
            return;
        }
        while (!abandoned) {
            KafkaProducer<byte[], byte[]> p = newProducer();
            if (p == null) {
                return;
            }
            producer = p;
            if (abandoned) { // close() gave up before it could see this producer
                p.close(Duration.ZERO);
                return;
            }
            try {
                if (leadership == null && (leadership = claim(p)) == null) {
                    return; // abandoned while claiming
                }
                sendQueued(p);
                return;
            } catch (KafkaException e) {
                if (abandoned) { // close() gave up and closed the producer under a blocked send
                    return;
                }
                // a fatal producer error: a new producer takes over from the record it could not take;
                // what the failed one held unacknowledged fails (counted in failed()): gateways see a gap
                LOG.error("the cluster topic's producer failed; starting a new one", e);
            } finally {
                // stopping: what is left of close()'s time; replacing a failed producer: a few seconds
                long left = running ? TimeUnit.SECONDS.toNanos(5) : closeDeadline - System.nanoTime();
                p.close(Duration.ofNanos(Math.max(0, left)));
            }
        }
    }

    /**
     * Sends what comes until closed and the queue is empty (or abandoned). On an empty queue it
     * yields a few times, then parks until a record is queued (or 100 ms pass): an idle ingest node
     * costs no CPU here (it polled every 50 µs before: 0.18 cores idle on the 2-core VM).
     */
    private void sendQueued(KafkaProducer<byte[], byte[]> p) {
        int idle = 0;
        while ((running || !queue.isEmpty()) && !abandoned) {
            long now = System.nanoTime();
            askForStates(now);
            refresh.due(now, again -> send(p, again, now, true)); // quiet instruments' state, between the queue's records
            Object next = queue.peek();
            if (next == null) {
                idle = idle(idle);
                continue;
            }
            idle = 0;
            if (next instanceof Receipt receipt) {
                answered.releaseAfter(sent, receipt); // once Kafka has answered for every record before it
            } else {
                send(p, next, now, false);
            }
            queue.poll(); // only once handed over: a failed send is retried by the next producer
        }
    }

    private int idle(int idle) {
        if (idle < YIELDS) {
            Thread.yield();
            return idle + 1;
        }
        sleeping = true;
        if (queue.isEmpty() && running && !abandoned) {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
        sleeping = false;
        return idle;
    }

    private void send(KafkaProducer<byte[], byte[]> p, Object next, long nowNanos, boolean repeat) {
        ProducerRecord<byte[], byte[]> record = switch (next) {
            case InstrumentState s -> { // queued with the events, so it sits among them where the engine took it
                if (s.lastQuote() != null) {
                    refresh.adopt(s.lastQuote(), nowNanos);
                }
                yield new ProducerRecord<>(settings.topic(), keys[s.instrumentId()],
                        EventRecords.encode(s, epoch, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis())));
            }
            case MarketEvent e -> new ProducerRecord<>(settings.topic(), keys[e.instrumentId()],
                    EventRecords.encode(e, epoch, repeat));
            case BookSnapshot s -> new ProducerRecord<>(settings.topic(), keys[s.instrumentId()],
                    EventRecords.encode(s, epoch, repeat));
            default -> throw new IllegalStateException("not a record: " + next);
        };
        // blocks while Kafka is unreachable and the producer's buffer is full, or its metadata
        // unknown: this thread holds the record, events queue behind it, the order is kept. A send
        // that throws hands nothing over: the record keeps its number for the next producer's try
        long number = sent;
        p.send(record, (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else if (failed.getAndIncrement() % 10_000 == 0) {
                LOG.error("Kafka refused a record of the cluster topic ({} so far): {}", failed.get(), error.toString());
            }
            answered.answered(number); // after failed(): a receipt released by it sees the failure
        });
        sent++;
        refresh.sent(next, nowNanos);
    }

    /**
     * Claims the next term: reads the leader topic's last, marks every partition of the topic with
     * its successor and records it as the last. Events queue meanwhile. Retried every second until
     * done; {@code null} if the log is abandoned first, or, for an elected node, once the election
     * says it is no longer elected (it appends nothing then).
     *
     * <p>An elected node claims in a Kafka transaction that also commits an offset for the election
     * group with the group's metadata as this node last saw it: the broker refuses the commit if
     * the group has moved on from this member (KIP-447), and readers (all {@code read_committed})
     * never see an aborted claim's marks. So a node deposed while its claim was on its way (a pause,
     * a cut) cannot outrank its successor. Only the claim is transactional; events are not.
     */
    private Leadership claim(KafkaProducer<byte[], byte[]> p) {
        boolean warned = false;
        while (!abandoned) { // closing too: close() sends what is queued, which needs the claim first
            ConsumerGroupMetadata office = null;
            if (election != null) {
                office = election.office();
                if (office == null) {
                    if (!election.elected()) {
                        LOG.warn("cluster: deposed before its claim on {}: this run appends nothing", settings.topic());
                        return null;
                    }
                    LockSupport.parkNanos(RETRY_NANOS / 10); // elected, its metadata not seen yet
                    continue;
                }
            }
            try {
                ClusterTopics.ensureLeaderTopic(settings);
                ClusterTopics.Term last = ClusterTopics.lastTerm(settings, Duration.ofSeconds(10));
                Leadership mine = new Leadership(last == null ? 1 : last.leadership().term() + 1,
                        office == null ? 0 : office.generationId(), epoch);
                if (office == null) {
                    mark(p, mine);
                } else {
                    markElected(mine, office);
                }
                LOG.info("cluster: ingest node term {} (run {}, generation {}) marked on the partitions of {}",
                        mine.term(), epoch, mine.generation(), settings.topic());
                return mine;
            } catch (KafkaException | ExecutionException | TimeoutException e) {
                if (abandoned) {
                    return null;
                }
                if (!warned) {
                    LOG.warn("cannot claim a term on {} yet ({}); retrying every second, holding events",
                            settings.topic(), e.toString());
                    warned = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            LockSupport.parkNanos(RETRY_NANOS);
        }
        return null;
    }

    /** Writes a term's marks, then the term record with their offsets, through {@code p}. */
    private void mark(KafkaProducer<byte[], byte[]> p, Leadership mine)
            throws ExecutionException, InterruptedException, TimeoutException {
        long[] marks = sendMarks(p, mine);
        p.send(ClusterTopics.termRecord(settings, new ClusterTopics.Term(mine, marks))).get(10, TimeUnit.SECONDS);
    }

    /** {@link #mark} in a transaction that commits only while the election group is at {@code office}. */
    private void markElected(Leadership mine, ConsumerGroupMetadata office)
            throws ExecutionException, InterruptedException, TimeoutException {
        Properties props = producerProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.topic() + ".claim." + epoch);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(props)) {
            tx.initTransactions();
            tx.beginTransaction();
            try {
                long[] marks = sendMarks(tx, mine);
                tx.send(ClusterTopics.termRecord(settings, new ClusterTopics.Term(mine, marks)));
                tx.sendOffsetsToTransaction(Map.of(new TopicPartition(ClusterTopics.leaderTopic(settings), 0),
                        new OffsetAndMetadata(0, "term " + mine.term())), office);
                tx.commitTransaction(); // refused if the group has moved on from this member
            } catch (KafkaException e) {
                try {
                    tx.abortTransaction();
                } catch (KafkaException ignored) {
                    // a fenced or failed producer: its transaction is aborted by the broker
                }
                throw e;
            }
        }
    }

    /** Sends a mark to every partition of the topic and waits for them; their offsets by partition. */
    private long[] sendMarks(KafkaProducer<byte[], byte[]> p, Leadership mine)
            throws ExecutionException, InterruptedException, TimeoutException {
        long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        List<PartitionInfo> partitions = p.partitionsFor(settings.topic());
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int count = 0;
        for (PartitionInfo info : partitions) {
            sent.add(p.send(new ProducerRecord<>(settings.topic(), info.partition(), null, EventRecords.encode(mine, now))));
            count = Math.max(count, info.partition() + 1);
        }
        p.flush();
        long[] marks = new long[count];
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata mark = f.get(10, TimeUnit.SECONDS);
            marks[mark.partition()] = mark.offset();
        }
        return marks;
    }

    /** The term this node claimed, or {@code null} before (the first record waits for it). */
    public Leadership leadership() {
        return leadership;
    }

    /** A producer, retried every second while it cannot be made (an address that does not resolve yet); null once abandoned. */
    private KafkaProducer<byte[], byte[]> newProducer() {
        boolean warned = false;
        while (!abandoned) {
            try {
                return new KafkaProducer<>(producerProperties());
            } catch (KafkaException e) {
                if (!warned) {
                    LOG.warn("cannot make a Kafka producer for {} yet ({}); retrying every second", settings.bootstrapServers(),
                            e.toString());
                    warned = true;
                }
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
        return null;
    }

    /** Finds or creates the topic, retrying every second; {@code false} if abandoned first. */
    private boolean ensureTopic() {
        Properties props = ClusterTopics.adminProperties(settings);
        NewTopic topic = new NewTopic(settings.topic(), settings.partitions(), settings.replicationFactor())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().toMillis())));
        boolean warned = false;
        while (!abandoned) {
            String problem;
            try (Admin admin = Admin.create(props)) {
                admin.createTopics(List.of(topic)).all().get();
                LOG.info("created the cluster topic {} ({} partitions, replication {}, retention {})", settings.topic(),
                        settings.partitions(), settings.replicationFactor(), settings.retention());
                connected = true;
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    LOG.info("appending to the cluster topic {} at {}", settings.topic(), settings.bootstrapServers());
                    connected = true;
                    return true;
                }
                problem = e.getCause().toString();
            } catch (KafkaException e) { // the admin client could not be made (an address that does not resolve yet)
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (!warned) {
                LOG.warn("cannot create the cluster topic {} at {} yet ({}); retrying every second, holding events",
                        settings.topic(), settings.bootstrapServers(), problem);
                warned = true;
            }
            LockSupport.parkNanos(RETRY_NANOS);
        }
        return false;
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tickwire-ingest");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // no duplicates, order kept across retries
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0); // latency first: what arrives while a request is in flight is batched anyway
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // hold records for as long as Kafka is away (bounded by the producer's buffer, then by our queue)
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.MAX_VALUE);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return settings.withClientProperties(props);
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

    /** Every record numbered below it (in the order handed to the producer) has been answered by Kafka. */
    long answeredWatermark() {
        return answered.watermark();
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
     * acknowledge it; then gives up on what is left (logged), which takes up to another second.
     * Idempotent.
     */
    public void close(Duration timeout) {
        accepting = false;
        closeDeadline = System.nanoTime() + timeout.toNanos();
        running = false;
        LockSupport.unpark(thread); // parked on an empty queue: it finds it closed at once
        try {
            thread.join(Math.max(1, timeout.toMillis()));
            if (thread.isAlive()) { // Kafka is not taking what is queued: give up on it
                abandoned = true;
                KafkaProducer<byte[], byte[]> p = producer;
                if (p != null) {
                    p.close(Duration.ZERO); // wakes a send blocked on a full buffer or unknown metadata
                }
                thread.join(1_000);
            }
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
