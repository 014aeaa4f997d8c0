package io.tickwire.engine.ingest;

import io.tickwire.model.MarketEvent;

/**
 * Where sources hand in events. Events carry no sequence number yet ({@code seq == 0}); ingest
 * assigns it.
 *
 * <p>Implementations are thread-safe. Back-pressure is a return value: {@code false} means the
 * event was not taken (the owning partition's queue is full) and the source decides whether to
 * retry, wait or drop and count.
 */
@FunctionalInterface
public interface MarketDataSink {

    /** Offers an event; {@code false} if it was not taken. */
    boolean offer(MarketEvent event);
}
