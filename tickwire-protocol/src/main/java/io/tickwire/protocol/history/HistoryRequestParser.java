package io.tickwire.protocol.history;

import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.TimeText;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import java.util.function.Function;

/**
 * Turns the parameters of a history request, as text (JSON fields of the native {@code history}
 * op, or REST query parameters: the same names), into a {@link HistoryRequest}, or refuses it
 * with a stable code. Stateless and thread-safe.
 *
 * <p>Parameters: {@code kind} ({@code bars}, {@code trades}, {@code quotes}), {@code symbol},
 * {@code period} and {@code priceType} (bars; price type defaults to {@code last}), and either a
 * range {@code from} (required) / {@code to} (default now) with an optional {@code limit}
 * (1..1000, default 1000), or for bars a {@code count} (-1000..-1 backwards, 1..1000 forwards) from
 * {@code at} (backwards it defaults to now), or a {@code cursor} from a previous answer (then
 * nothing else is needed). Times: see {@link TimeText}.
 */
public final class HistoryRequestParser {

    private HistoryRequestParser() {
    }

    /**
     * Parses a request.
     *
     * @param param       the parameter with a name, or {@code null} if absent
     * @param impliedKind the kind the endpoint implies (REST paths), or {@code null} to read {@code kind}
     * @param rawId       the request id for errors, or {@code null}
     */
    public static HistoryRequest parse(Function<String, String> param, HistoryRequest.Kind impliedKind, String rawId)
            throws ProtocolException {
        String cursor = param.apply("cursor");
        if (cursor != null) {
            HistoryRequest request;
            try {
                request = HistoryCursor.decode(cursor);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ErrorCode.INVALID_CURSOR, e.getMessage(), rawId);
            }
            if (impliedKind != null && request.kind() != impliedKind) {
                throw new ProtocolException(ErrorCode.INVALID_CURSOR, "this cursor pages " + request.kind().wireName()
                        + ", not " + impliedKind.wireName(), rawId);
            }
            return request;
        }
        HistoryRequest.Kind kind = impliedKind;
        if (kind == null) {
            String k = param.apply("kind");
            kind = HistoryRequest.Kind.fromWire(k);
            if (kind == null) {
                throw invalid(k == null ? "field 'kind' is required: bars, trades or quotes"
                        : "field 'kind' must be bars, trades or quotes, not '" + shown(k) + "'", rawId);
            }
        }
        String symbol = param.apply("symbol");
        if (symbol == null || symbol.isBlank()) {
            throw invalid("field 'symbol' is required", rawId);
        }
        symbol = symbol.trim();
        Long from = time(param, "from", rawId);
        Long to = time(param, "to", rawId);
        Long at = time(param, "at", rawId);
        Integer count = integer(param, "count", rawId);
        Integer limit = integer(param, "limit", rawId);
        if (limit != null && (limit < 1 || limit > HistoryRequest.MAX_LIMIT)) {
            throw new ProtocolException(ErrorCode.COUNT_OUT_OF_RANGE, "field 'limit' must be 1.." + HistoryRequest.MAX_LIMIT
                    + ", was " + limit, rawId);
        }
        int max = limit == null ? HistoryRequest.MAX_LIMIT : limit;
        if (kind != HistoryRequest.Kind.BARS) {
            if (count != null || at != null) {
                throw invalid("'count' and 'at' are for bars; page " + kind.wireName() + " with 'from', 'to' and 'limit'", rawId);
            }
            return range(kind, symbol, null, null, from, to, max, rawId);
        }
        String periodText = param.apply("period");
        if (periodText == null) {
            throw invalid("field 'period' is required for bars: 1m 5m 15m 30m 1h 4h 1d 1w 1M", rawId);
        }
        Periodicity period = Periodicity.fromWire(periodText.trim());
        if (period == null) {
            throw invalid("unknown period '" + shown(periodText) + "'; expected 1m 5m 15m 30m 1h 4h 1d 1w 1M", rawId);
        }
        String priceText = param.apply("priceType");
        PriceType priceType = priceText == null ? PriceType.LAST : PriceType.fromWire(priceText.trim());
        if (priceType == null) {
            throw invalid("unknown priceType '" + shown(priceText) + "'; expected bid, ask or last", rawId);
        }
        if (count == null) {
            if (at != null) {
                throw invalid("'at' goes with 'count'; give a range with 'from' and 'to'", rawId);
            }
            return range(kind, symbol, period, priceType, from, to, max, rawId);
        }
        if (from != null || to != null || limit != null) {
            throw invalid("give either 'from'/'to'/'limit' or 'count'/'at', not both", rawId);
        }
        if (count == 0 || Math.abs((long) count) > HistoryRequest.MAX_LIMIT) {
            throw new ProtocolException(ErrorCode.COUNT_OUT_OF_RANGE, "field 'count' must be -" + HistoryRequest.MAX_LIMIT
                    + "..-1 (backwards) or 1.." + HistoryRequest.MAX_LIMIT + " (forwards), was " + count, rawId);
        }
        if (count < 0) {
            long end = at == null ? HistoryRequest.OPEN_END : at;
            if (end == 0) {
                throw new ProtocolException(ErrorCode.INVALID_TIME_RANGE, "nothing lies before 'at' 0", rawId);
            }
            return new HistoryRequest(kind, symbol, period, priceType, 0, end, -count, true, 0);
        }
        if (at == null) {
            throw invalid("a positive 'count' counts forwards from 'at', which is required", rawId);
        }
        return new HistoryRequest(kind, symbol, period, priceType, at, HistoryRequest.OPEN_END, count, false, 0);
    }

    private static HistoryRequest range(HistoryRequest.Kind kind, String symbol, Periodicity period, PriceType priceType,
                                        Long from, Long to, int limit, String rawId) throws ProtocolException {
        if (from == null) {
            throw invalid("field 'from' is required" + (kind == HistoryRequest.Kind.BARS ? " (or give 'count')" : ""), rawId);
        }
        long end = to == null ? HistoryRequest.OPEN_END : to;
        if (from >= end) {
            throw new ProtocolException(ErrorCode.INVALID_TIME_RANGE, "'from' (" + from + ") must be before 'to' (" + end
                    + "); the range is [from, to)", rawId);
        }
        return new HistoryRequest(kind, symbol, period, priceType, from, end, limit, false, 0);
    }

    private static Long time(Function<String, String> param, String name, String rawId) throws ProtocolException {
        String text = param.apply(name);
        if (text == null) {
            return null;
        }
        try {
            return TimeText.parseMicros(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.INVALID_TIMESTAMP, "field '" + name + "': " + e.getMessage(), rawId);
        }
    }

    private static Integer integer(Function<String, String> param, String name, String rawId) throws ProtocolException {
        String text = param.apply(name);
        if (text == null) {
            return null;
        }
        try {
            long value = Long.parseLong(text.trim()); // beyond int: saturate, so range checks name the problem
            return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, value));
        } catch (NumberFormatException e) {
            if (text.trim().matches("-?[0-9]+")) {
                return text.trim().startsWith("-") ? Integer.MIN_VALUE + 1 : Integer.MAX_VALUE;
            }
            throw invalid("field '" + name + "' must be an integer, not '" + shown(text) + "'", rawId);
        }
    }

    private static ProtocolException invalid(String message, String rawId) {
        return new ProtocolException(ErrorCode.INVALID_FIELD, message, rawId);
    }

    private static String shown(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
