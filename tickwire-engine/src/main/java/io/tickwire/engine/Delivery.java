package io.tickwire.engine;

import io.tickwire.model.StreamMessage;

/**
 * Fan-out as the engine sees it: the server implements this to turn stream messages into wire
 * bytes and get them to subscribers.
 *
 * <p>All methods are called on the partition thread that owns the stream, in stream order, and
 * must not block: hand the work to the subscribers' event loops and return.
 */
public interface Delivery {

    /**
     * A message of a stream with subscribers; {@code interest} lists their routes.
     *
     * @param prevSeq the {@code seq} of the stream's previous message for throttled and book
     *                streams (so a client can tell a conflated jump from a loss), or -1 for
     *                full-rate streams, where {@code seq} itself counts by one
     */
    void publish(long streamKey, StreamMessage message, long prevSeq, Interest interest);

    /**
     * A subscription starts: deliver {@code snapshot} (the stream's current value, or
     * {@code null} for streams without state such as trades) to the subscriber, and every message
     * published after this call.
     */
    void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot);

    /** The answer to a snapshot request: the stream's current value, or {@code null} if it has none yet. */
    void snapshot(EngineCommand.Snapshot request, StreamMessage snapshot);

    /** The partition finished a batch; a good moment to wake event loops once instead of per event. */
    void endOfBatch();

    /**
     * Called while the partition has nothing else to do: retries work a full queue refused earlier.
     *
     * @return whether work is still pending (the partition then checks again soon instead of parking)
     */
    default boolean retryPending() {
        return false;
    }
}
