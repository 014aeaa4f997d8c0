package io.tickwire.client.internal;

import io.tickwire.model.Channel;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks the sequence numbers of every stream (symbol and channel) against the last one accepted.
 *
 * <ul>
 *   <li>{@code seq == last + 1}: in order.
 *   <li>{@code seq > last + 1}: a gap; the message is accepted and becomes the new baseline.
 *   <li>{@code seq <= last}: a duplicate or out of order; dropped and counted — except as the
 *       stream's first message on a new connection with a later event time than the last one
 *       accepted, which means the server's numbering restarted (a gap with
 *       {@code received < expected}; the new numbering is adopted).
 *   <li>A snapshot always replaces the baseline without a gap: it is the current value, not a
 *       change.
 *   <li>A stream's first message ever is the baseline.
 * </ul>
 *
 * <p>State survives reconnects (call {@link #newConnection()} on each), so messages missed while
 * disconnected show up as a gap. Memory is one entry per stream ever tracked until
 * {@link #forget}.
 *
 * <p>Not thread-safe: confined to the client's I/O thread, apart from {@link #dropped()}.
 */
public final class SequenceTracker {

    /** What to do with a message. */
    public enum Verdict {
        /** Deliver it. */
        DELIVER,
        /** Report {@link #gap()} first, then deliver it. */
        GAP,
        /** Do not deliver it: seen before or out of order. */
        DROP
    }

    /** A gap found by {@link #track}. */
    public record Gap(long expected, long received) {
    }

    private static final class Stream {
        long lastSeq;
        long lastEventTime;
        int connection;
    }

    private final Map<Channel, Map<String, Stream>> streams = new EnumMap<>(Channel.class);
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
     * @param eventTime the message's event time (any monotonic unit), used to tell a restarted
     *                  numbering from a replayed message
     */
    public Verdict track(String symbol, Channel channel, long seq, long eventTime, boolean snapshot) {
        Map<String, Stream> bySymbol = streams.computeIfAbsent(channel, c -> new HashMap<>());
        Stream s = bySymbol.get(symbol);
        if (s == null) {
            s = new Stream();
            bySymbol.put(symbol, s);
            accept(s, seq, eventTime);
            return Verdict.DELIVER;
        }
        boolean firstOnConnection = s.connection != connection;
        s.connection = connection;
        long expected = s.lastSeq + 1;
        if (snapshot || seq == expected) {
            accept(s, seq, eventTime);
            return Verdict.DELIVER;
        }
        if (seq > expected || (firstOnConnection && eventTime > s.lastEventTime)) {
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

    /** Forgets a stream (the user unsubscribed); the symbol's case is ignored. */
    public void forget(String symbol, Channel channel) {
        Map<String, Stream> bySymbol = streams.get(channel);
        if (bySymbol != null && bySymbol.remove(symbol) == null) {
            bySymbol.keySet().removeIf(s -> s.equalsIgnoreCase(symbol));
        }
    }

    /** Messages dropped as duplicates or out of order so far. Any thread. */
    public long dropped() {
        return dropped;
    }

    /** The number of streams tracked. */
    public int size() {
        int n = 0;
        for (Map<String, Stream> bySymbol : streams.values()) {
            n += bySymbol.size();
        }
        return n;
    }

    private void accept(Stream s, long seq, long eventTime) {
        s.lastSeq = seq;
        s.lastEventTime = eventTime;
        s.connection = connection;
    }
}
