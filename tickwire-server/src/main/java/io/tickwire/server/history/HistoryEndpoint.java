package io.tickwire.server.history;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tickwire.auth.Account;
import io.tickwire.auth.Credential;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import io.tickwire.protocol.history.HistoryCsvWriter;
import io.tickwire.protocol.history.HistoryJsonWriter;
import io.tickwire.protocol.history.HistoryRequest;
import io.tickwire.protocol.history.HistoryRequestParser;
import io.tickwire.server.net.HttpEndpoint;
import io.tickwire.server.net.HttpResponses;
import io.tickwire.server.session.HandshakeCredentials;
import io.tickwire.server.session.auth.AuthGate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST history: {@code GET /v1/history/bars}, {@code /v1/history/trades}, {@code /v1/history/quotes}
 * with the native {@code history} request's parameters as query parameters, and
 * {@code GET /v1/instruments}. JSON by default (the native answer's shape, without {@code id}),
 * CSV with {@code format=csv} or {@code Accept: text/csv} (the next page's cursor then in the
 * {@code X-Next-Cursor} header).
 *
 * <p>Authenticated like the WebSocket (bearer header, {@code token} header or {@code ?token=}) and
 * charged to the account's request budget. Errors are JSON {@code {"error":code,"message":…}} with
 * the protocol's stable codes: 400 for bad parameters, 401 without valid credentials, 403 for an
 * instrument outside the account's plan, 404 for an unknown symbol, 429 over budget, 503 when history is unavailable or busy. Queries run on the
 * history service's threads; the event loop only parses and writes.
 */
public final class HistoryEndpoint implements HttpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryEndpoint.class);
    private static final String PREFIX = "/v1/history/";
    private static final String INSTRUMENTS = "/v1/instruments";
    private static final String CSV = "text/csv; charset=utf-8";
    private static final ThreadLocal<HistoryJsonWriter> JSON = ThreadLocal.withInitial(HistoryJsonWriter::new);

    private final HistoryService service;
    private final AuthGate gate;
    private final AccountRequestBudget budget;

    public HistoryEndpoint(HistoryService service, AuthGate gate, AccountRequestBudget budget) {
        this.service = service;
        this.gate = gate;
        this.budget = budget;
    }

    @Override
    public boolean matches(String path) {
        return path.equals(INSTRUMENTS) || path.startsWith(PREFIX);
    }

    @Override
    public FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        throw new UnsupportedOperationException("history answers asynchronously");
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, Consumer<FullHttpResponse> respond) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (!request.method().equals(HttpMethod.GET)) {
            FullHttpResponse response = HttpResponses.error(ctx.alloc(), HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", path + " answers GET only");
            response.headers().set(HttpHeaderNames.ALLOW, "GET");
            respond.accept(response);
            return;
        }
        HistoryRequest.Kind kind = null;
        if (!path.equals(INSTRUMENTS)) {
            kind = HistoryRequest.Kind.fromWire(path.substring(PREFIX.length()));
            if (kind == null) {
                respond.accept(HttpResponses.error(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "not_found",
                        "no resource at " + path + "; history is at /v1/history/bars, /v1/history/trades and /v1/history/quotes"));
                return;
            }
        }
        Credential credential = HandshakeCredentials.find(request.headers(), request.uri());
        if (credential == null) {
            respond.accept(unauthorized(ctx, ErrorCode.NOT_AUTHENTICATED, "give an API token: Authorization: Bearer <token>,"
                    + " a 'token' header or ?token=<token>"));
            return;
        }
        // through the gate, as a WebSocket login: failed attempts count towards the address's ban; a request
        // has no room for a one-time password, so an account that needs one is refused
        AuthGate.Decision decision = gate.withoutSecondFactor(credential, AuthGate.addressOf(ctx.channel()), "REST",
                "use the WebSocket history request");
        if (decision instanceof AuthGate.Decision.Refused refused) {
            FullHttpResponse response = switch (refused.code()) {
                // a banned address is told when to come back in the body too, as a banned WebSocket login is
                case TOO_MANY_FAILURES -> HttpResponses.json(ctx.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS,
                        "{\"error\":\"" + ErrorCode.TOO_MANY_FAILURES.wire() + "\",\"message\":\""
                                + HttpResponses.escape(refused.message()) + "\",\"retryAfterMs\":" + refused.retryAfterMs() + "}");
                case TWO_FACTOR_REQUIRED -> unauthorized(ctx, ErrorCode.TWO_FACTOR_REQUIRED, refused.message());
                default -> unauthorized(ctx, ErrorCode.AUTH_FAILED, refused.message());
            };
            if (refused.retryAfterMs() > 0) {
                response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (refused.retryAfterMs() + 999) / 1_000)));
            }
            respond.accept(response);
            return;
        }
        AuthGate.Decision.Accepted accepted = (AuthGate.Decision.Accepted) decision;
        Account account = accepted.success().account();
        long retryAfter = budget.charge(account);
        if (retryAfter >= 0) {
            FullHttpResponse response = error(ctx, ErrorCode.RATE_LIMITED, "too many requests; retry after " + retryAfter + " ms");
            response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter + 999) / 1_000)));
            respond.accept(response);
            return;
        }
        Map<String, List<String>> params = uri.parameters();
        boolean csv;
        String format = first(params, "format");
        if (format == null) {
            String accept = request.headers().get(HttpHeaderNames.ACCEPT);
            csv = accept != null && accept.contains("text/csv");
        } else if (format.equals("csv") || format.equals("json")) {
            csv = format.equals("csv");
        } else {
            respond.accept(error(ctx, ErrorCode.INVALID_FIELD, "format must be json or csv, not '" + format + "'"));
            return;
        }
        if (kind == null) {
            HistoryService.Listings listings = service.instruments(account.plan());
            respond.accept(json(ctx, JSON.get().instruments(null, listings.instruments(), listings.historyAvailable())));
            return;
        }
        HistoryRequest parsed;
        try {
            parsed = HistoryRequestParser.parse(name -> first(params, name), kind, null);
        } catch (ProtocolException e) {
            respond.accept(error(ctx, e.code(), e.getMessage()));
            return;
        }
        service.query(parsed, account.plan()).thenAccept(result -> {
            FullHttpResponse response;
            try {
                response = answer(ctx, result, csv);
            } catch (RuntimeException e) {
                LOG.error("encoding a history answer failed", e);
                response = error(ctx, ErrorCode.INTERNAL_ERROR, "the answer could not be encoded");
            }
            respond.accept(response);
        });
    }

    private static FullHttpResponse answer(ChannelHandlerContext ctx, HistoryResult result, boolean csv) {
        if (result instanceof HistoryResult.Refused refused) {
            return error(ctx, refused.code(), refused.message());
        }
        if (!csv) {
            ByteSink sink = switch (result) {
                case HistoryResult.Bars b -> JSON.get().bars(null, b.instrument(), b.request(), b.bars(), b.next());
                case HistoryResult.Trades t -> JSON.get().trades(null, t.instrument(), t.request(), t.trades(), t.next());
                case HistoryResult.Quotes q -> JSON.get().quotes(null, q.instrument(), q.request(), q.quotes(), q.next());
                case HistoryResult.Refused r -> throw new IllegalStateException("handled above");
            };
            return json(ctx, sink);
        }
        String next;
        String body = switch (result) {
            case HistoryResult.Bars b -> {
                next = b.next();
                yield HistoryCsvWriter.bars(b.instrument(), b.bars());
            }
            case HistoryResult.Trades t -> {
                next = t.next();
                yield HistoryCsvWriter.trades(t.instrument(), t.trades());
            }
            case HistoryResult.Quotes q -> {
                next = q.next();
                yield HistoryCsvWriter.quotes(q.instrument(), q.quotes());
            }
            case HistoryResult.Refused r -> throw new IllegalStateException("handled above");
        };
        FullHttpResponse response = HttpResponses.body(ctx.alloc(), HttpResponseStatus.OK, CSV, body);
        if (next != null) {
            response.headers().set("X-Next-Cursor", next);
        }
        return response;
    }

    private static FullHttpResponse json(ChannelHandlerContext ctx, ByteSink sink) {
        return HttpResponses.json(ctx.alloc(), HttpResponseStatus.OK, new String(sink.array(), 0, sink.length(),
                StandardCharsets.UTF_8));
    }

    private static FullHttpResponse unauthorized(ChannelHandlerContext ctx, ErrorCode code, String message) {
        FullHttpResponse response = error(ctx, code, message);
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    private static FullHttpResponse error(ChannelHandlerContext ctx, ErrorCode code, String message) {
        return HttpResponses.error(ctx.alloc(), status(code), code.wire(), message);
    }

    /** The HTTP status of each error a history request can get. */
    static HttpResponseStatus status(ErrorCode code) {
        return switch (code) {
            case NOT_AUTHENTICATED, AUTH_FAILED, TWO_FACTOR_REQUIRED -> HttpResponseStatus.UNAUTHORIZED;
            case NOT_ENTITLED -> HttpResponseStatus.FORBIDDEN;
            case UNKNOWN_SYMBOL -> HttpResponseStatus.NOT_FOUND;
            case RATE_LIMITED, TOO_MANY_FAILURES -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case HISTORY_UNAVAILABLE, SERVER_BUSY -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case INTERNAL_ERROR -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
