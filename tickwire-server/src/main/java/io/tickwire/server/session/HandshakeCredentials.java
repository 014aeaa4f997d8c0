package io.tickwire.server.session;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tickwire.auth.Credential;
import java.util.List;

/**
 * Finds a credential in a WebSocket handshake or a REST request: an OAuth2 session token in the session header
 * ({@code X-ZUMO-AUTH} by default), then {@code Authorization: Bearer …} (a JWT if it looks like
 * one — three dot-separated parts starting {@code eyJ} — else an API token), a {@code token}
 * header (as iTick's clients send it), or a {@code token} query parameter (browsers cannot set
 * headers). The first present wins, in that order. Stateless.
 */
public final class HandshakeCredentials {

    private HandshakeCredentials() {
    }

    /** The credential in the handshake, or {@code null} if there is none. */
    public static Credential find(HttpHeaders headers, String uri) {
        return find(headers, uri, "X-ZUMO-AUTH");
    }

    /** The credential in the handshake, with session tokens in {@code sessionHeader}, or {@code null}. */
    public static Credential find(HttpHeaders headers, String uri, String sessionHeader) {
        String session = headers.get(sessionHeader);
        if (session != null && !session.isBlank()) {
            return new Credential.SessionToken(session.trim());
        }
        String authorization = headers.get("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            if (!token.isEmpty()) {
                return looksLikeJwt(token) ? new Credential.Jwt(token) : new Credential.ApiToken(token);
            }
        }
        String header = headers.get("token");
        if (header != null && !header.isBlank()) {
            return new Credential.ApiToken(header.trim());
        }
        List<String> query = new QueryStringDecoder(uri).parameters().get("token");
        if (query != null && !query.isEmpty() && !query.get(0).isBlank()) {
            return new Credential.ApiToken(query.get(0).trim());
        }
        return null;
    }

    private static boolean looksLikeJwt(String token) {
        return token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
    }
}
