package io.tickwire.cli.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tickwire.cli.config.TickwireConfig.ClusterSettings;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.bar.BarState;
import io.tickwire.engine.bus.BusStats;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.engine.ingest.Numbering;
import io.tickwire.kafka.ClusterFeed;
import io.tickwire.kafka.EventLog;
import io.tickwire.kafka.IngestElection;
import io.tickwire.kafka.Leadership;
import io.tickwire.kafka.TopicNumbers;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's part in a cluster on Kafka: nothing ({@code standalone}), the event log an ingest
 * node appends to, or the feed a gateway reads. Created before the engine (the ingest node's log
 * is one of the engine's taps), the gateway's feed started once the server is up. Not thread-safe:
 * the application starts and stops it.
 */
final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final ClusterSettings settings;
    private final InstrumentCatalog catalog;
    private final Clock clock;
    private final EventLog log;
    private volatile ClusterFeed feed; // set once by start; read by /health on I/O threads
    private volatile boolean stopping;

    private static final int NUMBERS_TIMEOUT_SECONDS = 15;

    /** The thread that waits for a caught-up gateway's engine before it admits clients. */
    static final String ADMIT_THREAD = "tickwire-gateway-admit";

    /** @param election on an elected ingest node, the election that elected it (else {@code null}) */
    ClusterNode(ClusterSettings settings, InstrumentCatalog catalog, Clock clock, IngestElection election) {
        this.settings = settings;
        this.catalog = catalog;
        this.clock = clock;
        this.log = settings.ingest() ? new EventLog(settings.kafka(), catalog, clock.epochMicros(), election) : null;
        if (log != null) {
            LOG.info("cluster: ingest node, appending every event to {} at {}", settings.topic(), settings.bootstrapServers());
        }
    }

    /** What the engine shows its events to: {@code store}, and on an ingest node the cluster topic too. */
    EventTap tap(EventTap store) {
        return log == null ? store : EventTap.both(store, log);
    }

    /**
     * Where an ingest node numbers from at least: the highest numbers on the topic
     * ({@link TopicNumbers}), logged where they pass what its store holds ({@code stored}); nothing
     * on other nodes. Read once the log has marked its term: then every record before the marks
     * counts (a deposed node may append until it has them) and every record after them of another
     * run is fenced. Waits for Kafka up to {@value #NUMBERS_TIMEOUT_SECONDS} s for each of the two.
     */
    Numbering numbersOnTheTopic(Numbering stored) {
        if (log == null) {
            return Numbering.FRESH;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NUMBERS_TIMEOUT_SECONDS);
        while (log.leadership() == null && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        if (log.leadership() == null) {
            LOG.warn("no term claimed on {} within {} s: reading the topic's numbers without it", settings.topic(),
                    NUMBERS_TIMEOUT_SECONDS);
        }
        Numbering topic = TopicNumbers.read(settings.kafka(), catalog, Duration.ofSeconds(NUMBERS_TIMEOUT_SECONDS));
        int ahead = 0;
        for (int id = 0; id < catalog.size(); id++) {
            if (topic.lastSeq(id, Channel.TRADE) > stored.lastSeq(id, Channel.TRADE)
                    || topic.lastSeq(id, Channel.QUOTE) > stored.lastSeq(id, Channel.QUOTE)) {
                ahead++;
            }
        }
        if (ahead > 0) {
            LOG.warn("the cluster topic holds numbers beyond this store's for {} instrument(s) (a standby that had not"
                    + " read the topic to its end, or a store from elsewhere): numbering on from the topic's", ahead);
        }
        return topic;
    }

    /**
     * Once the engine runs: on an ingest node, has the log ask it for every instrument's state now
     * and then (bars and a stored quote, for gateways that start later); on a gateway, starts
     * reading the topic into {@code engine}, and {@code whenCaughtUp} runs once the engine has
     * applied everything the topic held at the gateway's start (on a thread of its own,
     * {@value #ADMIT_THREAD}: the reader goes on meanwhile), unless the node stops first.
     */
    void start(InProcessBus engine, Runnable whenCaughtUp) {
        if (log != null) {
            log.requestStates(id -> engine.submit(new EngineCommand.TapState(id)));
        }
        if (settings.gateway()) {
            feed = new ClusterFeed(settings.kafka(), catalog, engine,
                    state -> engine.submit(new EngineCommand.Seed(state)), // a quiet instrument's state, not activity
                    (state, offeredBefore) -> takeBars(engine, state, offeredBefore, () -> stopping),
                    clock, offered -> afterCatchUp(engine, offered, whenCaughtUp));
            LOG.info("cluster: gateway, serving what {} at {} carries", settings.topic(), settings.bootstrapServers());
        }
    }

    /**
     * The reader has offered the engine what the topic held; wait until the engine has applied as
     * many events (it takes nothing else on a gateway), then run {@code whenCaughtUp}.
     */
    private void afterCatchUp(InProcessBus engine, long offered, Runnable whenCaughtUp) {
        Thread admit = new Thread(() -> {
            if (awaitApplied(engine, offered, () -> stopping)) {
                whenCaughtUp.run();
            }
        }, ADMIT_THREAD);
        admit.setDaemon(true);
        admit.start();
    }

    /**
     * The gateway's engine takes over an instrument's bars: after the {@code offeredBefore} events
     * read before the state (whose trades it includes), before any read after it. Runs on the
     * reader's thread, which waits meanwhile; once per instrument. Returns early once {@code stopping}.
     */
    static void takeBars(InProcessBus engine, BarState state, long offeredBefore, BooleanSupplier stopping) {
        if (!awaitApplied(engine, offeredBefore, stopping)) {
            return;
        }
        CountDownLatch taken = new CountDownLatch(1);
        while (!engine.submit(new EngineCommand.TakeBarState(state, taken::countDown))) {
            if (stopping.getAsBoolean()) {
                return;
            }
            LockSupport.parkNanos(200_000);
        }
        try {
            while (!stopping.getAsBoolean() && !taken.await(100, TimeUnit.MILLISECONDS)) {
                // the engine is busy, or stopping
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the engine has applied {@code offered} events and states; {@code false} if the node stops first. */
    private static boolean awaitApplied(InProcessBus engine, long offered, BooleanSupplier stopping) {
        while (!stopping.getAsBoolean()) {
            if (applied(engine, offered)) {
                return true;
            }
            LockSupport.parkNanos(200_000);
        }
        return false;
    }

    /** Whether a gateway's engine has applied (or refused) the {@code offered} events and states it was handed. */
    static boolean applied(InProcessBus engine, long offered) {
        BusStats stats = engine.stats();
        return stats.eventsAccepted() + stats.eventsRejected() >= offered;
    }

    /** The gateway's feed, or {@code null} on other nodes. */
    ClusterFeed feed() {
        return feed;
    }

    /** The ingest node's log, or {@code null} on other nodes. */
    EventLog log() {
        return log;
    }

    /** Adds the node's counters to the server's metrics ({@code tickwire_cluster_*}). */
    void registerMeters(MeterRegistry meters) {
        if (log != null) {
            gauge(meters, "tickwire.cluster.sent", "records handed to Kafka", log, EventLog::sent);
            gauge(meters, "tickwire.cluster.acknowledged", "records Kafka acknowledged", log, EventLog::acknowledged);
            gauge(meters, "tickwire.cluster.failed", "records Kafka refused", log, EventLog::failed);
            gauge(meters, "tickwire.cluster.dropped", "events dropped with the queue to Kafka full", log, EventLog::dropped);
            gauge(meters, "tickwire.cluster.queued", "events waiting to be sent to Kafka", log, EventLog::queued);
        }
        if (feed != null) {
            gauge(meters, "tickwire.cluster.offered", "events read from the topic into the engine", feed, ClusterFeed::offered);
            gauge(meters, "tickwire.cluster.bar.states.taken", "instruments whose bars were taken over from the topic", feed,
                    ClusterFeed::barStatesTaken);
            gauge(meters, "tickwire.cluster.lag", "records behind the topic's end (-1: unknown)", feed, ClusterFeed::lag);
            gauge(meters, "tickwire.cluster.malformed", "records skipped as unreadable", feed, ClusterFeed::malformed);
            gauge(meters, "tickwire.cluster.unknown.symbols", "records skipped for a symbol not in the catalogue", feed,
                    ClusterFeed::unknownSymbols);
            gauge(meters, "tickwire.cluster.book.resyncs", "books replaced by a picture under other numbers", feed,
                    ClusterFeed::bookResyncs);
            gauge(meters, "tickwire.cluster.fenced", "records dropped as a deposed ingest node's", feed, ClusterFeed::fenced);
            gauge(meters, "tickwire.cluster.numbering.restarts", "trade or quote numbers that went backwards", feed,
                    ClusterFeed::numberingRestarts);
        }
    }

    /**
     * The {@code cluster} section of {@code /health}: the role and topic; an ingest node's queue to
     * Kafka and what it lost; a gateway's catch-up, lag and the age of its last record.
     */
    String healthJson() {
        StringBuilder json = new StringBuilder("{\"role\":\"").append(settings.role()).append("\",\"topic\":\"")
                .append(settings.topic()).append('"');
        if (log != null) {
            json.append(",\"connected\":").append(log.connected()).append(",\"queued\":").append(log.queued())
                    .append(",\"sent\":").append(log.sent()).append(",\"acknowledged\":").append(log.acknowledged())
                    .append(",\"dropped\":").append(log.dropped()).append(",\"failed\":").append(log.failed());
        }
        if (log != null) {
            Leadership term = log.leadership();
            json.append(",\"term\":").append(term == null ? "null" : Long.toString(term.term()));
        }
        if (feed != null) {
            long last = feed.lastRecordMillis();
            Leadership term = feed.leadership();
            json.append(",\"term\":").append(term == null ? "null" : Long.toString(term.term()))
                    .append(",\"fenced\":").append(feed.fenced());
            json.append(",\"caughtUp\":").append(feed.caughtUp()).append(",\"lag\":").append(feed.lag())
                    .append(",\"lastRecordAgeMs\":").append(last == 0 ? -1 : Math.max(0, clock.epochMillis() - last))
                    .append(",\"malformed\":").append(feed.malformed());
        }
        return json.append('}').toString();
    }

    private static <T> void gauge(MeterRegistry meters, String name, String help, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(help).register(meters);
    }

    /** On a gateway, stops reading the topic: call with the other sources, before the engine stops. */
    void stopReading() {
        stopping = true;
        if (feed != null) {
            feed.close();
        }
    }

    /**
     * Stops reading, and on an ingest node sends what is queued and waits for Kafka to take it:
     * call after the engine stopped, so its last events are in the queue.
     */
    @Override
    public void close() {
        stopReading();
        if (log != null) {
            log.close();
        }
    }
}
