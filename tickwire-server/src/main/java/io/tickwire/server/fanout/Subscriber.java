package io.tickwire.server.fanout;

import java.util.List;
import io.netty.buffer.ByteBuf;

/**
 * The receiving end of fan-out: one connection. All methods are called on the connection's own
 * event loop.
 */
public interface Subscriber {

    /** Whether the subscriber still wants this stream at this generation (it may have unsubscribed since). */
    boolean wants(long streamKey, long generation);

    /**
     * Writes a frame of a stream without flushing; takes ownership of one reference to {@code frame}.
     * The same buffer goes to every subscriber of the stream on this loop: read its bytes by
     * absolute index, never move its reader or writer index, never hand it to a channel as it is.
     *
     * @param snapshot whether the frame is a snapshot (the stream's whole value) rather than an update
     * @return true if this is the first write since the last {@link #flush()}, so the caller
     *         schedules exactly one flush per subscriber and batch
     */
    boolean deliver(long streamKey, ByteBuf frame, boolean snapshot);

    /**
     * A subscription started: writes its snapshot ({@code null} when the stream has no value yet)
     * as {@link #deliver} would, taking ownership of the reference.
     *
     * @return as {@link #deliver}
     */
    default boolean activate(long streamKey, ByteBuf snapshot) {
        return snapshot != null && deliver(streamKey, snapshot, true);
    }

    /** The subscription to a stream is now in this loop's index: its frames reach the subscriber from here on. */
    default void activated(long streamKey) {
    }

    /** Flushes what {@link #deliver} wrote; called once per drained batch, or later with flush coalescing. */
    void flush();

    /** When fan-out last flushed this subscriber ({@link io.tickwire.model.Clock#monotonicNanos()}); kept for {@link FlushCoalescer}. */
    long flushedAt();

    /** Records when fan-out flushed this subscriber. */
    void flushedAt(long nanos);

    /**
     * Tells the subscriber that fan-out could not deliver every update of a stream to it; the
     * subscriber must not go on as if nothing was lost (it tells its client and resynchronises).
     */
    void lost(long streamKey);

    /**
     * The start of a subscription could not reach this loop (its outbox was full): the subscriber
     * is not receiving the stream although it asked to. Rare; the session gives up cleanly.
     */
    void activationLost(long streamKey);

    /**
     * A resuming subscription of trades missed messages the engine no longer holds
     * ({@code fromSeq}..{@code toSeq}, the first of them at or after {@code fromTs}, 0 if unknown).
     * Two subscriptions "since" a time use it too: {@code fromSeq} 0 asks for trades from
     * {@code fromTs} up to {@code toSeq}; {@code fromSeq} -1 asks for a bar stream's closed bars
     * with open times from {@code fromTs} up to {@code toSeq}, the forming bar's open time.
     * The subscriber is already in the stream's list; it must deliver, in this order, the missed
     * messages (from the history store, if it can) or else {@code gapNotice}, then {@code held}
     * (the messages the engine still held), then the live frames that follow. It owns every
     * buffer given. Default: the gap notice and the held messages.
     */
    default void resumeFromHistory(long streamKey, long fromSeq, long toSeq, long fromTs, ByteBuf gapNotice,
                                   List<ByteBuf> held) {
        if (gapNotice != null && deliver(streamKey, gapNotice, true)) {
            flush();
        }
        for (ByteBuf frame : held) {
            deliver(streamKey, frame, true);
        }
        flush();
    }

    /** A snapshot it asked for could not be given: the stream has no value yet. */
    void noSnapshot(long streamKey, String rawRequestId);

    /**
     * A snapshot a client asked for arrived after the subscriber left the stream (it unsubscribed,
     * or subscribed again since): the request is answered with an error, not left waiting.
     */
    void snapshotOfGoneStream(long streamKey, String rawRequestId);
}
