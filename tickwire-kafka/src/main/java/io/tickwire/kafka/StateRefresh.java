package io.tickwire.kafka;

import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Quote;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Keeps a quiet instrument's state on the topic: a gateway starting now reads the topic from its
 * lookback on, and an instrument that has not changed for longer (a market closed for the night)
 * would give it no last quote and no book. So each instrument's last quote and last picture of its
 * book are appended again once they are older than the refresh interval (half the lookback) —
 * the picture only while it is still the book's state (no change since). Gateways already holding
 * them skip the repeats (same numbers, same ingest run).
 *
 * <p>Threads: the engine's partition threads record ({@link #record}); the producer thread alone
 * calls {@link #sent} and {@link #due}, so the "when last appended" arrays are its own.
 */
final class StateRefresh {

    private final long intervalNanos;
    private final AtomicReferenceArray<Quote> lastQuote;
    private final AtomicReferenceArray<BookSnapshot> lastPicture;
    private final AtomicLongArray lastBookChange;
    // producer thread only: when, and which number, each was last appended
    private final long[] quoteAppendedAt;
    private final long[] quoteAppendedSeq;
    private final long[] pictureAppendedAt;
    private final long[] pictureAppendedSeq;
    private long nextCheck;

    /** @param intervalNanos how old a quote or picture gets before it is appended again; 0 for never */
    StateRefresh(int instruments, long intervalNanos) {
        this.intervalNanos = intervalNanos;
        this.lastQuote = new AtomicReferenceArray<>(instruments);
        this.lastPicture = new AtomicReferenceArray<>(instruments);
        this.lastBookChange = new AtomicLongArray(instruments);
        this.quoteAppendedAt = new long[instruments];
        this.quoteAppendedSeq = new long[instruments];
        this.pictureAppendedAt = new long[instruments];
        this.pictureAppendedSeq = new long[instruments];
    }

    /** An event or picture the engine produced (a partition thread); before it is queued. */
    void record(Object record) {
        switch (record) {
            case Quote q -> lastQuote.lazySet(q.instrumentId(), q);
            case BookUpdate b -> lastBookChange.lazySet(b.instrumentId(), b.seq());
            case BookSnapshot s -> lastPicture.lazySet(s.instrumentId(), s);
            default -> { }
        }
    }

    /**
     * A record {@link #record recorded} could not be queued (dropped): forget it, so the last sent
     * state is not held back for a record that never comes (a partition thread; the next one of the
     * instrument records again).
     */
    void lost(Object record) {
        switch (record) {
            case Quote q -> lastQuote.compareAndSet(q.instrumentId(), q, null);
            case BookSnapshot s -> lastPicture.compareAndSet(s.instrumentId(), s, null);
            default -> { }
        }
    }

    /** A record was appended now (the producer thread). */
    void sent(Object record, long nowNanos) {
        switch (record) {
            case Quote q -> {
                quoteAppendedAt[q.instrumentId()] = nowNanos;
                quoteAppendedSeq[q.instrumentId()] = q.seq();
            }
            case BookSnapshot s -> {
                pictureAppendedAt[s.instrumentId()] = nowNanos;
                pictureAppendedSeq[s.instrumentId()] = s.seq();
            }
            default -> { }
        }
    }

    /**
     * The last quote of an instrument that this run has not sent one of: a restarted ingest node's
     * from its store. It is taken as sent long ago, so the next {@link #due} appends it again for
     * gateways that start later (the producer thread).
     */
    void adopt(Quote q, long nowNanos) {
        int id = q.instrumentId();
        if (intervalNanos != 0 && quoteAppendedSeq[id] == 0 && lastQuote.compareAndSet(id, null, q)) {
            quoteAppendedSeq[id] = q.seq();
            quoteAppendedAt[id] = nowNanos - intervalNanos;
        }
    }

    /** Hands {@code append} what is due again, at most once a second (the producer thread). */
    void due(long nowNanos, Consumer<Object> append) {
        if (intervalNanos == 0 || nowNanos - nextCheck < 0) {
            return;
        }
        nextCheck = nowNanos + 1_000_000_000L;
        for (int id = 0; id < quoteAppendedAt.length; id++) {
            // only what was appended already (never ahead of its original, still queued), and for a
            // book only while nothing changed since its picture
            Quote q = lastQuote.get(id);
            if (q != null && q.seq() == quoteAppendedSeq[id] && nowNanos - quoteAppendedAt[id] >= intervalNanos) {
                append.accept(q);
            }
            BookSnapshot picture = lastPicture.get(id);
            if (picture != null && picture.seq() == pictureAppendedSeq[id] && picture.seq() == lastBookChange.get(id)
                    && nowNanos - pictureAppendedAt[id] >= intervalNanos) {
                append.accept(picture);
            }
        }
    }

    /** The refresh interval for a lookback: half of it (at least a second), or 0 (never) for no lookback. */
    static long intervalFor(java.time.Duration lookback) {
        return lookback.isZero() ? 0 : Math.max(1_000_000_000L, lookback.toNanos() / 2);
    }
}
