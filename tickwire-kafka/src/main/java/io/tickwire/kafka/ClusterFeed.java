package io.tickwire.kafka;

import io.tickwire.engine.bar.BarState;
import io.tickwire.engine.ingest.MarketDataSink;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway node's source: reads every partition of the cluster topic and offers its events to
 * the gateway's engine, which keeps their sequence numbers.
 *
 * <p>At start it reads from {@link KafkaSettings#lookback()} before now (Kafka's record times), so
 * its last values, recent-message buffers and books fill from what the ingest node wrote lately;
 * books become exact at their first picture ({@link BookSync}), bars at the first bar state
 * ({@link BarStateSink}). It reads no consumer group and commits nothing: every gateway reads
 * everything, and a restarted gateway starts again from its lookback. Records it cannot read (another format version, a symbol its catalogue lacks) are
 * skipped, counted and logged; a refused offer (the engine's queue full) is retried, never dropped,
 * so the engine's back-pressure slows reading. One thread, {@value #THREAD_NAME}; the counters are
 * safe to read from any thread.
 */
public final class ClusterFeed implements AutoCloseable {

    /** The consumer thread's name. */
    public static final String THREAD_NAME = "tickwire-kafka-consumer";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How often the reader looks for partitions added to the topic (in the consumer's cached metadata). */
    private static final long PARTITION_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final KafkaSettings settings;
    private final Map<String, Instrument> bySymbol = new HashMap<>();
    private final MarketDataSink sink;
    private final MarketDataSink seed;
    private final Clock clock;
    private final BookSync books;
    private final StreamSync streams;
    private final LeaderFence fence = new LeaderFence();
    /** Partitions being read (reading thread only). */
    private int partitionCount;
    /** The latest elected ingest node's term whose mark every partition has carried, or {@code null}. */
    private volatile Leadership leadership;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final LongConsumer whenCaughtUp;
    private final BarStateSink bars;
    /** Per instrument: whether its bars were taken over from a bar state (reading thread only). */
    private final boolean[] barsTaken;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    private volatile long offered;
    private volatile long barStatesTaken;
    private volatile boolean waitingForTopic;
    private volatile long malformed;
    private volatile long unknownSymbols;
    private volatile long ingestEpoch;
    private volatile long lastRecordMillis;
    private volatile long lag = -1;

    /** Starts reading. Nothing here waits for Kafka. */
    public ClusterFeed(KafkaSettings settings, InstrumentCatalog catalog, MarketDataSink sink, Clock clock) {
        this(settings, catalog, sink, sink, (state, offeredBefore) -> { }, clock, offered -> { });
    }

    /**
     * Where a gateway takes over an instrument's bar state, once, from the first the topic carries.
     * Bars are built from the trades read before it, which it already counts, and go on with the
     * trades read after it, so it must be applied after the {@code offeredBefore} events and states
     * offered so far and before any offered later: the call returns once it has been (or the
     * gateway stops).
     */
    @FunctionalInterface
    public interface BarStateSink {
        void take(BarState state, long offeredBefore);
    }

    /**
     * Starts reading events into {@code sink}, and state that quiet instruments' records repeat
     * (a last quote, a picture) into {@code seed} for instruments the gateway has none of yet, and
     * each instrument's first bar state into {@code bars}; runs {@code whenCaughtUp} (once, on the
     * reading thread, with the number of events and states offered by then) when the gateway has
     * read what the topic held when it started. Nothing here waits for Kafka.
     */
    public ClusterFeed(KafkaSettings settings, InstrumentCatalog catalog, MarketDataSink sink, MarketDataSink seed,
                       BarStateSink bars, Clock clock, LongConsumer whenCaughtUp) {
        this.settings = settings;
        this.seed = seed;
        this.bars = bars;
        this.barsTaken = new boolean[catalog.size()];
        this.whenCaughtUp = whenCaughtUp;
        for (Instrument instrument : catalog.all()) {
            bySymbol.put(instrument.symbol(), instrument);
        }
        this.sink = sink;
        this.clock = clock;
        this.books = new BookSync(catalog.size());
        this.streams = new StreamSync(catalog.size());
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        boolean warned = false;
        while (running) {
            KafkaConsumer<byte[], byte[]> c;
            try {
                c = new KafkaConsumer<>(consumerProperties());
            } catch (KafkaException e) { // e.g. the bootstrap address does not resolve yet
                if (!warned) {
                    LOG.warn("cannot reach Kafka at {} yet ({}); retrying every second", settings.bootstrapServers(), e.toString());
                    warned = true;
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            try (c) {
                consumer = c;
                if (running) {
                    read(c);
                }
                return;
            } catch (WakeupException e) {
                return; // close() woke the poll: stopping
            } catch (RuntimeException e) {
                LOG.error("the gateway stopped reading the cluster topic {}: its streams go stale", settings.topic(), e);
                return;
            }
        }
    }

    /** Reads until closed: finds the topic, seeks to the lookback, then polls. */
    private void read(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> partitions = null;
        Map<TopicPartition, Long> caughtUpAt = null;
        while (running && partitions == null) {
            try {
                List<TopicPartition> found = awaitTopic(c);
                if (found == null) {
                    return;
                }
                caughtUpAt = start(c, found);
                partitions = found;
                partitionCount = found.size();
            } catch (KafkaException e) {
                if (e instanceof WakeupException) {
                    throw e;
                }
                LOG.warn("cannot start reading the cluster topic {} at {} yet ({}); retrying every second",
                        settings.topic(), settings.bootstrapServers(), e.toString());
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
        long started = clock.monotonicNanos();
        long records = 0;
        long failures = 0;
        long nextPartitionCheck = started + PARTITION_CHECK_NANOS;
        while (running) {
            if (clock.monotonicNanos() - nextPartitionCheck >= 0) {
                nextPartitionCheck = clock.monotonicNanos() + PARTITION_CHECK_NANOS;
                partitions = withNewPartitions(c, partitions);
                partitionCount = partitions.size();
            }
            ConsumerRecords<byte[], byte[]> batch;
            try {
                batch = c.poll(POLL);
            } catch (KafkaException e) {
                if (e instanceof WakeupException) {
                    throw e;
                }
                // the consumer keeps its positions: nothing is skipped or read twice by going on
                if (failures++ % 60 == 0) {
                    LOG.warn("reading the cluster topic {} failed ({}); retrying every second", settings.topic(), e.toString());
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                if (!running) {
                    return;
                }
                handle(record);
                records++;
            }
            if (!batch.isEmpty()) {
                lastRecordMillis = clock.epochMillis();
            }
            if (caughtUpAt != null && Lookback.reached(c, caughtUpAt)) {
                caughtUpAt = null;
                caughtUp.countDown();
                whenCaughtUp.accept(offered);
                LOG.info("caught up with the cluster topic {}: {} record(s) of the last {} read in {} ms", settings.topic(),
                        records, settings.lookback(), TimeUnit.NANOSECONDS.toMillis(clock.monotonicNanos() - started));
            }
            lag = lagOf(c, partitions);
        }
    }

    /**
     * Partitions added to the topic since (an operator gave it more), assigned and read from their
     * start: everything in them is new. The producer moves some instruments to them, so without
     * this their records would never arrive. At the move, an instrument's last records in its old
     * partition and its first in the new one may be read out of order, which its clients see as a
     * gap, once; nothing is lost silently. Reads the consumer's metadata, refreshed every
     * {@code metadata.max.age.ms} (10 s unless {@code cluster.clientProperties} says otherwise).
     */
    private List<TopicPartition> withNewPartitions(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        List<PartitionInfo> infos;
        try {
            infos = c.partitionsFor(settings.topic(), Duration.ofSeconds(1));
        } catch (KafkaException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            return partitions; // the next check tries again
        }
        if (infos == null || infos.size() <= partitions.size()) {
            return partitions;
        }
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo info : infos) {
            TopicPartition p = new TopicPartition(info.topic(), info.partition());
            if (!partitions.contains(p)) {
                added.add(p);
            }
        }
        List<TopicPartition> all = new ArrayList<>(partitions);
        all.addAll(added);
        c.assign(all); // the partitions read so far keep their positions
        c.seekToBeginning(added);
        LOG.info("the cluster topic {} grew from {} to {} partitions: reading the new ones from their start",
                settings.topic(), partitions.size(), all.size());
        fenceFromTheTerms(c, added, all.size()); // as a gateway starting now fences them
        return all;
    }

    /** The topic's partitions once it exists (the ingest node creates it), or {@code null} when closed first. */
    private List<TopicPartition> awaitTopic(KafkaConsumer<byte[], byte[]> c) {
        boolean warned = false;
        while (running) {
            List<PartitionInfo> infos;
            try {
                infos = c.partitionsFor(settings.topic(), Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                infos = null;
            }
            if (infos != null && !infos.isEmpty()) {
                waitingForTopic = false;
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : infos) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
                return partitions;
            }
            if (!warned) {
                LOG.warn("waiting for the cluster topic {} at {} (an ingest node creates it)", settings.topic(),
                        settings.bootstrapServers());
                warned = true;
                waitingForTopic = true;
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        return null;
    }

    /** Assigns every partition from the lookback on; the end offsets to reach before calling it caught up. */
    private Map<TopicPartition, Long> start(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = Lookback.seek(c, partitions, clock.epochMillis() - settings.lookback().toMillis());
        LOG.info("reading the cluster topic {} at {}: {} partition(s), from {} back", settings.topic(),
                settings.bootstrapServers(), partitions.size(), settings.lookback());
        fenceFromTheTerms(c, partitions, partitions.size());
        return ends;
    }

    /**
     * Fences, from where this reader starts in each of {@code partitions} (the lookback, or the start
     * of a partition added while running), by the latest term whose mark lies before it there (so this
     * reader never reads it), whichever term that is ({@link LeaderFence#startAt}): otherwise a
     * deposed ingest node's records after that mark would pass here while every gateway that read the
     * mark drops them. Without a leader topic, or with Kafka too slow to answer, the marks read in the
     * stream are all there is.
     */
    private void fenceFromTheTerms(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions, int partitionCount) {
        List<ClusterTopics.Term> terms = ClusterTopics.termsToFenceBy(settings);
        if (terms == null) {
            return;
        }
        fence.startAt(c, partitions, terms);
        ClusterTopics.Term last = ClusterTopics.latest(terms);
        if (last != null && fence.passed(last.leadership(), partitionCount)) {
            leadership = last.leadership();
        }
    }

    private static long lagOf(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        long total = 0;
        for (TopicPartition p : partitions) {
            var behind = c.currentLag(p);
            if (behind.isEmpty()) {
                return -1;
            }
            total += behind.getAsLong();
        }
        return total;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        Leadership mark;
        try {
            mark = EventRecords.leadership(record.value());
        } catch (MalformedRecordException e) {
            skipMalformed(record, e);
            return;
        }
        if (mark != null) {
            if (fence.mark(record.partition(), mark)) {
                LOG.info("partition {} of {}: ingest node term {} begins (run {}); records of other runs after it are"
                        + " dropped as a deposed node's", record.partition(), record.topic(), mark.term(), mark.epoch());
                if (fence.passed(mark, partitionCount)) {
                    leadership = mark;
                }
            }
            return;
        }
        String symbol = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        Instrument instrument = bySymbol.get(symbol);
        if (instrument == null) {
            if (unknownSymbols++ % 10_000 == 0) {
                LOG.warn("skipping records of '{}', which this gateway's catalogue lacks ({} so far)",
                        printable(symbol), unknownSymbols);
            }
            return;
        }
        EventRecords.Decoded decoded;
        try {
            decoded = EventRecords.decode(record.value(), instrument.id());
        } catch (MalformedRecordException e) {
            skipMalformed(record, e);
            return;
        }
        if (!fence.admits(record.partition(), decoded.epoch())) {
            return; // a deposed ingest node's, appended after its successor's mark
        }
        noteEpoch(decoded.epoch());
        if (decoded.state() != null) {
            BarState state = decoded.state().bars();
            if (state != null && !barsTaken[instrument.id()]) { // once: from then on this gateway's bars follow the same trades
                barsTaken[instrument.id()] = true;
                bars.take(state, offered);
                barStatesTaken++;
            }
            return;
        }
        MarketEvent event = decoded.event();
        if (event instanceof BookUpdate update) {
            event = books.accept(update, decoded.picture());
            if (event == null) {
                return;
            }
        } else if (!streams.accept(event, decoded.epoch(), decoded.repeat())) {
            return;
        }
        if (decoded.repeat()) {
            hand(event, seed); // state for a gateway that lacked it, not market activity
        } else {
            hand(event, sink);
        }
    }

    private void skipMalformed(ConsumerRecord<byte[], byte[]> record, MalformedRecordException e) {
        if (malformed++ % 10_000 == 0) {
            LOG.warn("skipping an unreadable record at {}-{}@{}: {} ({} so far)", record.topic(), record.partition(),
                    record.offset(), e.getMessage(), malformed);
        }
    }

    /** Notes the newest ingest run seen (epochs are start times): older runs' records interleave with it while catching up. */
    private void noteEpoch(long epoch) {
        if (epoch > ingestEpoch) {
            if (ingestEpoch != 0) {
                LOG.info("the ingest node restarted (epoch {} after {})", epoch, ingestEpoch);
            }
            ingestEpoch = epoch;
        }
    }

    private void hand(MarketEvent event, MarketDataSink to) {
        int spins = 0;
        while (!to.offer(event)) {
            if (!running) {
                return;
            }
            if (++spins > 100) {
                LockSupport.parkNanos(50_000);
            }
        }
        offered++;
    }

    /** The key as text fit for a log line: control characters (a forged line break) become '?'. */
    private static String printable(String key) {
        StringBuilder out = new StringBuilder(Math.min(key.length(), 64));
        for (int i = 0; i < key.length() && i < 64; i++) {
            char ch = key.charAt(i);
            out.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return out.toString();
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tickwire-gateway");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // records expired under us: go on from the oldest kept
        // a gateway started before the ingest node must not have the broker create the topic (with the
        // broker's default partitions, which the ingest node would then find and use)
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // The broker answers a fetch as soon as a record is there (fetch.min.bytes is 1), so this wait
        // bounds only a fetch that finds nothing: at 1 ms an idle gateway and its broker spent about
        // 0.3 cores on empty fetches, and latency was no better (docs/benchmarks.md, "A gateway's fetch wait")
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000); // partitions added to the topic are seen within ~10 s
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // a refused term claim's marks are not read
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings.withClientProperties(props);
    }

    /** Waits until the gateway has read what the topic held when it started; {@code false} if the timeout passed first. */
    public boolean awaitCaughtUp(long timeout, TimeUnit unit) throws InterruptedException {
        return caughtUp.await(timeout, unit);
    }

    /** Whether the gateway has read what the topic held when it started. */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Events offered to the engine. */
    public long offered() {
        return offered;
    }

    /** Whether the broker answered that the topic does not exist (yet): the gateway waits for an ingest node to create it. */
    public boolean waitingForTopic() {
        return waitingForTopic;
    }

    /** Instruments whose bars were taken over from a bar state the topic carried. */
    public long barStatesTaken() {
        return barStatesTaken;
    }

    /** Records skipped as unreadable. */
    public long malformed() {
        return malformed;
    }

    /** Records skipped for a symbol the catalogue lacks. */
    public long unknownSymbols() {
        return unknownSymbols;
    }

    /** Trades and quotes skipped as repeats: numbers not above their stream's last one, from the same ingest node run. */
    public long duplicates() {
        return streams.repeats();
    }

    /** Times a trade or quote stream's numbers went back under a new ingest node run (one restarted without its store). */
    public long numberingRestarts() {
        return streams.restarts();
    }

    /** Records dropped as a deposed ingest node's (written after its successor marked its term), and stale marks. */
    public long fenced() {
        return fence.fenced();
    }

    /**
     * The latest elected ingest node's term that every partition has marked by now ({@code null}
     * before any): everything its predecessors appended before it has been offered to the engine.
     */
    public Leadership leadership() {
        return leadership;
    }

    /** Book pictures applied over a book in sync under other numbers. */
    public long bookResyncs() {
        return books.resyncs();
    }

    /** Records behind the topic's end over all partitions, -1 before known. */
    public long lag() {
        return lag;
    }

    /** The start time of the newest ingest node run read from, 0 before any. */
    public long ingestEpoch() {
        return ingestEpoch;
    }

    /** When the last record arrived (ms since the epoch), 0 before any. */
    public long lastRecordMillis() {
        return lastRecordMillis;
    }

    /** Stops reading; idempotent. */
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
