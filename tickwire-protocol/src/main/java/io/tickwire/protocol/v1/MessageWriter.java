package io.tickwire.protocol.v1;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.tickwire.model.Bar;
import io.tickwire.model.Channel;
import io.tickwire.model.Decimals;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes server messages of the native protocol into a reusable {@link ByteSink}.
 *
 * <p>Not thread-safe: each encoding thread owns one writer. Each method writes exactly one
 * message, replacing the previous one in {@link #sink()}. Market-data methods allocate nothing in
 * steady state; request ids and ping payloads are written back as the raw JSON the client sent.
 * Prices and sizes are written with exactly the instrument's number of decimal places
 * ({@code 67012.50} at price scale 2), so a value's scale is the same in every message.
 */
public final class MessageWriter {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString SYMBOL = new SerializedString("symbol");
    private static final SerializableString SEQ = new SerializedString("seq");
    private static final SerializableString TS = new SerializedString("ts");
    private static final SerializableString SENT = new SerializedString("sent");
    private static final SerializableString QUOTE = new SerializedString("quote");
    private static final SerializableString TRADE = new SerializedString("trade");
    private static final SerializableString BID = new SerializedString("bid");
    private static final SerializableString BID_SIZE = new SerializedString("bidSize");
    private static final SerializableString ASK = new SerializedString("ask");
    private static final SerializableString ASK_SIZE = new SerializedString("askSize");
    private static final SerializableString LAST = new SerializedString("last");
    private static final SerializableString VOLUME = new SerializedString("volume");
    private static final SerializableString PRICE = new SerializedString("price");
    private static final SerializableString SIZE = new SerializedString("size");
    private static final SerializableString SIDE = new SerializedString("side");
    private static final SerializableString TRADE_ID = new SerializedString("tradeId");
    private static final SerializableString SNAPSHOT = new SerializedString("snapshot");
    private static final SerializableString PREV_SEQ = new SerializedString("prevSeq");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString BOOK = new SerializedString("book");
    private static final SerializableString DEPTH = new SerializedString("depth");
    private static final SerializableString BIDS = new SerializedString("bids");
    private static final SerializableString ASKS = new SerializedString("asks");
    private static final SerializableString CHECKSUM = new SerializedString("checksum");
    private static final SerializableString BAR = new SerializedString("bar");
    private static final SerializableString PERIOD = new SerializedString("period");
    private static final SerializableString PRICE_TYPE = new SerializedString("priceType");
    private static final SerializableString TIME = new SerializedString("time");
    private static final SerializableString OPEN = new SerializedString("open");
    private static final SerializableString HIGH = new SerializedString("high");
    private static final SerializableString LOW = new SerializedString("low");
    private static final SerializableString CLOSE = new SerializedString("close");
    private static final SerializableString TRADES = new SerializedString("trades");
    private static final SerializableString CLOSED = new SerializedString("closed");
    private static final SerializableString REPLAYED = new SerializedString("replayed");

    private final ByteSink sink;
    private final char[] digits = new char[32];
    private JsonGenerator gen;

    public MessageWriter() {
        this.sink = new ByteSink(512);
        this.gen = newGenerator();
    }

    private JsonGenerator newGenerator() {
        try {
            JsonGenerator g = JSON.createGenerator(sink);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            g.setRootValueSeparator(null);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last message written. */
    public ByteSink sink() {
        return sink;
    }

    /** The last message as text; for tests and logs. */
    public String text() {
        return sink.toString();
    }

    // ---- market data -------------------------------------------------------------------------

    /** A quote; {@code snapshot} marks the current value sent when a subscription starts. */
    public ByteSink quote(Instrument instrument, Quote q, long sentMicros, boolean snapshot) {
        return quote(instrument, q, sentMicros, snapshot, -1, null, false);
    }

    /** A quote; {@code replayed} marks one published by a replay of stored history. */
    public ByteSink quote(Instrument instrument, Quote q, long sentMicros, boolean snapshot, boolean replayed) {
        return quote(instrument, q, sentMicros, snapshot, -1, null, replayed);
    }

    /**
     * A quote of a throttled stream ({@code prevSeq >= 0}: the previous message's number), an
     * answer to a snapshot request ({@code rawRequestId} not null), or a replayed one.
     */
    public ByteSink quote(Instrument instrument, Quote q, long sentMicros, boolean snapshot, long prevSeq,
                          String rawRequestId, boolean replayed) {
        try {
            begin(QUOTE);
            header(instrument, q.seq(), q.eventTime(), sentMicros);
            streamFlags(snapshot, prevSeq, rawRequestId, replayed);
            int ps = instrument.priceScale();
            int ss = instrument.sizeScale();
            decimal(BID, q.bidPrice(), ps);
            decimal(BID_SIZE, q.bidSize(), ss);
            decimal(ASK, q.askPrice(), ps);
            decimal(ASK_SIZE, q.askSize(), ss);
            decimal(LAST, q.lastPrice(), ps);
            decimal(VOLUME, q.volume(), ss);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** A trade. */
    public ByteSink trade(Instrument instrument, Trade t, long sentMicros) {
        return trade(instrument, t, sentMicros, false);
    }

    /** A trade; {@code replayed} marks one published by a replay of stored history. */
    public ByteSink trade(Instrument instrument, Trade t, long sentMicros, boolean replayed) {
        try {
            begin(TRADE);
            header(instrument, t.seq(), t.eventTime(), sentMicros);
            if (replayed) {
                gen.writeFieldName(REPLAYED);
                gen.writeBoolean(true);
            }
            decimal(PRICE, t.price(), instrument.priceScale());
            decimal(SIZE, t.size(), instrument.sizeScale());
            gen.writeFieldName(SIDE);
            gen.writeString(t.aggressor().wireName());
            gen.writeFieldName(TRADE_ID);
            gen.writeNumber(t.tradeId());
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** A message of a depth-limited book stream, a snapshot or changes; {@code rawRequestId} answers a snapshot request. */
    public ByteSink book(Instrument instrument, DepthUpdate d, long sentMicros, String rawRequestId) {
        return book(instrument, d, sentMicros, rawRequestId, false);
    }

    /** A book message, marked {@code replayed} on a replay of stored history. */
    public ByteSink book(Instrument instrument, DepthUpdate d, long sentMicros, String rawRequestId, boolean replayed) {
        try {
            begin(BOOK);
            header(instrument, d.seq(), d.eventTime(), sentMicros);
            streamFlags(d.snapshot(), d.prevSeq(), rawRequestId, replayed);
            gen.writeFieldName(DEPTH);
            gen.writeNumber(d.depth());
            int ps = instrument.priceScale();
            int ss = instrument.sizeScale();
            gen.writeFieldName(BIDS);
            gen.writeStartArray();
            for (int i = 0; i < d.bidCount(); i++) {
                level(d.bidPrice(i), d.bidSize(i), ps, ss);
            }
            gen.writeEndArray();
            gen.writeFieldName(ASKS);
            gen.writeStartArray();
            for (int i = 0; i < d.askCount(); i++) {
                level(d.askPrice(i), d.askSize(i), ps, ss);
            }
            gen.writeEndArray();
            gen.writeFieldName(CHECKSUM);
            gen.writeNumber(d.checksum());
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void level(long price, long size, int ps, int ss) throws IOException {
        gen.writeStartArray();
        int len = Decimals.writeFixed(digits, 0, price, ps);
        gen.writeNumber(digits, 0, len);
        len = Decimals.writeFixed(digits, 0, size, ss);
        gen.writeNumber(digits, 0, len);
        gen.writeEndArray();
    }

    /** A bar, forming or closed; {@code prevSeq >= 0} on throttled streams. */
    public ByteSink bar(Instrument instrument, Bar b, long sentMicros, boolean snapshot, long prevSeq, String rawRequestId) {
        return bar(instrument, b, sentMicros, snapshot, prevSeq, rawRequestId, false);
    }

    /** A bar, marked {@code replayed} on a replay of stored history. */
    public ByteSink bar(Instrument instrument, Bar b, long sentMicros, boolean snapshot, long prevSeq, String rawRequestId,
                        boolean replayed) {
        try {
            begin(BAR);
            header(instrument, b.seq(), b.updateTime(), sentMicros);
            streamFlags(snapshot, prevSeq, rawRequestId, replayed);
            gen.writeFieldName(PERIOD);
            gen.writeString(b.periodicity().wireName());
            gen.writeFieldName(PRICE_TYPE);
            gen.writeString(b.priceType().wireName());
            gen.writeFieldName(TIME);
            gen.writeNumber(b.openTime());
            int ps = instrument.priceScale();
            decimal(OPEN, b.open(), ps);
            decimal(HIGH, b.high(), ps);
            decimal(LOW, b.low(), ps);
            decimal(CLOSE, b.close(), ps);
            decimal(VOLUME, b.volume(), instrument.sizeScale());
            gen.writeFieldName(TRADES);
            gen.writeNumber(b.trades());
            gen.writeFieldName(CLOSED);
            gen.writeBoolean(b.closed());
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void streamFlags(boolean snapshot, long prevSeq, String rawRequestId, boolean replayed) throws IOException {
        if (replayed) {
            gen.writeFieldName(REPLAYED);
            gen.writeBoolean(true);
        }
        if (prevSeq >= 0) {
            gen.writeFieldName(PREV_SEQ);
            gen.writeNumber(prevSeq);
        }
        if (snapshot) {
            gen.writeFieldName(SNAPSHOT);
            gen.writeBoolean(true);
        }
        if (rawRequestId != null) {
            gen.writeFieldName(ID);
            gen.writeRawValue(rawRequestId);
        }
    }

    /**
     * Tells a client that it missed updates of a stream ({@code detail} says why); a snapshot
     * follows for streams with state.
     */
    public ByteSink gap(String symbol, Channel channel, String reason) {
        return gap(symbol, channel, null, null, reason);
    }

    /** A gap of a bar stream names its period and price type, so a client with several bar streams knows which. */
    public ByteSink gap(String symbol, Channel channel, Periodicity period, PriceType priceType, String reason) {
        try {
            begin(new SerializedString("gap"));
            gen.writeStringField("symbol", symbol);
            gen.writeStringField("channel", channel.wireName());
            if (period != null) {
                gen.writeStringField("period", period.wireName());
            }
            if (priceType != null) {
                gen.writeStringField("priceType", priceType.wireName());
            }
            gen.writeStringField("reason", reason);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void begin(SerializableString type) throws IOException {
        sink.reset();
        gen.writeStartObject();
        gen.writeFieldName(TYPE);
        gen.writeString(type);
    }

    private void header(Instrument instrument, long seq, long ts, long sent) throws IOException {
        gen.writeFieldName(SYMBOL);
        gen.writeString(instrument.symbol());
        gen.writeFieldName(SEQ);
        gen.writeNumber(seq);
        gen.writeFieldName(TS);
        gen.writeNumber(ts);
        gen.writeFieldName(SENT);
        gen.writeNumber(sent);
    }

    private void decimal(SerializableString name, long scaled, int scale) throws IOException {
        gen.writeFieldName(name);
        int len = Decimals.writeFixed(digits, 0, scaled, scale);
        gen.writeNumber(digits, 0, len);
    }

    private ByteSink end() throws IOException {
        gen.writeEndObject();
        gen.flush();
        return sink;
    }

    private RuntimeException failed(IOException e) {
        gen = newGenerator(); // a half-written message leaves the generator unusable
        return new UncheckedIOException(e);
    }

    // ---- session messages --------------------------------------------------------------------

    /** The first message of every connection. */
    public ByteSink welcome(ServerMessage.Welcome w) {
        try {
            begin(new SerializedString("welcome"));
            gen.writeStringField("server", w.server());
            gen.writeStringField("version", w.version());
            gen.writeNumberField("protocol", w.protocol());
            gen.writeStringField("session", w.session());
            gen.writeNumberField("epoch", w.epoch());
            gen.writeBooleanField("authenticated", w.authenticated());
            if (w.authenticated()) {
                gen.writeStringField("account", w.account());
            } else {
                gen.writeObjectFieldStart("auth");
                gen.writeArrayFieldStart("methods");
                for (String method : w.authMethods()) {
                    gen.writeString(method);
                }
                gen.writeEndArray();
                gen.writeNumberField("deadlineMs", w.authDeadlineMs());
                gen.writeEndObject();
            }
            gen.writeNumberField("heartbeatMs", w.heartbeatMs());
            gen.writeNumberField("maxFrameBytes", w.maxFrameBytes());
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Authentication succeeded. {@code rawId} is the request id as raw JSON, or {@code null}. */
    public ByteSink authenticated(String rawId, String account, String plan, ServerMessage.Limits limits) {
        return authenticated(rawId, account, plan, limits, null);
    }

    /**
     * Authentication succeeded, with how: the scheme, when the credential expires, the two-factor
     * grant and whether this refreshed an authenticated session ({@code details} may be {@code null}).
     */
    public ByteSink authenticated(String rawId, String account, String plan, ServerMessage.Limits limits,
                                  ServerMessage.Authenticated details) {
        try {
            begin(new SerializedString("authenticated"));
            id(rawId);
            gen.writeStringField("account", account);
            gen.writeStringField("plan", plan);
            gen.writeObjectFieldStart("limits");
            gen.writeNumberField("maxConnections", limits.maxConnections());
            gen.writeNumberField("maxSymbols", limits.maxSymbols());
            gen.writeArrayFieldStart("channels");
            for (Channel channel : limits.channels()) {
                gen.writeString(channel.wireName());
            }
            gen.writeEndArray();
            gen.writeNumberField("requestsPerSecond", limits.requestsPerSecond());
            if (limits.requestBurst() > 0) {
                gen.writeNumberField("requestBurst", limits.requestBurst());
            }
            if (!limits.instrumentSets().isEmpty()) {
                gen.writeArrayFieldStart("instrumentSets");
                for (String set : limits.instrumentSets()) {
                    gen.writeString(set);
                }
                gen.writeEndArray();
            }
            if (limits.slowConsumer() != null) {
                gen.writeStringField("slowConsumer", limits.slowConsumer());
            }
            gen.writeEndObject();
            if (details != null) {
                if (details.scheme() != null) {
                    gen.writeStringField("scheme", details.scheme());
                }
                if (details.expiresAt() >= 0) {
                    gen.writeNumberField("expiresAt", details.expiresAt());
                }
                if (details.twoFactor() != null) {
                    gen.writeObjectFieldStart("twoFactor");
                    gen.writeStringField("resumeToken", details.twoFactor().resumeToken());
                    gen.writeNumberField("expiresAt", details.twoFactor().expiresAt());
                    gen.writeEndObject();
                }
                if (details.refreshed()) {
                    gen.writeBooleanField("refreshed", true);
                }
            }
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** The first factor was accepted; a second is needed. */
    public ByteSink twoFactorRequired(String rawId, List<String> methods, long deadlineMs) {
        try {
            begin(new SerializedString("twoFactorRequired"));
            id(rawId);
            gen.writeArrayFieldStart("methods");
            for (String method : methods) {
                gen.writeString(method);
            }
            gen.writeEndArray();
            gen.writeNumberField("deadlineMs", deadlineMs);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** The session's credential is about to expire. */
    public ByteSink credentialExpiring(long expiresAtMicros, int closeCode, String message) {
        try {
            begin(new SerializedString("credentialExpiring"));
            gen.writeNumberField("expiresAt", expiresAtMicros);
            gen.writeNumberField("closeCode", closeCode);
            gen.writeStringField("message", message);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** The answer to registerEmail. */
    public ByteSink emailRegistered(String rawId, String email) {
        try {
            begin(new SerializedString("emailRegistered"));
            id(rawId);
            gen.writeStringField("email", email);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** The answer to subscribe. */
    public ByteSink subscribed(String rawId, List<ServerMessage.StreamRef> subscriptions,
                               List<ServerMessage.InstrumentInfo> instruments, List<ServerMessage.Rejection> rejected) {
        try {
            begin(new SerializedString("subscribed"));
            id(rawId);
            streams(subscriptions);
            gen.writeArrayFieldStart("instruments");
            for (ServerMessage.InstrumentInfo info : instruments) {
                gen.writeStartObject();
                gen.writeStringField("symbol", info.symbol());
                gen.writeStringField("assetClass", info.assetClass().wireName());
                gen.writeNumberField("priceScale", info.priceScale());
                gen.writeNumberField("sizeScale", info.sizeScale());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            rejections(rejected);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** The answer to unsubscribe. */
    public ByteSink unsubscribed(String rawId, List<ServerMessage.StreamRef> removed, List<ServerMessage.Rejection> rejected) {
        try {
            begin(new SerializedString("unsubscribed"));
            id(rawId);
            streams(removed);
            rejections(rejected);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void streams(List<ServerMessage.StreamRef> refs) throws IOException {
        gen.writeArrayFieldStart("subscriptions");
        for (ServerMessage.StreamRef ref : refs) {
            gen.writeStartObject();
            gen.writeStringField("symbol", ref.symbol());
            gen.writeStringField("channel", ref.channel().wireName());
            if (ref.depth() > 0) {
                gen.writeNumberField("depth", ref.depth());
            }
            if (ref.period() != null) {
                gen.writeStringField("period", ref.period().wireName());
                gen.writeStringField("priceType", ref.priceType().wireName());
            }
            if (ref.throttleMs() > 0) {
                gen.writeNumberField("throttleMs", ref.throttleMs());
            }
            gen.writeEndObject();
        }
        gen.writeEndArray();
    }

    private void rejections(List<ServerMessage.Rejection> rejected) throws IOException {
        gen.writeArrayFieldStart("rejected");
        for (ServerMessage.Rejection r : rejected) {
            gen.writeStartObject();
            gen.writeStringField("symbol", r.symbol());
            if (r.channel() != null) {
                gen.writeStringField("channel", r.channel().wireName());
            }
            gen.writeStringField("code", r.code());
            gen.writeStringField("message", r.message());
            gen.writeEndObject();
        }
        gen.writeEndArray();
    }

    /** The answer to ping, echoing the raw payload. */
    public ByteSink pong(String rawId, String rawPayload, long timeMicros) {
        try {
            begin(new SerializedString("pong"));
            id(rawId);
            if (rawPayload != null) {
                gen.writeFieldName("payload");
                gen.writeRawValue(rawPayload);
            }
            gen.writeNumberField("time", timeMicros);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** A heartbeat. */
    public ByteSink heartbeat(long timeMicros) {
        return heartbeat(timeMicros, List.of());
    }

    /**
     * A heartbeat with, per subscribed stream, the last sequence number sent and the event time of
     * that message (0 and 0 if none yet), so a client can tell a quiet market from a stuck stream.
     */
    public ByteSink heartbeat(long timeMicros, List<ServerMessage.StreamPosition> streams) {
        try {
            begin(new SerializedString("heartbeat"));
            gen.writeNumberField("time", timeMicros);
            if (!streams.isEmpty()) {
                gen.writeArrayFieldStart("streams");
                for (ServerMessage.StreamPosition s : streams) {
                    gen.writeStartObject();
                    streamFields(s.symbol(), s.channel(), s.period(), s.priceType());
                    gen.writeNumberField("seq", s.seq());
                    gen.writeNumberField("ts", s.ts());
                    gen.writeEndObject();
                }
                gen.writeEndArray();
            }
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void streamFields(String symbol, Channel channel, Periodicity period, PriceType priceType) throws IOException {
        gen.writeStringField("symbol", symbol);
        gen.writeStringField("channel", channel.wireName());
        if (period != null) {
            gen.writeStringField("period", period.wireName());
        }
        if (priceType != null) {
            gen.writeStringField("priceType", priceType.wireName());
        }
    }

    /**
     * How a stream that asked to resume starts: {@code exact} (the {@code replayed} missed messages
     * follow, then live), {@code snapshot} (a fresh snapshot follows) or {@code gap} (messages
     * {@code missedFrom}..{@code missedTo} cannot be given; what is still held follows, then live).
     */
    public ByteSink resumed(ServerMessage.Resumed r) {
        try {
            begin(new SerializedString("resumed"));
            streamFields(r.symbol(), r.channel(), r.period(), r.priceType());
            gen.writeStringField("mode", r.mode());
            gen.writeNumberField("after", r.after());
            gen.writeNumberField("replayed", r.replayed());
            if (r.missedTo() > 0) {
                gen.writeNumberField("missedFrom", r.missedFrom());
                gen.writeNumberField("missedTo", r.missedTo());
            }
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** A stream's source went stale (no event for the stale threshold) or is live again. */
    public ByteSink status(ServerMessage.Status st) {
        try {
            begin(new SerializedString("status"));
            streamFields(st.symbol(), st.channel(), st.period(), st.priceType());
            gen.writeStringField("state", st.state());
            gen.writeNumberField("lastTs", st.lastTs());
            gen.writeNumberField("time", st.time());
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * The server is going away (drain, shutdown): reconnect after {@code afterMs}, to {@code url}
     * if given (else the same address), resuming subscriptions.
     */
    public ByteSink reconnect(long afterMs, String url, String reason) {
        try {
            begin(new SerializedString("reconnect"));
            gen.writeNumberField("afterMs", afterMs);
            if (url != null) {
                gen.writeStringField("url", url);
            }
            gen.writeStringField("reason", reason);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * On {@code /v1/publish}: the publisher's credential was accepted and this node takes its
     * events, so what it sends from now on is ingested (before this, a refusal may still come);
     * with the largest message the server reads (a larger one closes the connection, 1009).
     */
    public ByteSink publishing(String account, int maxFrameBytes) {
        try {
            begin(new SerializedString("publishing"));
            gen.writeStringField("account", account);
            gen.writeNumberField("maxFrameBytes", maxFrameBytes);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * On {@code /v1/publish}: how many of the publisher's frames (since {@code publishing}) are
     * kept (taken by the engine; on a cluster's ingest node, in Kafka), or were refused with an
     * error sent before this; cumulative.
     */
    public ByteSink taken(long frames) {
        try {
            begin(new SerializedString("taken"));
            gen.writeNumberField("frames", frames);
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** An error without extra fields. */
    public ByteSink error(String rawId, ErrorCode code, String message) {
        return error(rawId, code, message, -1, -1);
    }

    /** An error; {@code limit} and {@code retryAfterMs} are written when non-negative. */
    public ByteSink error(String rawId, ErrorCode code, String message, long limit, long retryAfterMs) {
        try {
            begin(new SerializedString("error"));
            id(rawId);
            gen.writeStringField("code", code.wire());
            gen.writeStringField("message", message);
            if (limit >= 0) {
                gen.writeNumberField("limit", limit);
            }
            if (retryAfterMs >= 0) {
                gen.writeNumberField("retryAfterMs", retryAfterMs);
            }
            return end();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void id(String rawId) throws IOException {
        if (rawId != null) {
            gen.writeFieldName("id");
            gen.writeRawValue(rawId);
        }
    }
}
