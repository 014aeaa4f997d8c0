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
     * @param subscriber  opaque to the engine: the server's session
     * @param generation  lets the server ignore an activation it has since unsubscribed
     * @param resumeAfter the last sequence number the subscriber saw of this stream before it
     *                    reconnected, or {@link #NO_RESUME}: the engine then answers with
     *                    {@link Delivery#activate(Subscribe, io.tickwire.model.StreamMessage,
     *                    io.tickwire.engine.resume.Resume)}
     * @param resumeTs    the event time of that message, microseconds (0 if unknown): where the
     *                    server looks in its history for trades older than the engine holds
     */
    record Subscribe(long streamKey, int route, Object subscriber, long generation, long resumeAfter, long resumeTs)
            implements EngineCommand {

        /** {@code resumeAfter} of a plain subscription. */
        public static final long NO_RESUME = -1;
        /** {@code resumeAfter} of a subscription that wants every trade from event time {@code resumeTs} on, then live. */
        public static final long SINCE_TIME = -2;

        /** A plain subscription: the current value, then live. */
        public Subscribe(long streamKey, int route, Object subscriber, long generation) {
            this(streamKey, route, subscriber, generation, NO_RESUME, 0);
        }

        public boolean resuming() {
            return resumeAfter != NO_RESUME;
        }
    }

    /** One subscriber of a route no longer wants a stream. */
    record Unsubscribe(long streamKey, int route) implements EngineCommand {
    }

    /**
     * A subscriber asks for the current value of a stream it is subscribed to; the engine answers
     * with {@link Delivery#snapshot}, ordered with the stream's updates.
     *
     * @param requestId the client's request id as raw JSON, or {@code null} (a request without one, or a resynchronisation)
     * @param resync     whether the subscriber asks for itself, to resynchronise after a loss, rather than for a
     *                   client that waits for an answer (which it is owed even if the stream goes meanwhile)
     */
    record Snapshot(long streamKey, int route, Object subscriber, long generation, String requestId, boolean resync)
            implements EngineCommand {
    }

    /**
     * State to take over without treating it as market activity: a quiet instrument's last quote
     * or book picture, sent again by a cluster's ingest node for gateways started since. It becomes
     * the instrument's last quote or book (subscribers get it) but forms no bar and moves neither
     * the market clock nor the stale status. Carries its number like any event of a gateway.
     */
    record Seed(io.tickwire.model.MarketEvent state) implements EngineCommand {
        @Override
        public long streamKey() {
            return StreamKey.of(state.instrumentId(), state.channel());
        }
    }

    /**
     * Show the tap the state of an instrument ({@link EventTap#onInstrumentState}: its bars and last
     * quote), in order with its events: a cluster's ingest node asks for every instrument now and
     * then, for gateways that start later. Nothing happens for an instrument with neither. With an
     * {@code answer}, the state goes there instead (on the partition's thread), {@code null} for an
     * instrument with neither: a standby taking over as the ingest node keeps its bars so.
     */
    record TapState(int instrumentId, java.util.function.Consumer<InstrumentState> answer) implements EngineCommand {

        /** The state shown to the tap. */
        public TapState(int instrumentId) {
            this(instrumentId, null);
        }

        @Override
        public long streamKey() {
            return StreamKey.of(instrumentId, io.tickwire.model.Channel.TRADE);
        }
    }

    /**
     * Take over an instrument's bar state from another engine (a cluster gateway, once, as it
     * starts): its bars become those, whatever this engine built; subscribers of its bars get them.
     * {@code applied} runs on the partition's thread right after.
     */
    record TakeBarState(io.tickwire.engine.bar.BarState state, Runnable applied) implements EngineCommand {
        @Override
        public long streamKey() {
            return StreamKey.of(state.instrumentId(), io.tickwire.model.Channel.TRADE);
        }
    }
}
