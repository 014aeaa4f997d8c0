package io.tickwire.bench.load;

/**
 * The loss and order check of one subscriber: per symbol, the publisher's counter must go
 * 1, 2, 3, … with nothing missing and nothing repeated or reordered. Messages sent before the
 * subscriber was counted as subscribed do not exist for it: the publisher starts only when every
 * subscriber is subscribed. Messages of an earlier run (stamped before this run began) are
 * counted apart and checked no further.
 *
 * <p>Confined to the subscriber's event loop while the run lasts; read by the run once the
 * event loop has been quiesced (the counters are then only read).
 */
final class StreamCheck {

    private final long[] last;
    private long received;
    private long lost;
    private long outOfOrder;
    private long earlierRun;
    /** The first irregularity seen, for the report: which symbol, what was expected, what came. */
    private String firstIrregularity;

    StreamCheck(int symbols) {
        this.last = new long[symbols];
    }

    /** Checks trade {@code n} of symbol {@code symbol}. */
    void accept(int symbol, long n) {
        received++;
        long expected = last[symbol] + 1;
        if (n == expected) {
            last[symbol] = n;
        } else if (n > expected) {
            lost += n - expected;
            last[symbol] = n;
            note(symbol, expected, n);
        } else {
            outOfOrder++;
            note(symbol, expected, n);
        }
    }

    /** A message of an earlier run arrived: not this run's, so neither a gap nor out of order. */
    void earlierRun() {
        earlierRun++;
    }

    /** Messages of an earlier run received. */
    long fromEarlierRun() {
        return earlierRun;
    }

    long received() {
        return received;
    }

    /** Gaps seen, plus what is still missing at the end given how many of each symbol were published. */
    long lost(long[] publishedPerSymbol, int[] subscribed) {
        long missing = lost;
        for (int s : subscribed) {
            missing += Math.max(0, publishedPerSymbol[s] - last[s]);
        }
        return missing;
    }

    private void note(int symbol, long expected, long got) {
        if (firstIrregularity == null) {
            firstIrregularity = "symbol #" + symbol + ": expected " + expected + ", got " + got + " (after " + received
                    + " received)";
        }
    }

    /** The first gap or reordering, or what is missing at the end, or {@code null} if all is well. */
    String firstIrregularity(long[] publishedPerSymbol, int[] subscribed) {
        if (firstIrregularity != null) {
            return firstIrregularity;
        }
        for (int s : subscribed) {
            if (last[s] < publishedPerSymbol[s]) {
                return "symbol #" + s + ": ends at " + last[s] + " of " + publishedPerSymbol[s] + " published";
            }
        }
        return null;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    /** Whether this subscriber has everything published of its symbols. */
    boolean complete(long[] publishedPerSymbol, int[] subscribed) {
        for (int s : subscribed) {
            if (last[s] < publishedPerSymbol[s]) {
                return false;
            }
        }
        return true;
    }
}
