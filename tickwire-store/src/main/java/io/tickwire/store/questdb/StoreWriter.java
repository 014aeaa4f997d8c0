package io.tickwire.store.questdb;

import io.tickwire.model.Bar;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.model.BookSnapshot;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.StoreStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer thread ({@value #THREAD_NAME}) and its bounded queue.
 *
 * <p>Producers (engine partitions) {@link #offer} records without blocking: a full queue drops
 * the record and counts it; the writer later writes a row to {@code gaps} with how many records
 * of which event-time span were lost, so nothing is lost silently. The writer drains the queue
 * into per-table batches and commits them every commit interval (sooner when a batch reaches
 * {@value #MAX_PENDING} rows or someone flushes). A commit either succeeds for a table or leaves
 * its batch pending: after a failure (disk full) the writer stops draining, reports
 * {@code failed}, and retries every retry interval until it succeeds; meanwhile the queue fills
 * and further records are dropped and counted. Heap use is bounded by the queue capacity plus
 * {@value #MAX_PENDING} pending rows.
 */
final class StoreWriter {

    static final String THREAD_NAME = "tickwire-store-writer";

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final int MAX_PENDING = 1 << 17;
    private static final int DRAIN_BATCH = 8_192;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CLOSE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long GAP_MAX_SECONDS = 10;
    private static final long GAP_QUIET_MILLIS = 1_000;
    private static final long FAILURE_LOG_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final MpscAtomicArrayQueue<Object> queue;
    private final TradeSink trades;
    private final QuoteSink quotes;
    private final BarSink bars;
    private final BookSnapshotSink books;
    private final GapSink gaps;
    private final List<TableSink<?>> sinks;
    private final StoredRanges ranges;
    private final Clock clock;
    private final long commitIntervalNanos;
    private final long retryIntervalNanos;
    private final Thread thread;

    // producers
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedClosed = new AtomicLong();
    private final AtomicLong dropFrom = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong dropUntil = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong flushTarget = new AtomicLong();
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    // written by the writer thread only; volatile for readers of stats
    private volatile long committed;
    private volatile long committedTicks;
    private volatile long failures;
    private volatile long committedThrough;
    private volatile String lastError;
    private volatile boolean failing;
    private volatile boolean stopped;
    /** Records received but not committed when the writer stopped. */
    private volatile long lostAtStop;
    /** When the oldest record not yet committed was taken from the queue; 0 when nothing is pending. */
    private volatile long pendingSinceNanos;
    private long droppedRecorded;
    private long droppedSeen;
    private long gapOpenedNanos;
    private long lastDropSeenNanos;
    private long droppedClosedRecorded;
    private boolean gapWhileFailing;
    private long failureLoggedNanos;
    private long lastCommitNanos;
    private long retryAtNanos;
    private long closingSinceNanos;

    StoreWriter(QuestDatabase db, io.tickwire.model.InstrumentCatalog catalog, StoredRanges ranges, Clock clock,
                StoreSettings settings) {
        this.queue = new MpscAtomicArrayQueue<>(settings.queueCapacity());
        this.trades = new TradeSink(db, catalog);
        this.quotes = new QuoteSink(db, catalog);
        this.bars = new BarSink(db, catalog);
        this.books = new BookSnapshotSink(db, catalog);
        this.gaps = new GapSink(db);
        this.sinks = List.of(trades, quotes, bars, books, gaps);
        this.ranges = ranges;
        this.clock = clock;
        this.commitIntervalNanos = settings.commitInterval().toNanos();
        this.retryIntervalNanos = settings.retryInterval().toNanos();
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    void start() {
        lastCommitNanos = clock.monotonicNanos();
        thread.start();
    }

    /** Queues a record without blocking; {@code false} (and counted) if the queue is full or closed. */
    boolean offer(Object record, long eventTime) {
        if (accepting) {
            received.incrementAndGet();
            if (queue.offer(record)) {
                return true;
            }
            received.decrementAndGet();
        } else {
            droppedClosed.incrementAndGet();
        }
        dropped.incrementAndGet();
        dropFrom.accumulateAndGet(eventTime, Math::min);
        dropUntil.accumulateAndGet(eventTime, Math::max);
        return false;
    }

    /** Queues a record, waiting for room. */
    void put(Object record) throws InterruptedException {
        while (true) {
            if (!accepting) {
                throw new IllegalStateException("the store is closed");
            }
            received.incrementAndGet();
            if (queue.offer(record)) {
                return;
            }
            received.decrementAndGet();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Asks for everything received so far to be committed; waits up to the timeout. */
    boolean flush(long timeoutNanos) throws InterruptedException {
        long target = received.get();
        flushTarget.accumulateAndGet(target, Math::max);
        LockSupport.unpark(thread);
        long deadline = System.nanoTime() + timeoutNanos;
        while (committed < target) {
            if (stopped || System.nanoTime() > deadline) {
                return committed >= target;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    private void run() {
        try {
            while (running || !queue.isEmpty() || hasPending() || dropsToRecordWhileClosing()) {
                long now = clock.monotonicNanos();
                if (!running && closingSinceNanos == 0) {
                    closingSinceNanos = now;
                }
                if (failing && now < retryAtNanos) {
                    if (!running && now - closingSinceNanos > CLOSE_RETRY_NANOS) {
                        break; // closing and the disk will not take it: give up, loudly (below)
                    }
                    recordDrops(now);
                    LockSupport.parkNanos(Math.min(retryAtNanos - now, IDLE_PARK_NANOS * 20));
                    continue;
                }
                int drained = failing ? 0 : drain();
                recordDrops(now);
                long pending = pendingCount();
                boolean due = pending > 0 && (failing || !running || pending >= MAX_PENDING
                        || now - lastCommitNanos >= commitIntervalNanos || flushTarget.get() > committed);
                if (due) {
                    commit(now);
                } else if (drained == 0) {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("the store writer stopped on an unexpected error; history is no longer being written", e);
            lastError = String.valueOf(e);
            failing = true;
        } finally {
            recordDrops(clock.monotonicNanos());
            long lost = pendingCount() + queue.size();
            lostAtStop = lost;
            if (lost > 0) {
                LOG.error("the store closed with {} records it could not commit ({})", lost, lastError);
            }
            for (TableSink<?> sink : sinks) {
                sink.release();
            }
            stopped = true;
        }
    }

    private int drain() {
        int room = MAX_PENDING - (int) Math.min(MAX_PENDING, pendingCount());
        if (room <= 0) {
            return 0;
        }
        boolean wasEmpty = room == MAX_PENDING;
        int drained = queue.drain(this::route, Math.min(room, DRAIN_BATCH));
        if (wasEmpty && drained > 0) {
            pendingSinceNanos = clock.monotonicNanos();
        }
        return drained;
    }

    private void route(Object record) {
        switch (record) {
            case Trade t -> trades.add(t);
            case Quote q -> quotes.add(q);
            case Bar b -> bars.add(b);
            case BookSnapshot s -> books.add(s);
            default -> LOG.warn("ignoring a record of unknown type {}", record.getClass().getName());
        }
    }

    /**
     * Turns drops into gap rows: one row per episode of drops, closed once no record has been
     * dropped for {@value #GAP_QUIET_MILLIS} ms (and writes work), or every {@value #GAP_MAX_SECONDS} s
     * of a long episode, so an overload or an outage makes a few rows and log lines, not thousands.
     */
    private void recordDrops(long now) {
        long total = dropped.get();
        if (total > droppedSeen) {
            if (gapOpenedNanos == 0) {
                gapOpenedNanos = now;
            }
            droppedSeen = total;
            lastDropSeenNanos = now;
            gapWhileFailing |= failing;
        }
        if (droppedSeen == droppedRecorded) {
            return;
        }
        boolean quiet = !failing && now - lastDropSeenNanos >= TimeUnit.MILLISECONDS.toNanos(GAP_QUIET_MILLIS);
        boolean longEpisode = now - gapOpenedNanos >= TimeUnit.SECONDS.toNanos(GAP_MAX_SECONDS);
        if (running && !quiet && !longEpisode) {
            return;
        }
        long from = dropFrom.getAndSet(Long.MAX_VALUE);
        long until = dropUntil.getAndSet(Long.MIN_VALUE);
        long wall = clock.epochMicros();
        if (from == Long.MAX_VALUE) {
            from = wall;
            until = wall;
        }
        long count = droppedSeen - droppedRecorded;
        droppedRecorded = droppedSeen;
        long closedNow = droppedClosed.get();
        String reason = gapWhileFailing ? "write_failed" : closedNow > droppedClosedRecorded ? "closed" : "queue_full";
        droppedClosedRecorded = closedNow;
        gapWhileFailing = false;
        gapOpenedNanos = 0;
        gaps.add(new GapSink.Gap(from, Math.max(from, until), count, reason, wall));
        LOG.warn("history store: {} records with event times {}..{} (µs) were not stored ({}); recorded in table gaps",
                count, from, until, reason);
    }

    private void commit(long now) {
        try {
            if (trades.pending() > 0) {
                List<Trade> rows = trades.pendingRows();
                long n = rows.size();
                long newest = newestTime(rows);
                List<Trade> copy = List.copyOf(rows);
                trades.commit();
                ranges.tradesCommitted(copy);
                committedNow(n, newest);
                committedTicks += n;
            }
            if (quotes.pending() > 0) {
                List<Quote> rows = quotes.pendingRows();
                long n = rows.size();
                long newest = newestTime(rows);
                List<Quote> copy = List.copyOf(rows);
                quotes.commit();
                ranges.quotesCommitted(copy);
                committedNow(n, newest);
                committedTicks += n;
            }
            if (bars.pending() > 0) {
                List<Bar> copy = List.copyOf(bars.pendingRows());
                bars.commit();
                ranges.barsCommitted(copy);
                committedNow(copy.size(), 0);
            }
            if (books.pending() > 0) {
                long n = books.pending();
                books.commit();
                committedNow(n, 0);
            }
            gaps.commit();
            if (failing) {
                LOG.info("history store: writing again after {} failed attempt(s) in all", failures);
            }
            failing = false;
            lastCommitNanos = now;
            pendingSinceNanos = 0;
        } catch (RuntimeException | Error e) {
            failures++;
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            lastError = message;
            retryAtNanos = now + retryIntervalNanos;
            if (!failing) {
                LOG.error("history store: commit failed, retrying every {} ms until it succeeds (the live stream goes"
                        + " on; see /health): {}", TimeUnit.NANOSECONDS.toMillis(retryIntervalNanos), message);
                failureLoggedNanos = now;
            } else if (now - failureLoggedNanos > FAILURE_LOG_NANOS) {
                LOG.warn("history store: still failing after {} attempts, {} records dropped so far: {}", failures,
                        dropped.get(), message);
                failureLoggedNanos = now;
            }
            failing = true;
        }
    }

    private void committedNow(long rows, long newestEventTime) {
        committed += rows;
        if (newestEventTime > committedThrough) {
            committedThrough = newestEventTime;
        }
    }

    private static long newestTime(List<? extends MarketEvent> rows) {
        long newest = 0;
        for (MarketEvent e : rows) {
            newest = Math.max(newest, e.eventTime());
        }
        return newest;
    }

    /** Drops not yet in the gaps table get one more chance while closing, for a bounded time. */
    private boolean dropsToRecordWhileClosing() {
        return dropped.get() > droppedRecorded
                && (closingSinceNanos == 0 || clock.monotonicNanos() - closingSinceNanos < CLOSE_RETRY_NANOS);
    }

    private boolean hasPending() {
        return pendingCount() > 0;
    }

    private long pendingCount() {
        long n = 0;
        for (TableSink<?> sink : sinks) {
            n += sink.pending();
        }
        return n;
    }

    /** Stops taking records, commits what it holds and ends the thread. */
    void close() {
        accepting = false;
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the writer stopped having committed every record offered to it: none dropped, none left over. */
    boolean storedEverything() {
        return stopped && lostAtStop == 0 && dropped.get() == 0;
    }

    /** Rows committed per table since the store opened, e.g. {@code trades=10, quotes=4}; exact once the writer stopped. */
    String committedByTable() {
        StringBuilder b = new StringBuilder();
        for (TableSink<?> sink : sinks) {
            b.append(b.isEmpty() ? "" : ", ").append(sink.table()).append('=').append(sink.committedRows());
        }
        return b.toString();
    }

    StoreStats stats() {
        long queued = queue.size();
        long since = pendingSinceNanos;
        long lag = since == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(Math.max(0, clock.monotonicNanos() - since));
        String status = stopped || !accepting ? "closed" : failing ? "failed" : "ok";
        return new StoreStats(status, queued, queue.capacity(), received.get(), committed, committedTicks,
                dropped.get(), failures, lag,
                committedThrough, lastError);
    }
}
