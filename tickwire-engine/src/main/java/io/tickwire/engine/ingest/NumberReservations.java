package io.tickwire.engine.ingest;

/**
 * Keeps the numbers a server hands out (trade and quote sequence numbers, trade ids) durably ahead
 * of use, so that a server killed before its store committed its last events never hands the same
 * numbers out again after a restart: it continues past what was reserved instead of past what was
 * stored. {@link Ingest} tells it what it has handed out; it answers when to tell it again.
 *
 * <p>Called on partition threads: implementations must not block or allocate, and live data never
 * waits for the disk (a reservation that cannot be written in time is logged, not waited for).
 */
public interface NumberReservations {

    /** A counter's kind: a trade stream's sequence number. */
    int TRADE_SEQ = 0;
    /** A counter's kind: a quote stream's sequence number. */
    int QUOTE_SEQ = 1;
    /** A counter's kind: an instrument's trade ids. */
    int TRADE_ID = 2;
    /** Counters per instrument. */
    int KINDS = 3;

    /** Nothing reserved or needed (no store, or a replay, which keeps its source's numbers). */
    NumberReservations NONE = (counter, handedOut) -> Long.MAX_VALUE;

    /** The index of an instrument's counter of a kind. */
    static int counter(int instrumentId, int kind) {
        return instrumentId * KINDS + kind;
    }

    /**
     * A counter has handed out numbers up to {@code handedOut}; reserve further ahead if needed.
     *
     * @return the number from which to call again
     */
    long handedOut(int counter, long handedOut);
}
