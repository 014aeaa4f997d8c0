package io.tickwire.kafka;

import io.tickwire.model.BookUpdate;

/**
 * Decides which of the topic's book records a gateway applies, so its books match the ingest
 * node's whenever it reads from the middle of the topic.
 *
 * <p>An instrument's book is <em>out of sync</em> until the gateway reads a picture of it; changes
 * read before that are skipped. In sync, a change numbered one past the last applied one is
 * applied; a picture of the state already held (same number) is skipped; anything else (a number
 * skipped, or numbers restarting after the ingest node restarted) applies the picture, or, for a
 * change, puts the book out of sync until the next picture (the ingest node takes one at most once
 * a second while the book changes). What is applied is renumbered by the gateway: book numbers are
 * the gateway's own ({@code seq} 0 lets its ingest number them), so they never go backwards for its
 * clients. Confined to one thread.
 */
final class BookSync {

    private final long[] lastApplied; // the ingest node's number of the last applied record; 0: out of sync
    private long resyncs;
    private long skipped;

    BookSync(int instruments) {
        this.lastApplied = new long[instruments];
    }

    /** The update to offer the engine for a book record, or {@code null} to skip it. */
    BookUpdate accept(BookUpdate update, boolean picture) {
        int id = update.instrumentId();
        long last = lastApplied[id];
        long seq = update.seq();
        if (picture) {
            if (last != 0 && seq == last) {
                skipped++;
                return null; // the picture of the book this gateway already holds
            }
            if (last != 0) {
                resyncs++;
            }
            lastApplied[id] = seq;
            return update.withSeq(0);
        }
        if (last == 0 || seq != last + 1) {
            lastApplied[id] = 0;
            skipped++;
            return null;
        }
        lastApplied[id] = seq;
        return update.withSeq(0);
    }

    /** Whether an instrument's book is in sync. */
    boolean inSync(int instrumentId) {
        return lastApplied[instrumentId] != 0;
    }

    /** Pictures applied over a book that was in sync under other numbers (records lost, or the ingest node restarted). */
    long resyncs() {
        return resyncs;
    }

    /** Book records skipped: changes read out of sync, and pictures of books already held. */
    long skipped() {
        return skipped;
    }
}
