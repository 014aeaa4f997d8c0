package io.tickwire.server.dialect.ticktrader;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.LongHashSet;

/**
 * A FeedSubscribe whose response waits for its streams' first snapshots: the response holds them
 * ({@code Snapshot}), and updates of its streams that arrive before the last snapshot are held so
 * that, as the seed says, notifications start after the response.
 *
 * <p>Confined to the connection's event loop. Holds at most {@link #MAX_HELD} frames; beyond that
 * the response goes out with the snapshots it has.
 */
final class PendingFeedSubscribe {

    static final int MAX_HELD = 1_024;

    final JsonNode id;
    private final LongHashSet awaiting = new LongHashSet();
    private final LongHashSet streams = new LongHashSet();
    final List<String> snapshots = new ArrayList<>();
    final ArrayDeque<ByteBuf> held = new ArrayDeque<>();

    PendingFeedSubscribe(JsonNode id, List<Long> keys) {
        this.id = id;
        for (long key : keys) {
            awaiting.add(key);
            streams.add(key);
        }
    }

    boolean awaits(long key) {
        return awaiting.contains(key);
    }

    boolean covers(long key) {
        return streams.contains(key);
    }

    /** A stream's snapshot arrived ({@code result} null if it had no value). */
    void arrived(long key, String result) {
        awaiting.remove(key);
        if (result != null) {
            snapshots.add(result);
        }
    }

    boolean complete() {
        return awaiting.isEmpty() || held.size() >= MAX_HELD;
    }

    /** Releases held frames not sent (the connection closed first). */
    void release() {
        ByteBuf frame;
        while ((frame = held.poll()) != null) {
            frame.release();
        }
    }
}
