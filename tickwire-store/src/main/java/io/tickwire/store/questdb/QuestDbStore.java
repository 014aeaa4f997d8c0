package io.tickwire.store.questdb;

import io.questdb.cairo.CairoException;
import io.questdb.griffin.SqlException;
import io.tickwire.model.Bar;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.engine.bar.BarSeeding;
import io.tickwire.engine.ingest.NumberReservations;
import io.tickwire.engine.ingest.Numbering;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.Channel;
import io.tickwire.model.BookUpdate;
import io.tickwire.store.HistoryQueries;
import io.tickwire.store.HistoryStore;
import io.tickwire.store.StoreException;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.StoreStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history store on an embedded QuestDB in {@code <dataDir>/db}, locked to this process.
 *
 * <p>{@link #open} creates the tables if needed, checks the instruments' scales against what is
 * stored, loads what is stored, and starts the writer thread. Writing is asynchronous and never
 * blocks the caller ({@link StoreWriter} states the queue policy); {@link #queries()} read
 * committed data. {@link #close()} commits everything received and releases the directory, so a
 * clean shutdown loses nothing. Thread-safe.
 */
public final class QuestDbStore implements HistoryStore {

    private static final Logger LOG = LoggerFactory.getLogger(QuestDbStore.class);

    private final DataDirectoryLock lock;
    private final QuestDatabase db;
    private final StoreWriter writer;
    private final QuestHistoryQueries queries;
    private final Path dataDir;
    private volatile Numbering numbering; // stored numbers, and an earlier run's reservation until forgotten
    private NumberReservationFile reservations;
    /** Per counter: where this run's numbering started (set with {@link #reservations}). */
    private long[] numberedFrom;
    private final StoredRanges ranges;
    private final InstrumentCatalog catalog;
    private volatile boolean closed;

    private QuestDbStore(DataDirectoryLock lock, QuestDatabase db, StoredRanges ranges, InstrumentCatalog catalog,
                         Clock clock, StoreSettings settings, long[] reservedBefore) {
        this.lock = lock;
        this.db = db;
        this.dataDir = settings.dataDir();
        this.numbering = new StoredNumbering(ranges, reservedBefore);
        this.ranges = ranges;
        this.catalog = catalog;
        this.writer = new StoreWriter(db, catalog, ranges, clock, settings);
        this.queries = new QuestHistoryQueries(db, ranges, clock);
        this.writer.start();
    }

    /**
     * Opens (creating if needed) the store in {@code settings.dataDir()}.
     *
     * @throws StoreException if the directory is in use by another process, cannot be used, or
     *                        holds history recorded with other instrument scales
     */
    public static QuestDbStore open(StoreSettings settings, InstrumentCatalog catalog, Clock clock) {
        long started = System.nanoTime();
        DataDirectoryLock lock = DataDirectoryLock.acquire(settings.dataDir());
        QuestDatabase db = null;
        try {
            Path root = settings.dataDir().resolve("db");
            if (!Files.exists(root)) {
                createSchema(root, settings.commitMode());
            }
            db = new QuestDatabase(root, settings.commitMode());
            for (String ddl : Schema.DDL) {
                db.execute(ddl);
            }
            InstrumentScales.check(db, catalog, clock.epochMicros());
            StoredRanges ranges = StoredRanges.load(db, catalog);
            long[] reservedBefore = NumberReservationFile.read(settings.dataDir(), catalog);
            if (reservedBeyondStored(ranges, reservedBefore)) {
                LOG.warn("numbering on {} continues past numbers a previous server handed out but the store does not "
                        + "hold (it did not stop cleanly, or could not store everything): up to {} per stream are skipped, "
                        + "so none a client saw is given to another event", settings.dataDir().toAbsolutePath(),
                        NumberReservationFile.AHEAD);
            }
            QuestDbStore store = new QuestDbStore(lock, db, ranges, catalog, clock, settings, reservedBefore);
            LOG.info("history store open in {} ({} ms, commits every {} ms, {})", settings.dataDir().toAbsolutePath(),
                    (System.nanoTime() - started) / 1_000_000, settings.commitInterval().toMillis(),
                    settings.commitMode().wireName());
            return store;
        } catch (StoreException e) {
            closeQuietly(db, lock);
            throw e;
        } catch (IOException | SqlException | CairoException | IllegalStateException e) {
            closeQuietly(db, lock);
            String why = String.valueOf(e instanceof SqlException s ? s.getFlyweightMessage() : e instanceof CairoException c
                    ? c.getFlyweightMessage() : e.getMessage());
            throw new StoreException("cannot open the history store in " + settings.dataDir().toAbsolutePath() + ": " + why
                    + (why.contains("name is reserved") ? " (a table directory under db/ was left half-made by a process "
                    + "that died while creating it: move that directory aside if it holds no data you need, and start "
                    + "again)" : ""), e);
        }
    }

    /**
     * Creates a new database's tables beside {@code root} and moves them into place in one rename:
     * creating a QuestDB table is not atomic, and a process killed halfway through the first start
     * left a table directory QuestDB would refuse for ever ("name is reserved"). A creation that
     * died is found as the side directory and made again.
     */
    private static void createSchema(Path root, StoreSettings.CommitMode commitMode) throws IOException {
        Path creating = root.resolveSibling(root.getFileName() + ".creating");
        deleteTree(creating);
        Files.createDirectories(creating);
        try (QuestDatabase fresh = new QuestDatabase(creating, commitMode)) {
            for (String ddl : Schema.DDL) {
                fresh.execute(ddl);
            }
        }
        Files.move(creating, root, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Whether a previous run reserved numbers past what it stored: it did not stop cleanly. */
    private static boolean reservedBeyondStored(StoredRanges ranges, long[] reserved) {
        for (int id = 0; id < ranges.lastTradeSeqAtOpen.length; id++) {
            if (reserved[NumberReservations.counter(id, NumberReservations.TRADE_SEQ)] > ranges.lastTradeSeqAtOpen[id]
                    || reserved[NumberReservations.counter(id, NumberReservations.QUOTE_SEQ)] > ranges.lastQuoteSeqAtOpen[id]
                    || reserved[NumberReservations.counter(id, NumberReservations.TRADE_ID)] > ranges.lastTradeIdAtOpen[id]) {
                return true;
            }
        }
        return false;
    }

    /** When everything numbered was stored: per counter, the last number this run handed out (or started from). */
    private long[] lastHandedOut() {
        long[] last = ranges.lastCommitted();
        for (int i = 0; i < last.length; i++) {
            last[i] = Math.max(last[i], numberedFrom[i]);
        }
        return last;
    }

    private static void closeQuietly(QuestDatabase db, DataDirectoryLock lock) {
        if (db != null) {
            try {
                db.close();
            } catch (RuntimeException ignored) {
                // already failing
            }
        }
        lock.close();
    }

    /**
     * Where the streams stored when the store opened left off: a server that starts on this data
     * continues trade and quote numbering (and trade ids) from there, so a client resuming across
     * a restart finds its numbers in the store. After a run that did not stop cleanly, from past
     * what it reserved ({@link NumberReservationFile}), which is never less than what it stored.
     */
    public Numbering numbering() {
        return numbering;
    }

    /**
     * The numbers of what the store holds at open, without what a run that did not stop cleanly
     * reserved beyond them: what a cluster gateway's store may skip as held already.
     */
    public Numbering storedNumbering() {
        return new StoredNumbering(ranges, new long[catalog.size() * NumberReservations.KINDS]);
    }

    /**
     * Voids what an earlier run on this data reserved, for a store a cluster standby keeps: that run
     * was an ingest node (killed, so it left its reservation), and since it stood down, the
     * numbers it sent are on the topic and the node that took over numbered on from them. Kept,
     * the reservation would make this node, promoted again, skip up to
     * {@value NumberReservationFile#AHEAD} numbers per stream for nothing. What the earlier run
     * handed out and neither stored nor sent (the last moment before a kill) only its own clients
     * saw, and a resume checks a number's time. Call before anything is reserved.
     */
    public synchronized void forgetReservations() {
        if (reservations != null) {
            throw new IllegalStateException("this run reserves numbers itself");
        }
        if (NumberReservationFile.discard(dataDir)) {
            LOG.info("numbers reserved on {} by an earlier run as an ingest node are void: this node stands by, and"
                    + " numbers on from the cluster topic's when it takes over", dataDir.toAbsolutePath());
        }
        numbering = storedNumbering();
    }

    /**
     * {@link #numbering()} for a server that will hand out numbers: they are reserved on disk ahead
     * of use until {@link #close()} (see {@link NumberReservationFile}). Call once, before the engine
     * starts; a replay or an import, which hand out none, uses {@link #numbering()}.
     */
    public Numbering reservingNumbering() {
        return reservingNumbering(Numbering.FRESH);
    }

    /**
     * {@link #reservingNumbering()} going on from {@code floor} wherever it is higher than what the
     * store holds: numbers given out elsewhere that this store never saw (a cluster's topic holds
     * them, see {@code TopicNumbers}).
     */
    public synchronized Numbering reservingNumbering(Numbering floor) {
        if (reservations != null) {
            throw new IllegalStateException("numbers are reserved already");
        }
        long[] last = new long[catalog.size() * NumberReservations.KINDS];
        for (int id = 0; id < catalog.size(); id++) {
            last[NumberReservations.counter(id, NumberReservations.TRADE_SEQ)] =
                    Math.max(numbering.lastSeq(id, Channel.TRADE), floor.lastSeq(id, Channel.TRADE));
            last[NumberReservations.counter(id, NumberReservations.QUOTE_SEQ)] =
                    Math.max(numbering.lastSeq(id, Channel.QUOTE), floor.lastSeq(id, Channel.QUOTE));
            last[NumberReservations.counter(id, NumberReservations.TRADE_ID)] =
                    Math.max(numbering.lastTradeId(id), floor.lastTradeId(id));
        }
        NumberReservationFile started = NumberReservationFile.start(dataDir, catalog, last);
        reservations = started;
        numberedFrom = last;
        return new Numbering() {
            @Override
            public long lastSeq(int instrumentId, Channel channel) {
                return switch (channel) {
                    case TRADE -> last[NumberReservations.counter(instrumentId, NumberReservations.TRADE_SEQ)];
                    case QUOTE -> last[NumberReservations.counter(instrumentId, NumberReservations.QUOTE_SEQ)];
                    default -> numbering.lastSeq(instrumentId, channel);
                };
            }

            @Override
            public long lastTradeId(int instrumentId) {
                return last[NumberReservations.counter(instrumentId, NumberReservations.TRADE_ID)];
            }

            @Override
            public NumberReservations reservations() {
                return started;
            }
        };
    }

    /**
     * Where the bars being formed stood when the previous run stopped, computed now from what is
     * stored (see {@link StoredBarSeeding}): a server that starts on this data continues them,
     * and the quotes' day volume and last price, instead of starting from the events since the
     * restart. Call before the engine starts (it reads the store as it is).
     *
     * @throws StoreException if the store cannot be read
     */
    public BarSeeding barSeeding() {
        long started = System.nanoTime();
        try {
            BarSeeding seeding = StoredBarSeeding.load(db, ranges, catalog);
            LOG.info("forming bars and day values read from the store in {} ms", (System.nanoTime() - started) / 1_000_000);
            return seeding;
        } catch (SqlException | CairoException e) {
            throw new StoreException("cannot read the forming bars from the history store: "
                    + (e instanceof SqlException s ? s.getFlyweightMessage() : ((CairoException) e).getFlyweightMessage()), e);
        }
    }

    /** The stored numbers, or those a run that did not stop cleanly reserved where higher. */
    private record StoredNumbering(StoredRanges ranges, long[] reserved) implements Numbering {
        @Override
        public long lastSeq(int instrumentId, Channel channel) {
            return switch (channel) {
                case TRADE -> Math.max(ranges.lastTradeSeqAtOpen[instrumentId],
                        reserved[NumberReservations.counter(instrumentId, NumberReservations.TRADE_SEQ)]);
                case QUOTE -> Math.max(ranges.lastQuoteSeqAtOpen[instrumentId],
                        reserved[NumberReservations.counter(instrumentId, NumberReservations.QUOTE_SEQ)]);
                default -> 0;
            };
        }

        @Override
        public long lastTradeId(int instrumentId) {
            return Math.max(ranges.lastTradeIdAtOpen[instrumentId],
                    reserved[NumberReservations.counter(instrumentId, NumberReservations.TRADE_ID)]);
        }
    }

    @Override
    public void onEvent(MarketEvent event) {
        if (event instanceof BookUpdate) {
            return; // books are stored as the engine's periodic snapshots (onBookSnapshot), not change by change
        }
        writer.offer(event, event.eventTime());
    }

    @Override
    public void onClosedBar(Bar bar) {
        if (bar.closed()) {
            writer.offer(bar, bar.updateTime());
        }
    }

    @Override
    public void onBookSnapshot(BookSnapshot snapshot) {
        writer.offer(snapshot, snapshot.time());
    }

    @Override
    public void append(MarketEvent event) throws InterruptedException {
        writer.put(event);
    }

    @Override
    public boolean flush(Duration timeout) throws InterruptedException {
        return writer.flush(timeout.toNanos());
    }

    @Override
    public HistoryQueries queries() {
        return queries;
    }

    @Override
    public StoreStats stats() {
        return writer.stats();
    }

    /** The database, for tests in this package that check tables directly. */
    QuestDatabase database() {
        return db;
    }

    /** The data directory this store holds. */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        if (reservations != null) { // the bus closed first: nothing is numbered any more
            reservations.close(writer.storedEverything() ? lastHandedOut() : null);
        }
        queries.close();
        db.close();
        lock.close();
        LOG.info("history store in {} closed; {}; committed rows: {}", dataDir.toAbsolutePath(), writer.stats(),
                writer.committedByTable());
    }
}
