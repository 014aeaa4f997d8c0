package io.tickwire.server.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.tickwire.engine.ingest.Ingest;
import io.tickwire.model.Clock;
import io.tickwire.model.Decimals;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Reads publish frames: one event object, or an array of them, per text frame. An event is
 * {@code {"op":"trade","symbol","price","size","side","ts","tradeId"}} or
 * {@code {"op":"quote","symbol","bid","bidSize","ask","askSize","last","volume","ts"}}; prices and
 * sizes are decimal strings or numbers with at most the instrument's places.
 *
 * <p>A frame is read whole before any of its events is handed on, so a bad frame publishes
 * nothing. Not thread-safe: one reader per connection.
 */
final class PublishReader {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * How far ahead of the server's clock an event time may be: a trade stamped in the future would
     * open a bar there, and every later trade would count into it as late.
     */
    static final long MAX_AHEAD_MICROS = 60_000_000;
    /**
     * How far behind the server's clock an event time may be: a live publisher's events are
     * minutes old at most, while a {@code ts} of 1 (1970) would open a bar decades back and move
     * the instrument's history start there. Older history is loaded with {@code tickwire import}.
     */
    static final long MAX_BEHIND_MICROS = 7L * 24 * 3_600_000_000L;
    /**
     * The largest {@code tradeId} a publisher may give: 2^52. Ids the server assigns (to trades
     * without one) continue after the largest given, and every id must stay within 2^53 - 1 (exact
     * in every JSON reader); the half left above 2^52 is more ids than any feed will assign.
     */
    static final long MAX_TRADE_ID = 1L << 52;

    private final InstrumentCatalog catalog;
    private final Clock clock;
    /** The latest event time the frame being read may carry: the clock is read once per frame. */
    private long latestTs;
    /** The earliest event time (other than 0, "stamp it now") the frame being read may carry. */
    private long earliestTs;

    PublishReader(InstrumentCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Reads every event in a frame into {@code out}, in frame order. */
    int read(ByteBuf frame, java.util.List<MarketEvent> out) throws ProtocolException {
        int before = out.size();
        long now = clock.epochMicros();
        latestTs = now + MAX_AHEAD_MICROS;
        earliestTs = now - MAX_BEHIND_MICROS;
        try (JsonParser p = JSON.createParser((java.io.InputStream) new ByteBufInputStream(frame.duplicate()))) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    out.add(event(p));
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw invalid("an array of event objects expected");
                }
            } else if (first == JsonToken.START_OBJECT) {
                out.add(event(p));
            } else {
                throw invalid("an event object or an array of them expected");
            }
            if (p.nextToken() != null) {
                throw new ProtocolException(ErrorCode.MALFORMED_JSON, "one JSON value per frame: an event or an array of them", null);
            }
        } catch (IOException e) {
            while (out.size() > before) {
                out.remove(out.size() - 1);
            }
            throw new ProtocolException(ErrorCode.MALFORMED_JSON, "malformed JSON", null);
        } catch (ProtocolException e) {
            while (out.size() > before) {
                out.remove(out.size() - 1);
            }
            throw e;
        }
        return out.size() - before;
    }

    private MarketEvent event(JsonParser p) throws IOException, ProtocolException {
        Fields f = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            String text = value == JsonToken.VALUE_NULL ? null : p.getText();
            switch (name) {
                case "op" -> f.op = text;
                case "symbol" -> f.symbol = text;
                case "price" -> f.price = text;
                case "size" -> f.size = text;
                case "side" -> f.side = text;
                case "ts" -> f.ts = longValue(p, value, "ts");
                case "tradeId" -> f.tradeId = longValue(p, value, "tradeId");
                case "bid" -> f.bid = text;
                case "bidSize" -> f.bidSize = text;
                case "ask" -> f.ask = text;
                case "askSize" -> f.askSize = text;
                case "last" -> f.last = text;
                case "volume" -> f.volume = text;
                default -> { } // unknown fields are ignored, as in every native request
            }
        }
        if (f.symbol == null) {
            throw invalid("symbol is required");
        }
        Instrument instrument = catalog.find(f.symbol);
        if (instrument == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_SYMBOL, "unknown symbol '" + f.symbol + "'", null);
        }
        if (f.ts < 0) {
            throw invalid("ts must be microseconds since the epoch");
        }
        if (f.ts > latestTs) {
            throw invalid("ts " + f.ts + " is more than " + MAX_AHEAD_MICROS / 1_000_000 + " s ahead of the server's clock ("
                    + (latestTs - MAX_AHEAD_MICROS) + " µs); ts is in microseconds since the epoch");
        }
        if (f.ts != 0 && f.ts < earliestTs) {
            throw invalid("ts " + f.ts + " is more than " + MAX_BEHIND_MICROS / 86_400_000_000L + " days behind the server's"
                    + " clock (" + (earliestTs + MAX_BEHIND_MICROS) + " µs); ts is in microseconds since the epoch,"
                    + " and older history is loaded with 'tickwire import'");
        }
        if (f.tradeId < 0 || f.tradeId > MAX_TRADE_ID) {
            throw invalid("tradeId must be between 0 and " + MAX_TRADE_ID);
        }
        int ps = instrument.priceScale();
        int ss = instrument.sizeScale();
        if ("trade".equals(f.op)) {
            Side side = f.side == null ? null : Side.fromWire(f.side);
            if (side == null) {
                throw invalid("side must be buy or sell");
            }
            return valid(new Trade(instrument.id(), 0, f.ts, decimal(f.price, ps, "price"), decimal(f.size, ss, "size"), side,
                    f.tradeId));
        }
        if ("quote".equals(f.op)) {
            return valid(new Quote(instrument.id(), 0, f.ts, decimal(f.bid, ps, "bid"), decimal(f.bidSize, ss, "bidSize"),
                    decimal(f.ask, ps, "ask"), decimal(f.askSize, ss, "askSize"), optional(f.last, ps, "last"),
                    optional(f.volume, ss, "volume")));
        }
        throw new ProtocolException(ErrorCode.UNKNOWN_OP, "op must be trade or quote", null);
    }

    /** The event, if ingest would take it; else the reason, as the sender's error (ingest would drop it silently). */
    private static MarketEvent valid(MarketEvent event) throws ProtocolException {
        String reason = Ingest.invalidReason(event);
        if (reason != null) {
            throw invalid(reason);
        }
        return event;
    }

    private static long longValue(JsonParser p, JsonToken value, String field) throws IOException, ProtocolException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw invalid(field + " must be an integer");
        }
        return p.getLongValue();
    }

    private static long optional(String text, int scale, String field) throws ProtocolException {
        return text == null ? 0 : decimal(text, scale, field);
    }

    private static long decimal(String text, int scale, String field) throws ProtocolException {
        if (text == null) {
            throw invalid(field + " is required");
        }
        try {
            return Decimals.parse(text, scale);
        } catch (NumberFormatException e) {
            throw invalid(field + ": " + e.getMessage());
        }
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_FIELD, message, null);
    }

    /** The fields of one event as read, before they are checked. */
    private static final class Fields {
        String op;
        String symbol;
        String price;
        String size;
        String side;
        long ts;
        long tradeId;
        String bid;
        String bidSize;
        String ask;
        String askSize;
        String last;
        String volume;
    }
}
