package io.tickwire.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tickwire.client.Bar;
import io.tickwire.client.BookLevel;
import io.tickwire.client.BookResync;
import io.tickwire.client.BookView;
import io.tickwire.client.Gap;
import io.tickwire.client.Quote;
import io.tickwire.client.Trade;
import io.tickwire.model.Side;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * How {@code tickwire tail} writes what it receives: one readable line, or one JSON object per
 * line for machines (numbers exactly as the instrument's decimals, never in exponent form).
 * Stateless.
 */
final class TailText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter BAR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private TailText() {
    }

    static String readable(Quote q, TailCommand.Style s) {
        return String.format("%s %-10s quote  bid %s x %s   ask %s x %s   last %s%s", time(q.eventTimeMicros()),
                q.symbol(), plain(q.bid()), plain(q.bidSize()), plain(q.ask()), plain(q.askSize()), plain(q.last()),
                q.snapshot() ? s.dim + "   (snapshot)" + s.reset : "");
    }

    static String readable(Trade t, TailCommand.Style s) {
        boolean buy = t.side() == Side.BUY;
        return String.format("%s %-10s trade  %s%-4s%s %s @ %s   %s#%d%s", time(t.eventTimeMicros()), t.symbol(),
                buy ? s.up : s.down, buy ? "BUY" : "SELL", s.reset, plain(t.size()), plain(t.price()), s.dim, t.tradeId(), s.reset);
    }

    static String readable(Bar b, TailCommand.Style s) {
        return String.format("%s %-10s bar    %-3s %-4s %s  O %s  H %s  L %s  C %s  V %s  %d trades%s", time(b.eventTimeMicros()),
                b.symbol(), b.period().wireName(), b.priceType().wireName(), BAR_TIME.format(b.openTime()), plain(b.open()),
                plain(b.high()), plain(b.low()), plain(b.close()), plain(b.volume()), b.trades(),
                b.closed() ? "  " + s.bold + "CLOSED" + s.reset : b.snapshot() ? s.dim + "   (snapshot)" + s.reset : "");
    }

    static String describe(Gap g) {
        String stream = g.symbol() + " " + g.channel().wireName()
                + (g.period() == null ? "" : " " + g.period().wireName() + " " + g.priceType().wireName());
        if (g.announced()) {
            return "the server lost updates of " + stream + " on the way"
                    + (g.channel() == io.tickwire.model.Channel.TRADE ? "" : "; it sends the current value again");
        }
        return g.restarted()
                ? "the server restarted: " + stream + " numbering starts again at " + g.received()
                : "gap in " + stream + ": " + g.missed() + " sequence number(s) skipped (seq " + g.expected() + " to "
                        + (g.received() - 1) + ")";
    }

    static String describe(BookResync r) {
        return r.symbol() + " book out of sync (" + r.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + ": " + r.detail() + "); resynchronising";
    }

    private static String time(long micros) {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000));
    }

    private static String plain(BigDecimal d) {
        return d == null ? "-" : d.toPlainString();
    }

    static String json(Quote q) {
        return write(g -> {
            g.writeStringField("type", "quote");
            g.writeStringField("symbol", q.symbol());
            g.writeNumberField("seq", q.seq());
            g.writeNumberField("ts", q.eventTimeMicros());
            g.writeNumberField("sent", q.sentTimeMicros());
            if (q.snapshot()) {
                g.writeBooleanField("snapshot", true);
            }
            decimal(g, "bid", q.bid());
            decimal(g, "bidSize", q.bidSize());
            decimal(g, "ask", q.ask());
            decimal(g, "askSize", q.askSize());
            decimal(g, "last", q.last());
            decimal(g, "volume", q.volume());
        });
    }

    static String json(Trade t) {
        return write(g -> {
            g.writeStringField("type", "trade");
            g.writeStringField("symbol", t.symbol());
            g.writeNumberField("seq", t.seq());
            g.writeNumberField("ts", t.eventTimeMicros());
            g.writeNumberField("sent", t.sentTimeMicros());
            decimal(g, "price", t.price());
            decimal(g, "size", t.size());
            g.writeStringField("side", t.side().wireName());
            g.writeNumberField("tradeId", t.tradeId());
        });
    }

    /**
     * The whole book as the client holds it after a message: its top {@code depth} levels, best
     * first, and the server's checksum of them (see docs/protocol.md), so each line can be checked
     * on its own. {@code inSync} false: the levels are the last exact ones while the book resyncs.
     */
    static String json(BookView v) {
        return write(g -> {
            g.writeStringField("type", "book");
            g.writeStringField("symbol", v.symbol());
            g.writeNumberField("seq", v.seq());
            g.writeNumberField("ts", v.eventTimeMicros());
            g.writeNumberField("depth", v.depth());
            g.writeBooleanField("inSync", v.inSync());
            levels(g, "bids", v.bids());
            levels(g, "asks", v.asks());
            g.writeNumberField("checksum", v.checksum());
        });
    }

    static String json(Bar b) {
        return write(g -> {
            g.writeStringField("type", "bar");
            g.writeStringField("symbol", b.symbol());
            g.writeNumberField("seq", b.seq());
            g.writeNumberField("ts", b.eventTimeMicros());
            if (b.snapshot()) {
                g.writeBooleanField("snapshot", true);
            }
            g.writeStringField("period", b.period().wireName());
            g.writeStringField("priceType", b.priceType().wireName());
            g.writeNumberField("time", b.openTimeMicros());
            decimal(g, "open", b.open());
            decimal(g, "high", b.high());
            decimal(g, "low", b.low());
            decimal(g, "close", b.close());
            decimal(g, "volume", b.volume());
            g.writeNumberField("trades", b.trades());
            g.writeBooleanField("closed", b.closed());
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter s = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(s)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }

    private static void levels(JsonGenerator g, String name, List<BookLevel> levels) throws IOException {
        g.writeArrayFieldStart(name);
        for (BookLevel l : levels) {
            g.writeStartArray();
            g.writeNumber(l.price().toPlainString());
            g.writeNumber(l.size().toPlainString());
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void decimal(JsonGenerator g, String name, BigDecimal value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value.toPlainString());
        }
    }
}
