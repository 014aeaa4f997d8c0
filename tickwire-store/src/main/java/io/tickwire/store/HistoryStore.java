package io.tickwire.store;

import io.tickwire.model.BookSnapshot;
import io.tickwire.engine.EventTap;
import io.tickwire.model.Bar;
import io.tickwire.model.MarketEvent;
import java.time.Duration;

/**
 * The writing side of history: takes every sequenced trade and quote (as the engine's
 * {@link EventTap}), every closed bar and periodic book snapshots, and stores them.
 *
 * <p>The record methods ({@link #onEvent}, {@link #onClosedBar}, {@link #onBookSnapshot}) are
 * called on engine partition threads and never block: they put the record on a bounded queue and
 * return. When the queue is full the record is dropped, counted in {@link StoreStats#dropped()}
 * and later recorded as a gap; the live stream is never slowed down. One writer thread drains the
 * queue and commits in batches every commit interval. All methods are thread-safe.
 */
public interface HistoryStore extends EventTap, AutoCloseable {

    /** A sequenced trade or quote, as the engine applied it (quotes with last price and volume). */
    @Override
    void onEvent(MarketEvent event);

    /** A bar the live stream closed; bars that are not {@link Bar#closed() closed} are ignored. */
    @Override
    void onClosedBar(Bar bar);

    /** A periodic order-book snapshot. */
    void onBookSnapshot(BookSnapshot snapshot);

    /**
     * Stores an event, waiting for room in the queue instead of dropping it: for imports and
     * tools, never for the engine's threads.
     */
    void append(MarketEvent event) throws InterruptedException;

    /**
     * Commits everything received before this call and waits for it.
     *
     * @return {@code true} if it was committed within the timeout, {@code false} if writes are
     *         failing or the timeout passed
     */
    boolean flush(Duration timeout) throws InterruptedException;

    /** The reading side. */
    HistoryQueries queries();

    /** The writer's counters and state. */
    StoreStats stats();

    /** Commits everything received, stops the writer and releases the data directory. Idempotent. */
    @Override
    void close();
}
