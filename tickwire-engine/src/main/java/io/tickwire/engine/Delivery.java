package io.tickwire.engine;

import io.tickwire.model.MarketEvent;

/**
 * Fan-out as the engine sees it: the server implements this to turn events into wire bytes and
 * get them to subscribers.
 *
 * <p>All methods are called on the partition thread that owns the stream, in stream order, and
 * must not block: hand the work to the subscribers' event loops and return.
 */
public interface Delivery {

    /** A sequenced event of a stream with subscribers; {@code interest} lists their routes. */
    void publish(long streamKey, MarketEvent event, Interest interest);

    /**
     * A subscription starts: deliver {@code snapshot} (the stream's current value, or
     * {@code null} for streams without state such as trades) to the subscriber, and every event
     * published after this call.
     */
    void activate(EngineCommand.Subscribe subscribe, MarketEvent snapshot);

    /** The partition finished a batch; a good moment to wake event loops once instead of per event. */
    void endOfBatch();
}
