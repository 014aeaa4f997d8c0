package io.tickwire.client;

import io.tickwire.model.BookChecksum;
import io.tickwire.model.Channel;
import io.tickwire.protocol.v1.ServerMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's local books, one per subscribed book stream, and their resynchronisation.
 *
 * <p>Every book message goes through {@link #onBook}: applied if it follows the last one, ignored
 * and counted if it is a duplicate. A book that misses a message or fails its checksum goes out of
 * sync: the user hears a {@link BookResync}, and the client asks the server for a snapshot at once.
 * A book the server announced a gap for, or whose connection was lost, waits for the snapshot the
 * server sends by itself. Whatever the cause, a book still out of sync after
 * {@link #RESYNC_TIMEOUT_NANOS} asks (again); a failed request or a snapshot that itself fails the
 * checksum is retried after {@link #RETRY_DELAY_NANOS}; at most {@link #MAX_REQUESTS} snapshot
 * requests are outstanding at once, so a broken link cannot flood the server with requests.
 *
 * <p>Confined to the client's I/O thread, apart from {@link #view} and {@link #duplicates}, which
 * any thread may call: each change publishes an immutable {@link BookView} in a concurrent map.
 */
final class LocalBooks {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBooks.class);
    static final long RESYNC_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long RETRY_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final int MAX_REQUESTS = 8;

    /** Sends a snapshot request for a book; false if it cannot now (not connected). */
    interface SnapshotRequests {
        boolean request(String symbol);
    }

    private static final class Entry {
        LocalBook book;
        /** The symbol as the server spells it. */
        String shown;
        /** A snapshot request of ours is outstanding. */
        boolean requested;
        /** While out of sync: when to ask for a snapshot (again), on the monotonic clock. */
        long askAt;
    }

    private final Callbacks callbacks;
    private final BookChecksum checksums = new BookChecksum();
    private final Map<String, Entry> books = new LinkedHashMap<>();
    private final Map<String, BookView> views = new ConcurrentHashMap<>();
    private int requests;
    private volatile long duplicates;

    LocalBooks(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    /** The latest view of a book, or {@code null}; any thread. */
    BookView view(String symbol) {
        return views.get(DesiredSubscriptions.normalize(symbol));
    }

    /** Book messages ignored as duplicates so far; any thread. */
    long duplicates() {
        return duplicates;
    }

    /**
     * Applies a message of a wanted book stream.
     *
     * @param answered whether the message answers a snapshot request of ours
     */
    void onBook(ServerMessage.Book m, int priceScale, int sizeScale, boolean answered, long now,
                SnapshotRequests sender) {
        String key = DesiredSubscriptions.normalize(m.symbol());
        Entry e = books.get(key);
        if (e == null) {
            e = new Entry();
            e.shown = m.symbol();
            books.put(key, e);
        }
        if (answered && e.requested) {
            e.requested = false;
            requests--;
        }
        if (e.book == null || (m.snapshot() && (e.book.priceScale() != priceScale || e.book.sizeScale() != sizeScale))) {
            e.book = new LocalBook(key, priceScale, sizeScale);
        }
        long lastSeq = e.book.seq();
        switch (e.book.apply(m, checksums)) {
            case APPLIED -> publish(e, e.book.view(e.shown));
            case DUPLICATE -> duplicates++; // single writer: the I/O thread
            case WAITING_FOR_SNAPSHOT -> {
                if (e.askAt == 0) { // a book that never had a snapshot: ask for one
                    resync(e, BookResync.Reason.SEQUENCE_GAP, "a book message came before any snapshot", now, sender);
                }
            }
            case GAP -> {
                callbacks.gap(new Gap(e.shown, Channel.BOOK, lastSeq + 1, m.seq()));
                resync(e, BookResync.Reason.SEQUENCE_GAP, e.book.problem(), now, sender);
            }
            case CHECKSUM_MISMATCH -> {
                if (m.snapshot()) { // asking again at once would likely get the same: wait a little
                    outOfSync(e, BookResync.Reason.CHECKSUM_MISMATCH, e.book.problem());
                    e.askAt = now + RETRY_DELAY_NANOS;
                } else {
                    resync(e, BookResync.Reason.CHECKSUM_MISMATCH, e.book.problem(), now, sender);
                }
            }
        }
    }

    /** The server announced lost updates of a book; its snapshot follows in the stream. */
    void onAnnouncedGap(String symbol, long now) {
        Entry e = books.get(DesiredSubscriptions.normalize(symbol));
        if (e == null || e.book == null) {
            return;
        }
        if (e.book.inSync()) {
            e.book.lose();
            outOfSync(e, BookResync.Reason.SERVER_GAP, "the server could not deliver every update");
        }
        e.askAt = now + RESYNC_TIMEOUT_NANOS;
    }

    /** The server refused a snapshot request of ours; try again a little later. */
    void onRequestRefused(String symbol, String code, long now) {
        Entry e = books.get(DesiredSubscriptions.normalize(symbol));
        if (e == null) {
            return;
        }
        if (e.requested) {
            e.requested = false;
            requests--;
        }
        LOG.debug("snapshot of the {} book refused: {}", symbol, code);
        e.askAt = now + RETRY_DELAY_NANOS;
    }

    /** The connection is gone: every book is out of sync until its resubscription's snapshot. */
    void onConnectionLost() {
        requests = 0;
        for (Entry e : books.values()) {
            e.requested = false;
            if (e.book != null && e.book.inSync()) {
                e.book.lose();
                outOfSync(e, BookResync.Reason.CONNECTION_LOST, "the connection was lost");
            }
        }
    }

    /** A new connection is restoring the subscriptions: each book's snapshot is on its way. */
    void onRestoring(long now) {
        for (Entry e : books.values()) {
            e.askAt = now + RESYNC_TIMEOUT_NANOS;
        }
    }

    /** Asks for the snapshots of books that have waited long enough; called periodically while connected. */
    void requestDue(long now, SnapshotRequests sender) {
        for (Entry e : books.values()) {
            boolean waiting = e.book == null || !e.book.inSync();
            if (!waiting || now - e.askAt < 0) {
                continue;
            }
            if (e.requested) { // no answer in time: count it as lost
                e.requested = false;
                requests--;
            }
            ask(e, now, sender);
        }
    }

    /** Forgets a book that is no longer subscribed. */
    void remove(String symbol) {
        String key = DesiredSubscriptions.normalize(symbol);
        Entry e = books.remove(key);
        if (e != null && e.requested) {
            requests--;
        }
        views.remove(key);
    }

    private void resync(Entry e, BookResync.Reason reason, String detail, long now, SnapshotRequests sender) {
        outOfSync(e, reason, detail);
        ask(e, now, sender);
    }

    private void ask(Entry e, long now, SnapshotRequests sender) {
        if (requests >= MAX_REQUESTS) {
            e.askAt = now + RETRY_DELAY_NANOS;
            return;
        }
        if (sender.request(e.shown)) {
            e.requested = true;
            requests++;
            e.askAt = now + RESYNC_TIMEOUT_NANOS;
        } else {
            e.askAt = now + RETRY_DELAY_NANOS;
        }
    }

    private void outOfSync(Entry e, BookResync.Reason reason, String detail) {
        if (reason == BookResync.Reason.SEQUENCE_GAP || reason == BookResync.Reason.CHECKSUM_MISMATCH) {
            LOG.info("{} book out of sync ({}): {}; resynchronising", e.shown, reason, detail);
        } else {
            LOG.debug("{} book out of sync ({}): {}", e.shown, reason, detail);
        }
        String key = DesiredSubscriptions.normalize(e.shown);
        BookView last = views.get(key);
        BookView stale = last == null ? null : last.outOfSync();
        if (stale != null) {
            views.put(key, stale);
        }
        callbacks.bookResync(new BookResync(e.shown, reason, detail));
        if (stale != null) {
            callbacks.book(stale);
        }
    }

    private void publish(Entry e, BookView view) {
        views.put(DesiredSubscriptions.normalize(e.shown), view);
        callbacks.book(view);
    }

    int size() {
        return books.size();
    }
}
