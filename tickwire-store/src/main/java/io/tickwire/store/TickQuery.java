package io.tickwire.store;

import io.tickwire.model.Instrument;
import java.util.Objects;

/**
 * Which trades or quotes to read: one instrument, event times in {@code [from, to)}, skipping the
 * first {@code skip} rows stamped exactly {@code from} (they were on the previous page), at most
 * {@code limit} rows.
 *
 * @param from  the earliest event time, microseconds since the epoch, inclusive
 * @param to    the latest event time, exclusive; must be after {@code from}
 * @param skip  rows at exactly {@code from} already returned by the previous page, {@code >= 0}
 * @param limit 1 to {@link #MAX_LIMIT}
 */
public record TickQuery(Instrument instrument, long from, long to, int skip, int limit) {

    /** The most rows one query returns. */
    public static final int MAX_LIMIT = 1_000;

    public TickQuery {
        Objects.requireNonNull(instrument, "instrument");
        if (from >= to) {
            throw new IllegalArgumentException("from must be before to: " + from + " >= " + to);
        }
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0, was " + skip);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
    }
}
