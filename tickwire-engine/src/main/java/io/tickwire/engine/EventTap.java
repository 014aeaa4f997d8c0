package io.tickwire.engine;

import io.tickwire.model.Bar;
import io.tickwire.model.MarketEvent;

/**
 * Sees every sequenced event of a partition after the engine applied it, in sequence order: the
 * way out of the engine for consumers that are not subscribers, such as the history store.
 *
 * <p>Called on the partition thread, so an implementation must not block and must be cheap: hand
 * the event to a bounded queue and return. Implementations used by several partitions must be
 * thread-safe.
 */
@FunctionalInterface
public interface EventTap {

    /** A tap that does nothing. */
    EventTap NONE = event -> { };

    /**
     * An event, with its sequence number, after the engine applied it: trades, quotes (with last
     * price and volume filled in; for instruments with a book, the quotes derived from it) and
     * book updates.
     */
    void onEvent(MarketEvent event);

    /** A bar that just closed (final). */
    default void onBar(Bar closed) {
    }
}
