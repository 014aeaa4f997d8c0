package io.tickwire.client.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Checks the sequence numbers of every stream against the last one accepted. Streams are told apart
 * by a key of the caller's choosing (symbol and channel; for bars also period and price type).
 *
 * <p>Full-rate streams number every message:
 * <ul>
 *   <li>{@code seq == last + 1}: in order.
 *   <li>{@code seq > last + 1}: a gap; the message is accepted and becomes the new baseline.
 * </ul>
 * Chained streams (throttled streams, which skip numbers by design) say which message they follow
 * ({@code prevSeq}): in order when {@code prevSeq <= last < seq}, a gap when {@code prevSeq > last}.
 * For both:
 * <ul>
 *   <li>{@code seq <= last}: a duplicate or out of order; dropped and counted — except as the
 *       stream's first message on a new connection with a later event time than the last one
 *       accepted, which means the server's numbering restarted (a gap with
 *       {@code received < expected}; the new numbering is adopted).
 *   <li>A snapshot always replaces the baseline without a gap: it is the current value, not a
 *       change.
 *   <li>A stream's first message ever is the baseline.
 *   <li>After {@link #renumbered}, the next message is a gap whatever its number, and the baseline.
 *   <li>After {@link #lossAnnounced}, a jump to the next message is not a gap (it was announced).
 * </ul>
 *
 * <p>State survives reconnects (call {@link #newConnection()} on each), so messages missed while
 * disconnected show up as a gap. Memory is one entry per stream ever tracked until
 * {@link #forget}.
 *
 * <p>Not thread-safe: confined to the client's I/O thread, apart from {@link #dropped()}.
 *
 * @param <K> the stream key: a value type with {@code equals} and {@code hashCode}
 */
public final class SequenceTracker<K> {

    /** What to do with a message. */
    public enum Verdict {
        /** Deliver it. */
        DELIVER,
        /** Report {@link #gap()} first, then deliver it. */
        GAP,
        /** Do not deliver it: seen before or out of order. */
        DROP
    }

    /** A gap found by {@link #track}: {@code expected} is the number after the last one accepted. */
    public record Gap(long expected, long received) {
    }

    private static final class Stream {
        long lastSeq;
        long lastEventTime;
        int connection;
        /** The server said its numbering is not the one {@code lastSeq} belongs to. */
        boolean renumbered;
        /** The server announced a loss: the jump to the next message is that loss, already reported. */
        boolean lossAnnounced;
    }

    private final Map<K, Stream> streams = new HashMap<>();
    private int connection;
    private Gap gap;
    private volatile long dropped;

    /** A tracker that knows no stream yet. */
    public SequenceTracker() {
    }

    /** Marks the start of a new connection: each stream's next message is its first on it. */
    public void newConnection() {
        connection++;
    }

    /**
     * Checks one message and records it as the stream's baseline unless it is dropped.
     *
     * @param prevSeq   the number of the stream's previous message on chained streams, or -1 on
     *                  full-rate streams
     * @param eventTime the message's event time (any monotonic unit), used to tell a restarted
     *                  numbering from a replayed message
     */
    public Verdict track(K key, long seq, long prevSeq, long eventTime, boolean snapshot) {
        Stream s = streams.get(key);
        if (s == null) {
            s = new Stream();
            streams.put(key, s);
            accept(s, seq, eventTime);
            return Verdict.DELIVER;
        }
        boolean firstOnConnection = s.connection != connection;
        s.connection = connection;
        if (firstOnConnection) {
            s.lossAnnounced = false; // announced on the old connection: the jump on this one is the resume's to explain
        }
        long expected = s.lastSeq + 1;
        if (snapshot) {
            s.renumbered = false;
            accept(s, seq, eventTime);
            return Verdict.DELIVER;
        }
        if (s.renumbered) {
            // whatever the number, it cannot be compared with the last one: a gap of unknown size
            s.renumbered = false;
            gap = new Gap(expected, seq);
            accept(s, seq, eventTime);
            return Verdict.GAP;
        }
        if (seq > s.lastSeq) {
            boolean inOrder = prevSeq >= 0 ? prevSeq <= s.lastSeq : seq == expected;
            inOrder |= s.lossAnnounced;
            s.lossAnnounced = false;
            if (!inOrder) {
                gap = new Gap(expected, seq);
            }
            accept(s, seq, eventTime);
            return inOrder ? Verdict.DELIVER : Verdict.GAP;
        }
        if (firstOnConnection && eventTime > s.lastEventTime) {
            gap = new Gap(expected, seq);
            accept(s, seq, eventTime);
            return Verdict.GAP;
        }
        dropped++; // single writer: the I/O thread
        return Verdict.DROP;
    }

    /** The gap found by the last call of {@link #track} that returned {@link Verdict#GAP}. */
    public Gap gap() {
        return gap;
    }

    /**
     * Where a stream is: {@code {lastSeq, lastEventTime}} of the last message accepted, or
     * {@code null} if none: what a reconnecting client asks to resume after.
     */
    public long[] position(K key) {
        Stream s = streams.get(key);
        return s == null ? null : new long[] {s.lastSeq, s.lastEventTime};
    }

    /**
     * Records that the server numbers the stream differently from what was tracked (it said so when
     * resuming: a restart without a store): its next message, whatever its number, is reported as a
     * gap and becomes the baseline. No effect on a stream not tracked.
     */
    public void renumbered(K key) {
        Stream s = streams.get(key);
        if (s != null) {
            s.renumbered = true;
        }
    }

    /**
     * Records that the server announced a loss on the stream (its {@code gap} message, reported to
     * the user already): the jump to the stream's next message is that loss and is not reported a
     * second time. No effect on a stream not tracked.
     */
    public void lossAnnounced(K key) {
        Stream s = streams.get(key);
        if (s != null) {
            s.lossAnnounced = true;
        }
    }

    /** Forgets a stream (the user unsubscribed): its next message is a new baseline. */
    public void forget(K key) {
        streams.remove(key);
    }

    /** Forgets every stream whose key matches. */
    public void forgetIf(Predicate<? super K> matching) {
        streams.keySet().removeIf(matching);
    }

    /** Messages dropped as duplicates or out of order so far. Any thread. */
    public long dropped() {
        return dropped;
    }

    /** The number of streams tracked. */
    public int size() {
        return streams.size();
    }

    private void accept(Stream s, long seq, long eventTime) {
        s.lastSeq = seq;
        s.lastEventTime = eventTime;
        s.connection = connection;
    }
}
