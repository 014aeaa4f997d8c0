package io.tickwire.engine.ingest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mark a source puts after its events to learn when they are kept: it travels behind them through
 * every partition ({@link MarketDataSink#offerReceipt}) and through every tap that keeps events
 * elsewhere (a cluster's topic), and settles once all of them have passed it, with an
 * {@link Outcome}. A publisher tells its client how many frames are kept from it.
 *
 * <p>A receipt is issued <em>before</em> the events it covers are offered
 * ({@link MarketDataSink#issueReceipt}) and offered after them: it notes the sink's losses when issued, so
 * an event of its window lost anywhere after it was offered (a tap's queue full, Kafka refusing a record)
 * settles it {@link Outcome#LOST}. That errs on the side of loss: another source's losses in the same
 * window count too.
 *
 * <p>Thread-safe. Holds are taken and released by partition threads and taps' own threads; the
 * receipt settles exactly once, on the thread of the last release, which must not block. A
 * settling callback that throws is logged, never passed on to that thread (a partition's, a
 * producer's), which has other work to finish.
 */
public final class Receipt {

    private static final Logger LOG = LoggerFactory.getLogger(Receipt.class);

    /** How a receipt settled. */
    public enum Outcome {
        /** Every event before it was taken by the engine and kept by every tap that keeps events elsewhere. */
        KEPT,
        /** A partition's queue had no room for it: the events before it are fine, offer it again later ({@link #again}). */
        REFUSED,
        /** Events of its window may have been lost after the engine took them: send them again. */
        LOST
    }

    private final AtomicInteger holds = new AtomicInteger(1); // the issuer's, released by the offer
    private final LongSupplier losses;
    private final long lossesAtIssue;
    private final Consumer<Outcome> settled;
    private volatile boolean refused;
    private volatile boolean lost;

    /**
     * @param losses  the sink's losses so far (events its taps took and then lost), read now and when it settles
     * @param settled told the outcome, once, on the thread of the last release
     */
    public Receipt(LongSupplier losses, Consumer<Outcome> settled) {
        this(losses, losses.getAsLong(), settled);
    }

    private Receipt(LongSupplier losses, long lossesAtIssue, Consumer<Outcome> settled) {
        this.losses = losses;
        this.lossesAtIssue = lossesAtIssue;
        this.settled = settled;
    }

    /** A receipt for the same window, as issued when this one was: to offer again after {@link Outcome#REFUSED}. */
    public Receipt again() {
        return new Receipt(losses, lossesAtIssue, settled);
    }

    /** Keeps the receipt from settling until {@link #release}d: a partition or a tap has yet to pass it. */
    public void hold() {
        holds.incrementAndGet();
    }

    /** Gives up a hold; the last settles the receipt. */
    public void release() {
        if (holds.decrementAndGet() == 0) {
            Outcome outcome = lost || losses.getAsLong() != lossesAtIssue ? Outcome.LOST
                    : refused ? Outcome.REFUSED : Outcome.KEPT;
            try {
                settled.accept(outcome);
            } catch (RuntimeException e) {
                LOG.warn("a receipt's source failed to take its outcome ({})", outcome, e);
            }
        }
    }

    /** What came before it was lost (a tap could not keep it, or the receipt itself): settles {@link Outcome#LOST}. */
    public void lose() {
        lost = true;
    }

    /** A partition had no room for it: settles {@link Outcome#REFUSED}, unless lost too. */
    public void refuse() {
        refused = true;
    }
}
