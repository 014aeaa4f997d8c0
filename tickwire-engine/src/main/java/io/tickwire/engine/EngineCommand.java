package io.tickwire.engine;

/**
 * A request from a session to the partition that owns a stream. Commands from one session
 * arrive in the order it submitted them.
 */
public sealed interface EngineCommand {

    /** The stream the command is about; decides the partition. */
    long streamKey();

    /**
     * Start delivering a stream to a subscriber. The engine answers with
     * {@link Delivery#activate} carrying the current value (if the stream has state), ordered
     * before every later event of the stream on the subscriber's route.
     *
     * @param subscriber opaque to the engine: the server's session
     * @param generation lets the server ignore an activation it has since unsubscribed
     */
    record Subscribe(long streamKey, int route, Object subscriber, long generation) implements EngineCommand {
    }

    /** One subscriber of a route no longer wants a stream. */
    record Unsubscribe(long streamKey, int route) implements EngineCommand {
    }

    /**
     * A subscriber asks for the current value of a stream it is subscribed to; the engine answers
     * with {@link Delivery#snapshot}, ordered with the stream's updates.
     *
     * @param requestId the client's request id as raw JSON, or {@code null} (for resynchronisation after a loss)
     */
    record Snapshot(long streamKey, int route, Object subscriber, long generation, String requestId)
            implements EngineCommand {
    }
}
