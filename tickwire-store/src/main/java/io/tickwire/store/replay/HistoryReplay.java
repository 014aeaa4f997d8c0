package io.tickwire.store.replay;

import io.tickwire.engine.ingest.MarketDataSink;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.MarketEvent;
import io.tickwire.store.HistoryQueries;
import io.tickwire.store.HistoryUnavailableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes stored trades, quotes and book pictures of some instruments over {@code [from, to)}
 * into a sink (the engine's bus), merged in event-time order, paced at a {@link ReplaySpeed}, on
 * one thread named {@value #THREAD_NAME}.
 *
 * <p>Books: the store keeps a full picture of a changing book at most once a second, not every
 * change, so a replayed book moves in steps of up to a second. Each instrument's book first gets
 * its last picture from before {@code from} (published at once, with its own time), so a book
 * subscriber sees the book as the range opens rather than an empty one until the first picture.
 * Pictures are numbered afresh (1, 2, 3, … per instrument): the stored numbers restart with every
 * run of the recording server.
 *
 * <p>Events keep their stored event times and sequence numbers; the engine must run with
 * {@link io.tickwire.engine.ingest.Sequencing#KEEP_SOURCE} so ingest keeps them too. A refused
 * offer (back-pressure) is retried, never dropped. Memory: one page (1,000 events) per instrument
 * and stream. Events with the same time keep their stored order per stream. Thread-safe.
 */
public final class HistoryReplay implements AutoCloseable {

    /** The name of the replay's thread. */
    public static final String THREAD_NAME = "tickwire-replay";

    private static final Logger LOG = LoggerFactory.getLogger(HistoryReplay.class);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final HistoryQueries queries;
    private final List<Instrument> instruments;
    private final long from;
    private final long to;
    private final ReplaySpeed speed;
    private final MarketDataSink sink;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean finished;
    private volatile long published;
    private volatile long lastEventTime;
    private volatile String failure;

    /**
     * @param from earliest event time replayed, inclusive (microseconds)
     * @param to   latest event time replayed, exclusive
     */
    public HistoryReplay(HistoryQueries queries, List<Instrument> instruments, long from, long to, ReplaySpeed speed,
                         MarketDataSink sink, Clock clock) {
        if (from >= to) {
            throw new IllegalArgumentException("replay range is empty: from " + from + " >= to " + to);
        }
        this.queries = queries;
        this.instruments = List.copyOf(instruments);
        this.from = from;
        this.to = to;
        this.speed = speed;
        this.sink = sink;
        this.clock = clock;
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    /** Starts publishing. */
    public void start() {
        thread.start();
    }

    private record Head(TickCursor cursor, MarketEvent event, int order) {
    }

    private void run() {
        try {
            PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong((Head h) -> h.event().eventTime())
                    .thenComparingInt(Head::order));
            publishOpeningBooks();
            List<TickCursor> cursors = new ArrayList<>();
            for (Instrument instrument : instruments) {
                cursors.add(new TickCursor(instrument, from, to, q -> queries.books(q)));
                cursors.add(new TickCursor(instrument, from, to, q -> queries.quotes(q)));
                cursors.add(new TickCursor(instrument, from, to, q -> queries.trades(q)));
            }
            for (int i = 0; i < cursors.size(); i++) {
                MarketEvent first = cursors.get(i).peek();
                if (first != null) {
                    heads.add(new Head(cursors.get(i), first, i));
                }
            }
            long historyStart = heads.isEmpty() ? from : heads.peek().event().eventTime();
            long wallStart = clock.monotonicNanos();
            while (running && !heads.isEmpty()) {
                Head head = heads.poll();
                MarketEvent event = head.event();
                waitUntil(wallStart + speed.wallNanos(event.eventTime() - historyStart));
                if (!publish(event)) {
                    break;
                }
                head.cursor().advance();
                MarketEvent next = head.cursor().peek();
                if (next != null) {
                    heads.add(new Head(head.cursor(), next, head.order()));
                }
            }
            if (running) {
                LOG.info("replay finished: {} events of {} instrument(s), event times up to {}", published,
                        instruments.size(), lastEventTime);
            }
        } catch (HistoryUnavailableException | IllegalArgumentException e) {
            failure = e.getMessage();
            LOG.error("replay stopped: {}", e.getMessage());
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.error("replay stopped on an unexpected error", e);
        } finally {
            finished = true;
            done.countDown();
        }
    }

    /** Each instrument's book as it stood when the range opens, oldest picture first. */
    private void publishOpeningBooks() {
        List<BookUpdate> opening = new ArrayList<>();
        for (Instrument instrument : instruments) {
            BookUpdate picture = queries.bookBefore(instrument, from);
            if (picture != null) {
                opening.add(picture);
            }
        }
        opening.sort(Comparator.comparingLong(BookUpdate::eventTime));
        for (BookUpdate picture : opening) {
            if (!publish(picture)) {
                return;
            }
        }
    }

    private void waitUntil(long dueNanos) {
        while (running) {
            long left = dueNanos - clock.monotonicNanos();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, MAX_PARK_NANOS));
        }
    }

    private boolean publish(MarketEvent stored) {
        // book numbers restart with every run of the recording server, so stored pictures' numbers
        // may go backwards; the replay numbers its books afresh (0: the engine takes the next one)
        MarketEvent event = stored instanceof BookUpdate picture ? picture.withSeq(0) : stored;
        int spins = 0;
        while (!sink.offer(event)) {
            if (!running) {
                return false;
            }
            if (++spins > 100) {
                LockSupport.parkNanos(50_000);
            }
        }
        published++;
        lastEventTime = event.eventTime();
        return true;
    }

    /** Events published so far. */
    public long published() {
        return published;
    }

    /** Whether the replay has published everything (or stopped). */
    public boolean finished() {
        return finished;
    }

    /** Waits until the replay has published everything (or stopped); {@code false} if the timeout passed first. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /** Why the replay stopped early, or {@code null}. */
    public String failure() {
        return failure;
    }

    /** Stops publishing; idempotent. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
