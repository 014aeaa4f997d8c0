package io.tickwire.engine;

import io.tickwire.engine.resume.Resume;
import io.tickwire.model.StreamMessage;

/**
 * Fan-out as the engine sees it: the server implements this to turn stream messages into wire
 * bytes and get them to subscribers.
 *
 * <p>All methods are called by whichever thread runs the owning partition's batch (the partition's
 * own thread, or a publisher's I/O thread handing over while it is parked), one thread at a time
 * and in stream order, each call seeing the previous ones' writes; they must not block: hand the
 * work to the subscribers' event loops and return.
 */
public interface Delivery {

    /** A delivery that sends nothing: an engine without subscribers (a tool, a test of what it taps). */
    Delivery NONE = new Delivery() {
        @Override
        public void publish(long streamKey, StreamMessage message, long prevSeq, Interest interest) {
        }

        @Override
        public void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot) {
        }

        @Override
        public void snapshot(EngineCommand.Snapshot request, StreamMessage snapshot) {
        }

        @Override
        public void endOfBatch() {
        }
    };

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

    /**
     * A subscription that asked to resume starts: deliver what {@code resume} says (the missed
     * messages, or {@code snapshot} when it is {@link Resume.Mode#SNAPSHOT}), then every message
     * published after this call. Default: a plain activation with the snapshot, for deliveries
     * that do not resume.
     */
    default void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot, Resume resume) {
        activate(subscribe, resume.mode() == Resume.Mode.SNAPSHOT ? snapshot : null);
    }

    /**
     * An instrument's source went quiet ({@code live == false}: no event for the stale threshold)
     * or came back; {@code interest} lists the routes of one of its subscribed streams, called
     * once per such stream. Default: ignored.
     *
     * @param lastEventTime the event time of the instrument's last event, microseconds (0 if none)
     */
    default void status(long streamKey, boolean live, long lastEventTime, Interest interest) {
    }

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
