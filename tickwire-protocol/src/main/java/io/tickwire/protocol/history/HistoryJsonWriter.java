package io.tickwire.protocol.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tickwire.model.Bar;
import io.tickwire.model.Decimals;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ByteSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes history answers as JSON: the native protocol's {@code history} and {@code instruments}
 * messages, which are also the REST bodies (without {@code id}). Prices and sizes are exact
 * decimals with the instrument's places, as in live messages; times are microseconds.
 *
 * <p>Not thread-safe: each encoding thread owns one writer. Each method writes one message,
 * replacing the previous one in {@link #sink()}.
 */
public final class HistoryJsonWriter {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final ByteSink sink = new ByteSink(4_096);
    private final char[] digits = new char[32];

    /** The last message written. */
    public ByteSink sink() {
        return sink;
    }

    /** A page of bars. {@code rawId} is the request id as raw JSON, or {@code null}; {@code next} may be {@code null}. */
    public ByteSink bars(String rawId, Instrument instrument, HistoryRequest request, List<Bar> bars, String next) {
        int ps = instrument.priceScale();
        return page(rawId, instrument, request, g -> {
            g.writeStringField("period", request.periodicity().wireName());
            g.writeStringField("priceType", request.priceType().wireName());
        }, "bars", bars, next, (g, b) -> {
            g.writeNumberField("time", b.openTime());
            decimal(g, "open", b.open(), ps);
            decimal(g, "high", b.high(), ps);
            decimal(g, "low", b.low(), ps);
            decimal(g, "close", b.close(), ps);
            decimal(g, "volume", b.volume(), instrument.sizeScale());
            g.writeNumberField("trades", b.trades());
        });
    }

    /** A page of trades. */
    public ByteSink trades(String rawId, Instrument instrument, HistoryRequest request, List<Trade> trades, String next) {
        return page(rawId, instrument, request, g -> { }, "trades", trades, next, (g, t) -> {
            g.writeNumberField("ts", t.eventTime());
            g.writeNumberField("seq", t.seq());
            decimal(g, "price", t.price(), instrument.priceScale());
            decimal(g, "size", t.size(), instrument.sizeScale());
            g.writeStringField("side", t.aggressor().wireName());
            g.writeNumberField("tradeId", t.tradeId());
        });
    }

    /** A page of quotes. */
    public ByteSink quotes(String rawId, Instrument instrument, HistoryRequest request, List<Quote> quotes, String next) {
        int ps = instrument.priceScale();
        int ss = instrument.sizeScale();
        return page(rawId, instrument, request, g -> { }, "quotes", quotes, next, (g, q) -> {
            g.writeNumberField("ts", q.eventTime());
            g.writeNumberField("seq", q.seq());
            decimal(g, "bid", q.bidPrice(), ps);
            decimal(g, "bidSize", q.bidSize(), ss);
            decimal(g, "ask", q.askPrice(), ps);
            decimal(g, "askSize", q.askSize(), ss);
            decimal(g, "last", q.lastPrice(), ps);
            decimal(g, "volume", q.volume(), ss);
        });
    }

    /** Writes fields into an object that is already open. */
    @FunctionalInterface
    private interface Fields<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    /** Writes fields that do not depend on an item. */
    @FunctionalInterface
    private interface Header {
        void write(JsonGenerator g) throws IOException;
    }

    /** A {@code history} message: its header, the scales, {@code array} with one object per item, then {@code next}. */
    private <T> ByteSink page(String rawId, Instrument instrument, HistoryRequest request, Header header, String array,
                              List<T> items, String next, Fields<T> item) {
        try (JsonGenerator g = begin(rawId, request, instrument)) {
            header.write(g);
            scales(g, instrument);
            g.writeArrayFieldStart(array);
            for (T value : items) {
                g.writeStartObject();
                item.write(g, value);
                g.writeEndObject();
            }
            g.writeEndArray();
            end(g, next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink;
    }

    /** The instrument list; {@code historyAvailable} false when the server has no readable store. */
    public ByteSink instruments(String rawId, List<InstrumentListing> listings, boolean historyAvailable) {
        sink.reset();
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
            g.writeStringField("type", "instruments");
            id(g, rawId);
            g.writeBooleanField("historyAvailable", historyAvailable);
            g.writeArrayFieldStart("instruments");
            for (InstrumentListing l : listings) {
                Instrument i = l.instrument();
                g.writeStartObject();
                g.writeStringField("symbol", i.symbol());
                g.writeStringField("assetClass", i.assetClass().wireName());
                g.writeStringField("description", i.description());
                g.writeNumberField("priceScale", i.priceScale());
                g.writeNumberField("sizeScale", i.sizeScale());
                span(g, "trades", l.trades());
                span(g, "quotes", l.quotes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink;
    }

    private static void span(JsonGenerator g, String name, InstrumentListing.Span span) throws IOException {
        if (span == null) {
            g.writeNullField(name);
            return;
        }
        g.writeObjectFieldStart(name);
        g.writeNumberField("from", span.from());
        g.writeNumberField("to", span.to());
        g.writeNumberField("count", span.count());
        g.writeEndObject();
    }

    private JsonGenerator begin(String rawId, HistoryRequest request, Instrument instrument) throws IOException {
        sink.reset();
        JsonGenerator g = generator();
        g.writeStartObject();
        g.writeStringField("type", "history");
        id(g, rawId);
        g.writeStringField("kind", request.kind().wireName());
        g.writeStringField("symbol", instrument.symbol());
        return g;
    }

    private static void scales(JsonGenerator g, Instrument instrument) throws IOException {
        g.writeNumberField("priceScale", instrument.priceScale());
        g.writeNumberField("sizeScale", instrument.sizeScale());
    }

    private static void end(JsonGenerator g, String next) throws IOException {
        if (next == null) {
            g.writeNullField("next");
        } else {
            g.writeStringField("next", next);
        }
        g.writeEndObject();
    }

    private static void id(JsonGenerator g, String rawId) throws IOException {
        if (rawId != null) {
            g.writeFieldName("id");
            g.writeRawValue(rawId);
        }
    }

    private void decimal(JsonGenerator g, String name, long scaled, int scale) throws IOException {
        g.writeFieldName(name);
        int len = Decimals.writeFixed(digits, 0, scaled, scale);
        g.writeNumber(digits, 0, len);
    }

    private JsonGenerator generator() throws IOException {
        JsonGenerator g = JSON.createGenerator(sink);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }
}
