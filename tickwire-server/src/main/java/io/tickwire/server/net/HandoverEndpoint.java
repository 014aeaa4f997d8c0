package io.tickwire.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.session.auth.AuthGate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.ToIntBiFunction;

/**
 * {@code POST /admin/handover?spreadMs=…&url=…}: asks every connected client to reconnect (a
 * {@code reconnect} message, each at a moment within {@code spreadMs}), while the server goes on
 * accepting: to move clients to another server ({@code url}), or to rebalance. Authorised by the
 * admin token whose hash is {@code server.adminTokenHash}; without one configured the endpoint
 * does not exist (404). Answers {@code 202} with how many connections were asked. A wrong admin
 * token counts towards the address's ban in the {@link AuthGate}, like a failed login; a banned
 * address is answered 429 {@code too_many_failures} with {@code Retry-After} before its token is
 * looked at, so the admin token cannot be guessed at the network's speed.
 */
public final class HandoverEndpoint implements HttpEndpoint {

    private static final String PATH = "/admin/handover";
    /** The scheme label of admin attempts in the auth metrics. */
    private static final String SCHEME = "admin";

    private final byte[] adminTokenHash;
    private final long defaultSpreadMs;
    private final AuthGate gate;
    private final ToIntBiFunction<Long, String> handover;

    /**
     * @param adminTokenHash  {@code sha256:…} of the admin token, or blank: no admin access
     * @param gate            counts wrong admin tokens against the address, with every other login
     * @param handover        asks the clients to move; returns how many were asked
     */
    public HandoverEndpoint(String adminTokenHash, long defaultSpreadMs, AuthGate gate,
                            ToIntBiFunction<Long, String> handover) {
        this.adminTokenHash = adminTokenHash == null || adminTokenHash.isBlank() ? null
                : adminTokenHash.getBytes(StandardCharsets.US_ASCII);
        this.defaultSpreadMs = defaultSpreadMs;
        this.gate = gate;
        this.handover = handover;
    }

    @Override
    public boolean matches(String path) {
        return path.equals(PATH);
    }

    @Override
    public FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (adminTokenHash == null) {
            return HttpResponses.error(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "not_found",
                    "no resource at " + PATH + " (no server.adminTokenHash is configured)");
        }
        String address = AuthGate.addressOf(ctx.channel());
        long banned = gate.failures().bannedForMillis(address, null);
        if (banned > 0) {
            gate.metrics().failed(SCHEME, ErrorCode.TOO_MANY_FAILURES.wire());
            FullHttpResponse refused = HttpResponses.json(ctx.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS,
                    "{\"error\":\"" + ErrorCode.TOO_MANY_FAILURES.wire() + "\",\"message\":\"too many failed attempts\","
                            + "\"retryAfterMs\":" + banned + "}");
            refused.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (banned + 999) / 1_000)));
            return refused;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        String token = authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : "";
        if (token.isEmpty() || !MessageDigest.isEqual(adminTokenHash,
                TokenHash.of(token).getBytes(StandardCharsets.US_ASCII))) {
            if (!token.isEmpty()) { // as for history: no credential at all is not a guess
                gate.metrics().failed(SCHEME, ErrorCode.AUTH_FAILED.wire());
                gate.failures().failed(address, null);
            }
            return HttpResponses.error(ctx.alloc(), HttpResponseStatus.UNAUTHORIZED, "auth_failed",
                    "the admin token is missing or wrong");
        }
        if (!request.method().equals(HttpMethod.POST)) {
            FullHttpResponse refused = HttpResponses.error(ctx.alloc(), HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", PATH + " takes POST");
            refused.headers().set(HttpHeaderNames.ALLOW, "POST");
            return refused;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        long spreadMs = defaultSpreadMs;
        List<String> spread = query.parameters().get("spreadMs");
        if (spread != null) {
            try {
                spreadMs = Long.parseLong(spread.getFirst());
            } catch (NumberFormatException e) {
                spreadMs = -1;
            }
            if (spreadMs < 0 || spreadMs > 600_000) {
                return HttpResponses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, "invalid_field",
                        "spreadMs must be 0..600000 milliseconds");
            }
        }
        List<String> url = query.parameters().get("url");
        int asked = handover.applyAsInt(spreadMs, url == null ? null : url.getFirst());
        return HttpResponses.json(ctx.alloc(), HttpResponseStatus.ACCEPTED,
                "{\"connections\":" + asked + ",\"spreadMs\":" + spreadMs + "}");
    }
}
