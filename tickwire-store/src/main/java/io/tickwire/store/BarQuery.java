package io.tickwire.store;

import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.util.Objects;

/**
 * Which bars to read: one stream, open times in {@code [from, to)}, at most {@code limit} bars.
 * Forwards the page starts at {@code from}; {@code backwards} it ends at {@code to} (the bars just
 * before {@code to}). Either way the page is ordered oldest first.
 *
 * @param from      the earliest open time, microseconds since the epoch, inclusive
 * @param to        the latest open time, exclusive; must be after {@code from}
 * @param limit     1 to {@link #MAX_LIMIT}
 * @param backwards take the bars nearest {@code to} instead of nearest {@code from}
 */
public record BarQuery(Instrument instrument, Periodicity periodicity, PriceType priceType, long from, long to,
                       int limit, boolean backwards) {

    /** The most bars one query returns. */
    public static final int MAX_LIMIT = 1_000;

    public BarQuery {
        Objects.requireNonNull(instrument, "instrument");
        Objects.requireNonNull(periodicity, "periodicity");
        Objects.requireNonNull(priceType, "priceType");
        if (from >= to) {
            throw new IllegalArgumentException("from must be before to: " + from + " >= " + to);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
    }
}
