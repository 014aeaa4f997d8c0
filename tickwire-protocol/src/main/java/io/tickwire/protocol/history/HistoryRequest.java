package io.tickwire.protocol.history;

import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.util.Locale;
import java.util.Objects;

/**
 * A validated history request, in one normal form whatever way it was asked (a time range, a count
 * backwards or forwards from a time, or a cursor): rows of one symbol with times in
 * {@code [from, to)}, at most {@code limit}, taken from the {@code from} end or, {@code backwards},
 * from the {@code to} end. {@code to == }{@link #OPEN_END} means "up to now" (the server's clock
 * decides when it answers). Immutable.
 *
 * @param kind        bars, trades or quotes
 * @param symbol      as the client wrote it (the server resolves it)
 * @param periodicity the bar period; {@code null} unless bars
 * @param priceType   the bar price type; {@code null} unless bars
 * @param skip        trades and quotes only: rows at exactly {@code from} already returned by the previous page
 */
public record HistoryRequest(Kind kind, String symbol, Periodicity periodicity, PriceType priceType, long from, long to,
                             int limit, boolean backwards, int skip) {

    /** The most rows one request returns; more come by paging. */
    public static final int MAX_LIMIT = 1_000;
    /** {@code to} meaning "until now". */
    public static final long OPEN_END = Long.MAX_VALUE;

    public HistoryRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(symbol, "symbol");
        if (kind == Kind.BARS) {
            Objects.requireNonNull(periodicity, "periodicity");
            Objects.requireNonNull(priceType, "priceType");
        }
        if (from >= to || limit < 1 || limit > MAX_LIMIT || skip < 0) {
            throw new IllegalArgumentException("invalid history request: from " + from + ", to " + to + ", limit " + limit
                    + ", skip " + skip);
        }
    }

    /** The request for the page after one that ended at these bounds. */
    public HistoryRequest next(long newFrom, long newTo, int newSkip) {
        return new HistoryRequest(kind, symbol, periodicity, priceType, newFrom, newTo, limit, backwards, newSkip);
    }

    /** What a history request reads. */
    public enum Kind {
        BARS, TRADES, QUOTES;

        /** {@code bars}, {@code trades} or {@code quotes}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind with this wire name, or {@code null}. */
        public static Kind fromWire(String name) {
            for (Kind k : values()) {
                if (k.wireName().equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }
}
