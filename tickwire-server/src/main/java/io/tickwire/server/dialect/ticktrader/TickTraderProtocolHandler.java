package io.tickwire.server.dialect.ticktrader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickwire.auth.Credential;
import io.tickwire.auth.Plan;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Throttle;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.dialect.DialectHandler;
import io.tickwire.server.session.Session;
import io.tickwire.server.session.SessionOutcome;
import io.tickwire.server.session.SessionServices;
import io.tickwire.server.session.StreamSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The TickTrader Feed dialect on one connection ({@code /ticktrader}, seed 004): every request of
 * the seed, answered with the request's {@code Id} and the seed's {@code Response}/{@code Result}
 * shapes, or {@code "Response":"Error"} with a description.
 *
 * <p>{@code Login} is HMAC (the seed's signature); an account with a TOTP seed then needs
 * {@code TwoFactor}. A FeedSubscribe subscribes each symbol's book at its {@code BookDepth},
 * throttled by {@code FrequencyPriority} (once per 2^P × 500 ms), and answers once every stream's
 * first snapshot is in ({@link PendingFeedSubscribe}). Confined to the connection's event loop.
 */
public final class TickTraderProtocolHandler extends DialectHandler {

    private final TickTraderServices dialect;
    private final TickTraderReference reference;
    private final TickTraderHistory history;
    private final String clientSessionId = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
    private long createdMillis;
    private ChannelHandlerContext context;
    /** The login's Web API id, device and application session: the key of its two-factor resume token. */
    private String loginKey;
    private long twoFactorExpiresMillis = -1;
    /** This connection's book subscriptions by instrument id: the stream key. */
    private final Map<Integer, Long> books = new LinkedHashMap<>();
    private final List<PendingFeedSubscribe> pending = new ArrayList<>();

    public TickTraderProtocolHandler(SessionServices services, int format, TickTraderServices dialect) {
        super(services, format);
        this.dialect = dialect;
        this.reference = new TickTraderReference(dialect.reference());
        this.history = new TickTraderHistory(dialect.history(), dialect.reference(), services.catalog(), services.version());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        this.context = ctx;
    }

    @Override
    protected void opened(WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        createdMillis = services.clock().epochMillis();
        // TickTrader says nothing on connect: the client logs in from onopen
    }

    @Override
    protected void received(String text) {
        JsonNode request = TickTraderJson.parse(text);
        JsonNode id = request != null && request.isObject() ? request.get("Id") : null;
        long retry = session.chargeRequest();
        if (retry >= 0) {
            if (session.state() != Session.State.CLOSED) {
                send(TickTraderJson.error(id, "Too many requests; retry after " + retry + " ms"));
            }
            return;
        }
        if (request == null || !request.isObject()) {
            send(TickTraderJson.error(null, "Invalid request: a JSON object is expected"));
            return;
        }
        if (id == null || id.isNull() || id.isContainerNode()) {
            send(TickTraderJson.error(null, "Invalid request: field 'Id' is required"));
            return;
        }
        String name = request.path("Request").asText("");
        JsonNode params = request.path("Params");
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            send(TickTraderJson.error(id, "Invalid request: field 'Params' must be an object"));
            return;
        }
        switch (name) {
            case "Login" -> login(id, params);
            case "TwoFactor" -> twoFactor(id, params);
            case "" -> send(TickTraderJson.error(id, "Invalid request: field 'Request' is required"));
            default -> {
                if (session.state() != Session.State.AUTHENTICATED) {
                    send(TickTraderJson.error(id, session.state() == Session.State.TWO_FACTOR
                            ? "Two-factor authentication is required." : "Session is not logged in"));
                    return;
                }
                authenticated(id, name, params);
            }
        }
    }

    private void authenticated(JsonNode id, String name, JsonNode params) {
        Consumer<String> answer = this::send;
        switch (name) {
            case "SessionInfo" -> {
                ObjectNode result = TickTraderJson.object();
                result.put("ClientSessionId", clientSessionId).put("ClientSessionCreated", createdMillis).put("TradeAllowed", false);
                send(TickTraderJson.response(id, "SessionInfo", result));
            }
            case "CurrencyTypes" -> send(TickTraderJson.response(id, "CurrencyTypes", reference.currencyTypes()));
            case "Currencies" -> send(TickTraderJson.response(id, "Currencies",
                    reference.currencies(text(params, "Currency"), text(params, "Type"))));
            case "Symbols" -> send(TickTraderJson.response(id, "Symbols",
                    reference.symbols(text(params, "Symbol"), text(params, "Security"))));
            case "FeedSubscribe" -> feed(id, params);
            case "BarFeedSubscribe" -> barFeed(id, params);
            case "QuoteHistoryVersion" -> history.version(id, answer);
            case "QuoteHistorySymbols" -> history.symbols(id, answer);
            case "QuoteHistoryPeriodicities" -> history.periodicities(id, params, answer);
            case "QuoteHistoryBarsInfo" -> history.barsInfo(id, params, answer);
            case "QuoteHistoryBars" -> history.bars(id, params, context.executor(), json -> {
                if (session.state() != Session.State.CLOSED) {
                    send(json);
                }
            });
            case "InterestRateHistory" -> history.interestRates(id, params, answer);
            default -> send(TickTraderJson.error(id, "Invalid request: unknown request '" + abbreviate(name) + "'"));
        }
    }

    // ---- authentication -------------------------------------------------------------------------

    private void login(JsonNode id, JsonNode params) {
        if (!"HMAC".equals(params.path("AuthType").asText())) {
            send(TickTraderJson.error(id, "Invalid parameter 'AuthType': only \"HMAC\" is supported"));
            return;
        }
        String webApiId = text(params, "WebApiId");
        String webApiKey = text(params, "WebApiKey");
        String signature = text(params, "Signature");
        JsonNode timestamp = params.path("Timestamp");
        if (webApiId == null || webApiKey == null || signature == null
                || !(timestamp.canConvertToExactIntegral() || timestamp.isTextual())) {
            send(TickTraderJson.error(id, "Invalid login parameters: WebApiId, WebApiKey, Timestamp and Signature are required"));
            return;
        }
        SessionOutcome outcome = session.authenticate(new Credential.HmacSignature(webApiId, webApiKey, timestamp.asText(),
                signature));
        switch (outcome) {
            case SessionOutcome.Authenticated a -> send(loginOk(id, false));
            case SessionOutcome.TwoFactorRequired required -> {
                loginKey = TwoFactorResumes.key(webApiId, params.path("DeviceId").asText(""),
                        params.path("AppSessionId").asText(""));
                send(loginOk(id, true));
                ObjectNode result = TickTraderJson.object();
                result.put("Info", "Two-factor authentication is required.");
                send(TickTraderJson.response(id, "TwoFactor", result));
            }
            case SessionOutcome.Refused r -> refuseAuth(id, r);
            default -> throw new IllegalStateException("not a login outcome: " + outcome);
        }
    }

    private static String loginOk(JsonNode id, boolean twoFactor) {
        ObjectNode result = TickTraderJson.object();
        result.put("Info", "ok").put("TwoFactorFlag", twoFactor);
        return TickTraderJson.response(id, "Login", result);
    }

    private void twoFactor(JsonNode id, JsonNode params) {
        String code = params.path("OneTimePassword").isValueNode() && !params.path("OneTimePassword").isNull()
                ? params.get("OneTimePassword").asText() : null;
        if (code == null && session.state() == Session.State.AUTHENTICATED && twoFactorExpiresMillis >= 0) {
            send(twoFactorSuccess(id, twoFactorExpiresMillis)); // resuming keeps the grant's expiry
            return;
        }
        String resume = null;
        if (code == null) {
            resume = loginKey == null ? null : dialect.resumes().get(loginKey);
            if (resume == null && session.state() == Session.State.TWO_FACTOR) {
                send(TickTraderJson.error(id, "No two-factor token to resume for this device and application session"));
                return;
            }
        }
        SessionOutcome outcome = session.twoFactor(code, resume);
        switch (outcome) {
            case SessionOutcome.Authenticated a -> {
                twoFactorExpiresMillis = a.twoFactor() == null ? -1 : a.twoFactor().expiresAtMicros() / 1_000;
                if (a.twoFactor() != null && loginKey != null) {
                    dialect.resumes().put(loginKey, a.twoFactor().resumeToken());
                }
                send(twoFactorSuccess(id, twoFactorExpiresMillis));
            }
            case SessionOutcome.Refused r when r.close() == null && (r.code() == ErrorCode.TOTP_INVALID
                    || r.code() == ErrorCode.TOTP_REUSED || r.code() == ErrorCode.RESUME_INVALID) -> {
                ObjectNode result = TickTraderJson.object();
                result.put("Info", "Invalid one-time password!");
                send(TickTraderJson.response(id, "TwoFactor", result));
            }
            case SessionOutcome.Refused r -> refuseAuth(id, r);
            default -> throw new IllegalStateException("not a two-factor outcome: " + outcome);
        }
    }

    private static String twoFactorSuccess(JsonNode id, long expiresMillis) {
        ObjectNode result = TickTraderJson.object();
        result.put("Info", "Success").put("ExpireTime", expiresMillis);
        return TickTraderJson.response(id, "TwoFactor", result);
    }

    /** An authentication refusal: the error, then the close the refusal calls for (as the native protocol closes). */
    private void refuseAuth(JsonNode id, SessionOutcome.Refused refused) {
        send(TickTraderJson.error(id, refused.message()));
        CloseCode close = refused.close() != null ? refused.close() : switch (refused.code()) {
            case AUTH_FAILED -> CloseCode.AUTH_FAILED;
            case AUTH_TIMEOUT -> CloseCode.AUTH_TIMEOUT;
            case CONNECTION_LIMIT -> CloseCode.CONNECTION_LIMIT;
            default -> null;
        };
        if (close != null) {
            session.close(close, close.reason());
        }
    }

    // ---- feeds ----------------------------------------------------------------------------------

    private void feed(JsonNode id, JsonNode params) {
        if (params.path("Unsubscribe").isArray()) {
            List<Instrument> instruments = symbols(params.get("Unsubscribe"));
            if (instruments == null) {
                send(TickTraderJson.error(id, "Invalid parameter 'Unsubscribe': an array of known symbols is expected"));
                return;
            }
            List<String> held = new ArrayList<>();
            for (Instrument i : instruments) {
                Long key = books.remove(i.id());
                if (key != null) {
                    held.add(i.symbol());
                    forgetPending(key);
                }
            }
            if (!held.isEmpty()) {
                session.unsubscribe(held, List.of(Channel.BOOK), null, null);
            }
            ObjectNode result = TickTraderJson.object();
            result.putArray("Snapshot");
            send(TickTraderJson.response(id, "FeedSubscribe", result));
            return;
        }
        JsonNode list = params.path("Subscribe");
        if (!list.isArray() || list.isEmpty()) {
            send(TickTraderJson.error(id, "Invalid parameters: 'Subscribe' or 'Unsubscribe' is required"));
            return;
        }
        Map<Instrument, StreamSpec> specs = new LinkedHashMap<>();
        for (JsonNode item : list) {
            Instrument instrument = instrument(item.path("Symbol"));
            if (instrument == null) {
                send(TickTraderJson.error(id, "Symbol '" + abbreviate(item.path("Symbol").asText("")) + "' not found"));
                return;
            }
            JsonNode depthNode = item.path("BookDepth");
            int depth = depthNode.canConvertToExactIntegral() ? depthNode.asInt() : -1;
            if (depth < 1 || depth > instrument.maxBookDepth()) {
                send(TickTraderJson.error(id, "Invalid parameter 'BookDepth' for " + instrument.symbol() + ": expected 1 to "
                        + instrument.maxBookDepth()));
                return;
            }
            int throttle = 0;
            JsonNode priority = item.path("FrequencyPriority");
            if (!priority.isMissingNode() && !priority.isNull()) {
                throttle = priority.canConvertToExactIntegral() ? Throttle.ofFrequencyPriority(priority.asInt()) : -1;
                if (throttle < 0) {
                    send(TickTraderJson.error(id, "Invalid parameter 'FrequencyPriority' for " + instrument.symbol()
                            + ": expected 0 to 7"));
                    return;
                }
            }
            specs.put(instrument, new StreamSpec(Channel.BOOK, depth, throttle, null, null));
        }
        String refused = checkPlan(Channel.BOOK, specs.keySet());
        if (refused != null) {
            send(TickTraderJson.error(id, refused));
            return;
        }
        // a symbol subscribed again starts afresh, so its snapshot comes for the response
        List<String> again = specs.keySet().stream().filter(i -> books.containsKey(i.id())).map(Instrument::symbol).toList();
        specs.keySet().stream().map(i -> books.get(i.id())).filter(java.util.Objects::nonNull).forEach(this::forgetPending);
        if (!again.isEmpty()) {
            session.unsubscribe(again, List.of(Channel.BOOK), null, null);
        }
        List<Long> keys = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (Map.Entry<Instrument, StreamSpec> e : specs.entrySet()) {
            SessionOutcome outcome = session.subscribe(List.of(e.getKey().symbol()), List.of(e.getValue()));
            if (outcome instanceof SessionOutcome.Refused r) {
                // all or nothing: what this request subscribed before the refusal is undone
                if (!done.isEmpty()) {
                    session.unsubscribe(done, List.of(Channel.BOOK), null, null);
                    done.forEach(symbol -> books.remove(services.catalog().find(symbol).id()));
                }
                send(TickTraderJson.error(id, r.message()));
                return;
            }
            done.add(e.getKey().symbol());
            for (SessionOutcome.Stream s : ((SessionOutcome.Applied) outcome).streams()) {
                books.put(s.instrument().id(), s.streamKey());
                keys.add(s.streamKey());
            }
        }
        pending.add(new PendingFeedSubscribe(id, keys));
    }

    private void barFeed(JsonNode id, JsonNode params) {
        if (params.path("Unsubscribe").isArray()) {
            List<Instrument> instruments = symbols(params.get("Unsubscribe"));
            if (instruments == null) {
                send(TickTraderJson.error(id, "Invalid parameter 'Unsubscribe': an array of known symbols is expected"));
                return;
            }
            session.unsubscribe(instruments.stream().map(Instrument::symbol).toList(), List.of(Channel.BAR), null, null);
            send(TickTraderJson.response(id, "BarFeedSubscribe", TickTraderJson.object()));
            return;
        }
        JsonNode list = params.path("Subscribe");
        if (!list.isArray() || list.isEmpty()) {
            send(TickTraderJson.error(id, "Invalid parameters: 'Subscribe' or 'Unsubscribe' is required"));
            return;
        }
        Map<Instrument, List<StreamSpec>> specs = new LinkedHashMap<>();
        for (JsonNode item : list) {
            Instrument instrument = instrument(item.path("Symbol"));
            if (instrument == null) {
                send(TickTraderJson.error(id, "Symbol '" + abbreviate(item.path("Symbol").asText("")) + "' not found"));
                return;
            }
            JsonNode barParams = item.path("BarParams");
            if (!barParams.isArray() || barParams.isEmpty()) {
                send(TickTraderJson.error(id, "Invalid parameter 'BarParams' for " + instrument.symbol()));
                return;
            }
            Set<StreamSpec> wanted = new LinkedHashSet<>();
            for (JsonNode p : barParams) {
                Periodicity period = Periodicity.fromTickTrader(p.path("Periodicity").asText(""));
                PriceType type = PriceType.fromWire(p.path("PriceType").asText(""));
                if (period == null) {
                    send(TickTraderJson.error(id, "Invalid parameter 'Periodicity': expected one of M1, M5, M15, M30, H1, H4, D1, W1, MN1"));
                    return;
                }
                if (type != PriceType.BID && type != PriceType.ASK) {
                    send(TickTraderJson.error(id, "Invalid parameter 'PriceType': expected \"Bid\" or \"Ask\""));
                    return;
                }
                wanted.add(new StreamSpec(Channel.BAR, 0, 0, period, type));
            }
            specs.computeIfAbsent(instrument, k -> new ArrayList<>()).addAll(wanted);
        }
        String refused = checkPlan(Channel.BAR, specs.keySet());
        if (refused != null) {
            send(TickTraderJson.error(id, refused));
            return;
        }
        List<String> done = new ArrayList<>();
        for (Map.Entry<Instrument, List<StreamSpec>> e : specs.entrySet()) {
            if (session.subscribe(List.of(e.getKey().symbol()), e.getValue()) instanceof SessionOutcome.Refused r) {
                for (String symbol : done) { // all or nothing
                    List<StreamSpec> undo = specs.get(services.catalog().find(symbol));
                    session.unsubscribe(List.of(symbol), List.of(Channel.BAR),
                            undo.stream().map(StreamSpec::period).distinct().toList(),
                            undo.stream().map(StreamSpec::priceType).distinct().toList());
                }
                send(TickTraderJson.error(id, r.message()));
                return;
            }
            done.add(e.getKey().symbol());
        }
        // the ack goes out now, in this task; each bar's current value follows from fan-out in a
        // later one, as the seed's FeedBarUpdate
        send(TickTraderJson.response(id, "BarFeedSubscribe", TickTraderJson.object()));
    }

    /** Why the plan refuses these instruments on this channel, or {@code null}. */
    private String checkPlan(Channel channel, Set<Instrument> instruments) {
        Plan plan = session.account().plan();
        if (!plan.allows(channel)) {
            return "Plan '" + plan.name() + "' does not include " + (channel == Channel.BOOK ? "feed ticks" : "bars");
        }
        for (Instrument i : instruments) {
            if (!plan.entitles(i.assetClass())) {
                return "Plan '" + plan.name() + "' does not include " + i.symbol();
            }
        }
        return null;
    }

    private List<Instrument> symbols(JsonNode array) {
        List<Instrument> out = new ArrayList<>();
        for (JsonNode n : array) {
            Instrument i = instrument(n);
            if (i == null) {
                return null;
            }
            out.add(i);
        }
        return out.isEmpty() ? null : out;
    }

    private Instrument instrument(JsonNode symbol) {
        String s = symbol.isTextual() ? symbol.asText() : "";
        return s.isEmpty() || s.length() > 32 ? null : services.catalog().find(s);
    }

    // ---- outgoing stream frames -------------------------------------------------------------------

    @Override
    public ByteBuf outgoing(long streamKey, ByteBuf frame, boolean activation) {
        if (pending.isEmpty()) {
            return frame;
        }
        if (activation) {
            for (PendingFeedSubscribe p : pending) {
                if (p.awaits(streamKey)) {
                    p.arrived(streamKey, frame == null ? null : TickTraderWireFormat.feedTickResult(frame));
                    if (frame != null) {
                        frame.release();
                    }
                    answerCompleted();
                    return null;
                }
            }
        }
        // held by the latest request of the stream, so it follows that request's response
        for (int i = pending.size() - 1; frame != null && i >= 0; i--) {
            if (pending.get(i).covers(streamKey)) {
                pending.get(i).held.add(frame);
                answerCompleted();
                return null;
            }
        }
        return frame;
    }

    /**
     * A stream an earlier FeedSubscribe waits for is being dropped or restarted: its old snapshot
     * will never come (fan-out skips a dropped subscription), so that request stops waiting for it.
     */
    private void forgetPending(long key) {
        for (PendingFeedSubscribe p : pending) {
            if (p.awaits(key)) {
                p.arrived(key, null);
            }
        }
        answerCompleted();
    }

    /** Sends the responses of completed FeedSubscribes, in request order, each followed by what it held. */
    private void answerCompleted() {
        while (!pending.isEmpty() && pending.get(0).complete()) {
            PendingFeedSubscribe done = pending.remove(0);
            StringBuilder result = new StringBuilder("{\"Snapshot\":[");
            for (int i = 0; i < done.snapshots.size(); i++) {
                result.append(i == 0 ? "" : ",").append(done.snapshots.get(i));
            }
            result.append("]}");
            send(TickTraderJson.response(done.id, "FeedSubscribe", TickTraderJson.parse(result.toString())));
            ByteBuf held;
            while ((held = done.held.poll()) != null) {
                session.send(held);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pending.forEach(PendingFeedSubscribe::release);
        pending.clear();
        super.channelInactive(ctx);
    }

    // ---- Session.Protocol ---------------------------------------------------------------------------

    @Override
    public ByteBuf error(String rawRequestId, ErrorCode code, String message) {
        return frame(TickTraderJson.error(rawRequestId == null ? null : TickTraderJson.parse(rawRequestId), message));
    }

    private static String text(JsonNode params, String field) {
        JsonNode n = params.path(field);
        return n.isTextual() || n.isNumber() ? n.asText() : null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
