package io.tickwire.engine.ingest;

import io.tickwire.model.MarketEvent;
import java.util.function.Consumer;

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

    /**
     * Offers an event without waking the thread that processes it, for a caller that offers what
     * it has at hand (an I/O thread's read) and then calls {@link #handOver()}. An event offered
     * so and never handed over is still processed, up to 100 ms later. Default: {@link #offer}.
     */
    default boolean offerWithoutWake(MarketEvent event) {
        return offer(event);
    }

    /**
     * Gets the events this thread offered {@linkplain #offerWithoutWake without waking} going. The
     * in-process bus processes them on the calling thread when their partition's thread is parked
     * (a thread wake-up costs about 100 µs on a VM); otherwise the partition takes them as usual.
     * Default: nothing.
     */
    default void handOver() {
    }

    /**
     * Issues a receipt for the events the caller is about to offer; offer it after them with
     * {@link #offerReceipt}. {@code settled} is told its outcome once, on whichever thread settles
     * it. Default: a receipt that notes no losses.
     */
    default Receipt issueReceipt(Consumer<Receipt.Outcome> settled) {
        return new Receipt(() -> 0, settled);
    }

    /**
     * Puts a receipt behind the events the caller offered so far, without waking a partition's
     * thread: {@link #handOver()} after it. It settles {@link Receipt.Outcome#KEPT} once the engine
     * has taken them and every tap that keeps events elsewhere has kept them. Default: settles it
     * at once, on the calling thread (what this sink took, it keeps).
     */
    default void offerReceipt(Receipt receipt) {
        receipt.release();
    }
}
