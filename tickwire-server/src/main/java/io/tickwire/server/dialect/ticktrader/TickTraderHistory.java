package io.tickwire.server.dialect.ticktrader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickwire.auth.Plan;
import io.tickwire.model.Bar;
import io.tickwire.model.Decimals;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.reference.InterestRate;
import io.tickwire.model.reference.ReferenceData;
import io.tickwire.protocol.history.HistoryRequest;
import io.tickwire.protocol.history.InstrumentListing;
import io.tickwire.server.history.HistoryResult;
import io.tickwire.server.history.HistoryService;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * TickTrader's quote-history and interest-rate-history requests over {@link HistoryService} and
 * the reference data. Each method validates its {@code Params}, then answers exactly once through
 * {@code answer} on {@code loop} (the connection's event loop) with a response or an error frame.
 * The account's plan bounds quote history as it bounds feeds: a symbol outside its instrument sets
 * is refused ("Plan '…' does not include X") and left out of {@code QuoteHistorySymbols}.
 * Thread-safe: holds no state of its own.
 */
final class TickTraderHistory {

    /** The most rate records one page holds, and the default. */
    static final int MAX_PAGE = 1_000;
    static final int DEFAULT_PAGE = 100;

    private final HistoryService history;
    private final ReferenceData reference;
    private final InstrumentCatalog catalog;
    private final String version;

    /** The answer to a history request on a server without a store, in TickTrader's words. */
    static final String NOT_AVAILABLE = "Quote history is not available on this server";

    TickTraderHistory(HistoryService history, ReferenceData reference, InstrumentCatalog catalog, String version) {
        this.history = history;
        this.reference = reference;
        this.catalog = catalog;
        this.version = version;
    }

    void version(JsonNode id, Consumer<String> answer) {
        ObjectNode result = TickTraderJson.object();
        result.put("Version", version);
        answer.accept(TickTraderJson.response(id, "QuoteHistoryVersion", result));
    }

    void symbols(JsonNode id, Plan plan, Consumer<String> answer) {
        if (!history.available()) {
            answer.accept(TickTraderJson.error(id, NOT_AVAILABLE));
            return;
        }
        ArrayNode symbols = TickTraderJson.NODES.arrayNode();
        for (InstrumentListing l : history.instruments(plan).instruments()) {
            if (l.trades() != null || l.quotes() != null) {
                symbols.add(l.instrument().symbol());
            }
        }
        ObjectNode result = TickTraderJson.object();
        result.set("Symbols", symbols);
        answer.accept(TickTraderJson.response(id, "QuoteHistorySymbols", result));
    }

    void periodicities(JsonNode id, JsonNode params, Plan plan, Consumer<String> answer) {
        Instrument instrument = instrument(params);
        String refused = instrument == null ? unknownSymbol(params) : notEntitled(plan, instrument);
        if (refused != null) {
            answer.accept(TickTraderJson.error(id, refused));
            return;
        }
        ArrayNode periods = TickTraderJson.NODES.arrayNode();
        for (Periodicity p : Periodicity.values()) {
            periods.add(p.tickTraderName());
        }
        ObjectNode result = TickTraderJson.object();
        result.put("Symbol", instrument.symbol());
        result.set("Periodicities", periods);
        answer.accept(TickTraderJson.response(id, "QuoteHistoryPeriodicities", result));
    }

    void barsInfo(JsonNode id, JsonNode params, Plan plan, Consumer<String> answer) {
        String invalid = checkBarParams(params, plan);
        if (invalid != null) {
            answer.accept(TickTraderJson.error(id, invalid));
            return;
        }
        if (!history.available()) {
            answer.accept(TickTraderJson.error(id, NOT_AVAILABLE));
            return;
        }
        Instrument instrument = instrument(params);
        PriceType type = PriceType.fromWire(params.path("PriceType").asText());
        InstrumentListing.Span span = null;
        for (InstrumentListing l : history.instruments(plan).instruments()) {
            if (l.instrument().id() == instrument.id()) {
                span = type == PriceType.LAST ? l.trades() : l.quotes();
            }
        }
        ObjectNode result = TickTraderJson.object();
        result.put("Symbol", instrument.symbol());
        result.put("Periodicity", Periodicity.fromTickTrader(params.path("Periodicity").asText()).tickTraderName());
        result.put("PriceType", type.tickTraderName());
        if (span == null) {
            result.putNull("AvailableFrom");
            result.putNull("AvailableTo");
        } else {
            result.put("AvailableFrom", span.from() / 1_000);
            result.put("AvailableTo", span.to() / 1_000);
        }
        answer.accept(TickTraderJson.response(id, "QuoteHistoryBarsInfo", result));
    }

    void bars(JsonNode id, JsonNode params, Plan plan, Executor loop, Consumer<String> answer) {
        String invalid = checkBarParams(params, plan);
        if (invalid == null && !TickTraderJson.isLong(params.path("Timestamp"))) {
            invalid = "Invalid parameter 'Timestamp': milliseconds expected";
        }
        JsonNode countNode = params.path("Count");
        long count = TickTraderJson.isLong(countNode) ? countNode.asLong() : 0;
        if (invalid == null && (count == 0 || count < -1_000 || count > 1_000)) {
            invalid = "Invalid parameter 'Count': expected [-1000, -1] or [1, 1000]";
        }
        if (invalid != null) {
            answer.accept(TickTraderJson.error(id, invalid));
            return;
        }
        if (!history.available()) {
            answer.accept(TickTraderJson.error(id, NOT_AVAILABLE));
            return;
        }
        Instrument instrument = instrument(params);
        Periodicity period = Periodicity.fromTickTrader(params.path("Periodicity").asText());
        PriceType type = PriceType.fromWire(params.path("PriceType").asText());
        long timestamp = params.path("Timestamp").asLong();
        long micros = Math.max(0, Math.min(timestamp, Long.MAX_VALUE / 1_000 - 1)) * 1_000;
        HistoryRequest request = count > 0
                ? new HistoryRequest(HistoryRequest.Kind.BARS, instrument.symbol(), period, type, micros,
                        HistoryRequest.OPEN_END, (int) count, false, 0)
                : new HistoryRequest(HistoryRequest.Kind.BARS, instrument.symbol(), period, type, 0, micros + 1,
                        (int) -count, true, 0);
        history.query(request, plan).thenAccept(result -> loop.execute(() -> answer.accept(switch (result) {
            case HistoryResult.Bars b -> TickTraderJson.response(id, "QuoteHistoryBars", bars(instrument, period, type,
                    timestamp, b.bars()));
            case HistoryResult.Refused r -> TickTraderJson.error(id, r.message());
            default -> TickTraderJson.error(id, "Unexpected history result");
        })));
    }

    private static JsonNode bars(Instrument instrument, Periodicity period, PriceType type, long timestamp, List<Bar> bars) {
        int ps = instrument.priceScale();
        ArrayNode out = TickTraderJson.NODES.arrayNode();
        for (Bar b : bars) {
            ObjectNode o = out.addObject();
            o.put("Time", b.openTime() / 1_000);
            o.set("Open", TickTraderJson.number(Decimals.toBigDecimal(b.open(), ps)));
            o.set("High", TickTraderJson.number(Decimals.toBigDecimal(b.high(), ps)));
            o.set("Low", TickTraderJson.number(Decimals.toBigDecimal(b.low(), ps)));
            o.set("Close", TickTraderJson.number(Decimals.toBigDecimal(b.close(), ps)));
            o.set("Volume", TickTraderJson.number(Decimals.toBigDecimal(b.volume(), instrument.sizeScale())));
        }
        ObjectNode result = TickTraderJson.object();
        result.put("Symbol", instrument.symbol());
        result.put("Periodicity", period.tickTraderName());
        result.put("PriceType", type.tickTraderName());
        result.put("From", bars.isEmpty() ? timestamp : bars.get(0).openTime() / 1_000);
        result.put("To", bars.isEmpty() ? timestamp : bars.get(bars.size() - 1).openTime() / 1_000);
        result.set("Bars", out);
        return result;
    }

    void interestRates(JsonNode id, JsonNode params, Consumer<String> answer) {
        String currency = params.path("Currency").isTextual() ? params.get("Currency").asText().toUpperCase(Locale.ROOT) : null;
        if (currency == null || reference.currencies().stream().noneMatch(c -> c.name().equals(currency))) {
            answer.accept(TickTraderJson.error(id, currency == null ? "Invalid parameter 'Currency'"
                    : "Currency '" + currency + "' not found"));
            return;
        }
        String invalid = null;
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        String direction = params.path("RequestDirection").asText("Forward");
        int size = DEFAULT_PAGE;
        long lastId = -1;
        if (params.has("TimestampFrom")) {
            invalid = TickTraderJson.isLong(params.get("TimestampFrom")) ? null : "Invalid parameter 'TimestampFrom'";
            from = params.get("TimestampFrom").asLong();
        }
        if (invalid == null && params.has("TimestampTo")) {
            invalid = TickTraderJson.isLong(params.get("TimestampTo")) ? null : "Invalid parameter 'TimestampTo'";
            to = params.get("TimestampTo").asLong();
        }
        if (invalid == null && !direction.equals("Forward") && !direction.equals("Backward")) {
            invalid = "Invalid parameter 'RequestDirection': expected \"Forward\" or \"Backward\"";
        }
        if (invalid == null && params.has("RequestPageSize")) {
            JsonNode n = params.get("RequestPageSize");
            size = TickTraderJson.isInt(n) ? n.asInt() : 0;
            invalid = size >= 1 && size <= MAX_PAGE ? null : "Invalid parameter 'RequestPageSize': expected 1 to " + MAX_PAGE;
        }
        if (invalid == null && params.has("RequestLastId") && !params.get("RequestLastId").isNull()) {
            JsonNode n = params.get("RequestLastId");
            invalid = TickTraderJson.isLong(n) || n.isTextual() && n.asText().matches("\\d{1,18}")
                    ? null : "Invalid parameter 'RequestLastId'";
            lastId = invalid != null ? -1 : n.isTextual() ? Long.parseLong(n.asText()) : n.asLong();
        }
        if (invalid != null) {
            answer.accept(TickTraderJson.error(id, invalid));
            return;
        }
        boolean forward = direction.equals("Forward");
        List<InterestRate> page = new ArrayList<>();
        List<InterestRate> all = reference.interestRates();
        for (int k = 0; k < all.size() && page.size() < size; k++) {
            InterestRate r = all.get(forward ? k : all.size() - 1 - k);
            if (r.currency().equals(currency) && r.timestampMillis() >= from && r.timestampMillis() <= to
                    && (lastId < 0 || (forward ? r.id() > lastId : r.id() < lastId))) {
                page.add(r);
            }
        }
        ArrayNode rates = TickTraderJson.NODES.arrayNode();
        for (InterestRate r : page) {
            rates.addObject().put("Id", r.id()).put("Currency", r.currency()).put("Timestamp", r.timestampMillis())
                    .set("Rate", TickTraderJson.number(r.rate()));
        }
        ObjectNode result = TickTraderJson.object();
        result.put("Currency", currency);
        result.put("RequestDirection", direction);
        result.set("InterestRates", rates);
        if (page.isEmpty()) {
            result.putNull("LastId");
        } else {
            result.put("LastId", page.get(page.size() - 1).id());
        }
        answer.accept(TickTraderJson.response(id, "InterestRateHistory", result));
    }

    /**
     * The reason {@code Symbol}, {@code Periodicity} and {@code PriceType} are not valid, or the
     * plan does not include the symbol; {@code null} if none.
     */
    private String checkBarParams(JsonNode params, Plan plan) {
        Instrument instrument = instrument(params);
        if (instrument == null) {
            return unknownSymbol(params);
        }
        String refused = notEntitled(plan, instrument);
        if (refused != null) {
            return refused;
        }
        if (Periodicity.fromTickTrader(params.path("Periodicity").asText("")) == null) {
            return "Invalid parameter 'Periodicity': expected one of M1, M5, M15, M30, H1, H4, D1, W1, MN1";
        }
        PriceType type = PriceType.fromWire(params.path("PriceType").asText(""));
        if (type != PriceType.BID && type != PriceType.ASK) {
            return "Invalid parameter 'PriceType': expected \"Bid\" or \"Ask\"";
        }
        return null;
    }

    private Instrument instrument(JsonNode params) {
        String symbol = params.path("Symbol").asText("");
        return symbol.isEmpty() || symbol.length() > 32 ? null : catalog.find(symbol);
    }

    /** Why the plan refuses the instrument, in the words of a refused feed subscription; {@code null} if it does not. */
    private static String notEntitled(Plan plan, Instrument instrument) {
        return plan.entitles(instrument.assetClass()) ? null
                : "Plan '" + plan.name() + "' does not include " + instrument.symbol();
    }

    private static String unknownSymbol(JsonNode params) {
        String symbol = params.path("Symbol").asText("");
        return symbol.isEmpty() ? "Invalid parameter 'Symbol'" : "Symbol '" + (symbol.length() > 32 ? symbol.substring(0, 32)
                : symbol) + "' not found";
    }

}
