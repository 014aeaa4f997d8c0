package io.tickwire.server.dialect.ticktrader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickwire.auth.Credential;
import io.tickwire.auth.Plan;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.dialect.DialectHandler;
import io.tickwire.server.session.Session;
import io.tickwire.server.session.SessionOutcome;
import io.tickwire.server.session.SessionServices;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The TickTrader Feed dialect on one connection ({@code /ticktrader}, seed 004): every request of
 * the seed, answered with the request's {@code Id} and the seed's {@code Response}/{@code Result}
 * shapes, or {@code "Response":"Error"} with a description.
 *
 * <p>{@code Login} is HMAC (the seed's signature); an account with a TOTP seed then needs
 * {@code TwoFactor}. Subscriptions are {@link TickTraderFeeds}', history {@link TickTraderHistory}'s
 * and reference data {@link TickTraderReference}'s. Confined to the connection's event loop.
 */
public final class TickTraderProtocolHandler extends DialectHandler {

    private final TickTraderServices dialect;
    private final TickTraderReference reference;
    private final TickTraderHistory history;
    private final String clientSessionId = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
    private long createdMillis;
    private ChannelHandlerContext context;
    /**
     * The login's Web API id, device and application session: the key of its two-factor resume
     * token; {@code null} when the login named no device or application session (no resume then).
     */
    private String loginKey;
    private long twoFactorExpiresMillis = -1;
    private TickTraderFeeds feeds;

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
        feeds = new TickTraderFeeds(session, services.catalog(), this::send);
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
                    reference.symbols(text(params, "Symbol"), text(params, "Security"), plan())));
            case "FeedSubscribe" -> feeds.feed(id, params);
            case "BarFeedSubscribe" -> feeds.barFeed(id, params);
            case "QuoteHistoryVersion" -> history.version(id, answer);
            case "QuoteHistorySymbols" -> history.symbols(id, plan(), answer);
            case "QuoteHistoryPeriodicities" -> history.periodicities(id, params, plan(), answer);
            case "QuoteHistoryBarsInfo" -> history.barsInfo(id, params, plan(), answer);
            case "QuoteHistoryBars" -> history.bars(id, params, plan(), context.executor(), json -> {
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
        // A resume carries no token in TickTrader: the grant kept for this login's device and
        // application session is used, and only from the address that gave the one-time password
        // (TwoFactorResumes), so the first factor alone never passes for both. Without one the
        // session still asks the gate, which counts the miss as a failed second factor: guessing
        // device and session ids is throttled (and banned, 4009) like guessing passwords.
        String resume = code == null ? dialect.resumes().get(loginKey, session.remoteAddress()) : null;
        SessionOutcome outcome = session.twoFactor(code, resume);
        switch (outcome) {
            case SessionOutcome.Authenticated a -> {
                twoFactorExpiresMillis = a.twoFactor() == null ? -1 : a.twoFactor().expiresAtMicros() / 1_000;
                if (a.twoFactor() != null) {
                    dialect.resumes().put(loginKey, a.twoFactor().resumeToken(), session.remoteAddress());
                }
                send(twoFactorSuccess(id, twoFactorExpiresMillis));
            }
            case SessionOutcome.Refused r when r.close() == null && code == null && resume == null
                    && r.code() == ErrorCode.RESUME_INVALID ->
                    send(TickTraderJson.error(id, "No two-factor token to resume for this device and application session"));
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

    /**
     * An authentication refusal: the error, then the close the refusal calls for (as the native
     * protocol closes). A refused second Login on a logged-in session keeps it, as on {@code /v1/ws}.
     */
    private void refuseAuth(JsonNode id, SessionOutcome.Refused refused) {
        send(TickTraderJson.error(id, switch (refused.code()) {
            // the session's own refusals, in TickTrader's words (the others name the credential's fault)
            case TWO_FACTOR_REQUIRED -> "Two-factor authentication is required.";
            case TWO_FACTOR_NOT_PENDING -> session.state() == Session.State.AUTHENTICATED
                    ? "Two-factor authentication is not pending: the session is logged in" : "Session is not logged in";
            default -> refused.message();
        }));
        if (refused.close() != null) { // else the session carries on (a refused second Login keeps the first)
            session.close(refused.close(), refused.close().reason());
        }
    }

    // ---- outgoing stream frames -------------------------------------------------------------------

    @Override
    public ByteBuf outgoing(long streamKey, ByteBuf frame, boolean activation) {
        return feeds == null ? frame : feeds.outgoing(streamKey, frame, activation);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (feeds != null) {
            feeds.release();
        }
        super.channelInactive(ctx);
    }

    // ---- Session.Protocol ---------------------------------------------------------------------------

    @Override
    public ByteBuf error(String rawRequestId, ErrorCode code, String message) {
        return frame(TickTraderJson.error(rawRequestId == null ? null : TickTraderJson.parse(rawRequestId), message));
    }

    /** The account's plan as it is now (a plan change applies to the next request). */
    private Plan plan() {
        return session.account().plan();
    }

    private static String text(JsonNode params, String field) {
        JsonNode n = params.path(field);
        return n.isTextual() || n.isNumber() ? n.asText() : null;
    }

    private static String abbreviate(String s) {
        return TickTraderJson.abbreviate(s);
    }
}
