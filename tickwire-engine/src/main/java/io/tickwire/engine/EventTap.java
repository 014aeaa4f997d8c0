package io.tickwire.engine;

import io.tickwire.model.Bar;
import io.tickwire.engine.ingest.Receipt;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.MarketEvent;

/**
 * Sees every sequenced event of a partition after the engine applied it, in sequence order: the
 * way out of the engine for consumers that are not subscribers, such as the history store.
 *
 * <p>Called by whichever thread runs the partition's batch (its own thread, or a publisher's I/O
 * thread handing over), one at a time; an implementation must not block and must be cheap: hand
 * the event to a bounded queue and return. It may not rely on the calling thread's identity, and
 * implementations used by several partitions must be thread-safe.
 */
@FunctionalInterface
public interface EventTap {

    /** A tap that does nothing. */
    EventTap NONE = event -> { };

    /** A tap showing everything to {@code first}, then to {@code second}. */
    static EventTap both(EventTap first, EventTap second) {
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return new EventTap() {
            @Override
            public void onEvent(MarketEvent event) {
                first.onEvent(event);
                second.onEvent(event);
            }

            @Override
            public void onClosedBar(Bar bar) {
                first.onClosedBar(bar);
                second.onClosedBar(bar);
            }

            @Override
            public void onBookSnapshot(BookSnapshot snapshot) {
                first.onBookSnapshot(snapshot);
                second.onBookSnapshot(snapshot);
            }

            @Override
            public void onInstrumentState(InstrumentState state) {
                first.onInstrumentState(state);
                second.onInstrumentState(state);
            }

            @Override
            public boolean keepsElsewhere() {
                return first.keepsElsewhere() || second.keepsElsewhere();
            }

            @Override
            public void onReceipt(Receipt receipt) {
                first.onReceipt(receipt);
                second.onReceipt(receipt);
            }

            @Override
            public long losses() {
                return first.losses() + second.losses();
            }
        };
    }

    /**
     * An event, with its sequence number, after the engine applied it: trades, quotes (with last
     * price and volume filled in; for instruments with a book, the quotes derived from it; on a
     * cluster gateway, also a quiet instrument's last quote it takes as state) and book updates.
     */
    void onEvent(MarketEvent event);

    /**
     * A bar the engine has just closed (its period ended), as it was sent to subscribers. The
     * history store takes these to serve bars exactly as they were streamed. Default: ignored.
     */
    default void onClosedBar(Bar bar) {
    }

    /**
     * An instrument's whole book (up to its maximum depth), at most once per
     * {@link io.tickwire.engine.PartitionEngine#BOOK_SNAPSHOT_INTERVAL_MICROS} of event time, taken
     * right after the book update it carries the sequence number of. The arrays are the tap's to
     * keep. Default: ignored.
     */
    default void onBookSnapshot(BookSnapshot snapshot) {
    }

    /**
     * An instrument's state when asked for ({@link EngineCommand.TapState}), after the events
     * before the request and before those after it: its bars, last quote and last numbers. The
     * tap's to keep. Default: ignored.
     */
    default void onInstrumentState(InstrumentState state) {
    }

    /**
     * Whether this tap keeps events somewhere a publisher's count depends on (a cluster's topic):
     * then receipts travel through the partitions to {@link #onReceipt}; otherwise a receipt settles
     * as soon as it is offered. Default: {@code false}.
     */
    default boolean keepsElsewhere() {
        return false;
    }

    /**
     * A receipt a source put behind its events, after the events of this partition before it: a
     * tap that keeps events elsewhere {@linkplain Receipt#hold holds} it until it has kept them, or
     * {@linkplain Receipt#lose loses} it. Default: ignored.
     */
    default void onReceipt(Receipt receipt) {
    }

    /**
     * Events this tap took and then lost (a full queue, a refused record), so far: a receipt whose
     * window saw any settles as lost. Default: 0.
     */
    default long losses() {
        return 0;
    }
}
