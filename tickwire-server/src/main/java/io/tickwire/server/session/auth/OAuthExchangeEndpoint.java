package io.tickwire.server.session.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tickwire.auth.LogSafe;
import io.tickwire.auth.oauth.SessionExchange;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.net.HttpEndpoint;
import io.tickwire.server.net.HttpResponses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enterprise OAuth2 exchange (seed 003), {@code POST /.auth/login/aad} by default:
 * {@code {"access_token":"…"}} in, {@code {"authenticationToken":"…","user":{"userId":"sid:…"},"expiresAt":µs,"expiresIn":s}}
 * out, the token then sent in the {@code X-ZUMO-AUTH} handshake header. Refusals are JSON
 * {@code {"error":code,"message":…}} with 400 (bad request), 401 (the token is refused, with the
 * same codes as the WebSocket), 429 ({@code too_many_failures}, with {@code retryAfterMs}) or 503
 * (the provider cannot be reached).
 *
 * <p>The validation and the write of the session token are blocking: they run on the
 * {@link AuthGate#blocking()} executor, never on the event loop. Thread-safe.
 */
public final class OAuthExchangeEndpoint implements HttpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthExchangeEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String path;
    private final SessionExchange exchange;
    private final AuthGate gate;

    public OAuthExchangeEndpoint(String path, SessionExchange exchange, AuthGate gate) {
        this.path = path;
        this.exchange = exchange;
        this.gate = gate;
    }

    @Override
    public boolean matches(String requestPath) {
        return requestPath.equals(path);
    }

    @Override
    public FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        throw new UnsupportedOperationException("answered by handleAsync");
    }

    @Override
    public CompletionStage<FullHttpResponse> handleAsync(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            FullHttpResponse response = HttpResponses.error(ctx.alloc(), HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", path + " takes POST with {\"access_token\":\"…\"}");
            response.headers().set("Allow", "POST");
            return CompletableFuture.completedFuture(response);
        }
        String address = AuthGate.addressOf(ctx.channel());
        long banned = gate.failures().bannedForMillis(address, null);
        if (banned > 0) {
            gate.metrics().failed("oauth2", ErrorCode.TOO_MANY_FAILURES.wire());
            return CompletableFuture.completedFuture(HttpResponses.json(ctx.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS,
                    "{\"error\":\"" + ErrorCode.TOO_MANY_FAILURES.wire() + "\",\"message\":\"too many failed attempts\","
                            + "\"retryAfterMs\":" + banned + "}"));
        }
        String accessToken;
        try {
            JsonNode body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
            JsonNode token = body == null ? null : body.get("access_token");
            if (token == null || !token.isTextual() || token.asText().isEmpty()) {
                return CompletableFuture.completedFuture(bad(ctx, "field 'access_token' is required"));
            }
            accessToken = token.asText();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(bad(ctx, "the body must be JSON: {\"access_token\":\"…\"}"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> exchange.exchange(accessToken), gate.blocking())
                    .thenApply(outcome -> answer(ctx, outcome, address));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(HttpResponses.error(ctx.alloc(), HttpResponseStatus.SERVICE_UNAVAILABLE,
                    ErrorCode.SERVER_BUSY.wire(), "too many exchanges at once; retry"));
        }
    }

    private FullHttpResponse answer(ChannelHandlerContext ctx, SessionExchange.Outcome outcome, String address) {
        return switch (outcome) {
            case SessionExchange.Outcome.Exchanged ok -> {
                gate.metrics().succeeded("oauth2");
                LOG.info("OAuth2 exchange from {}: session {} for account {}", address, ok.userId(), ok.account().name());
                yield HttpResponses.json(ctx.alloc(), HttpResponseStatus.OK, "{\"authenticationToken\":\""
                        + ok.sessionToken() + "\",\"user\":{\"userId\":\"" + HttpResponses.escape(ok.userId())
                        + "\"},\"expiresAt\":" + ok.expiresAtMicros() + ",\"expiresIn\":" + ok.expiresInSeconds() + "}");
            }
            case SessionExchange.Outcome.Refused refused -> {
                ErrorCode code = AuthGate.codeOf(refused.reason());
                gate.metrics().failed("oauth2", code.wire());
                gate.failures().failed(address, null);
                LOG.info("OAuth2 exchange from {} refused: {}", address, code.wire());
                yield HttpResponses.error(ctx.alloc(), HttpResponseStatus.UNAUTHORIZED, code.wire(), refused.message());
            }
            case SessionExchange.Outcome.Unavailable unavailable -> {
                LOG.warn("OAuth2 exchange from {}: {}", address, LogSafe.of(unavailable.message(), 512)); // holds the provider's text
                yield HttpResponses.error(ctx.alloc(), HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVER_BUSY.wire(),
                        "the identity provider cannot be reached; retry later");
            }
        };
    }

    private static FullHttpResponse bad(ChannelHandlerContext ctx, String message) {
        return HttpResponses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, ErrorCode.INVALID_FIELD.wire(), message);
    }
}
