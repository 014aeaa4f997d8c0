package io.tickwire.client;

import java.util.Objects;

/**
 * How the client proves who it is. Today an API token; signed (HMAC) requests, JWTs and OAuth2
 * session tokens will join as further kinds, made with further factory methods here.
 *
 * <p>Immutable and thread-safe. A credential's {@code toString()} never shows the secret, so it is
 * safe to log.
 */
public sealed interface Credentials permits TokenCredentials {

    /**
     * An API token, as issued by {@code tickwire keys}. The client sends it in an {@code auth}
     * message after the server's welcome (never in the URL, so it stays out of access logs).
     *
     * @throws IllegalArgumentException if the token is blank
     */
    static Credentials token(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        return new TokenCredentials(token);
    }
}
