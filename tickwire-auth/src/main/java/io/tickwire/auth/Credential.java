package io.tickwire.auth;

/**
 * What a client presents to prove who it is. {@code toString} never shows the secret.
 */
public sealed interface Credential {

    /** A bearer API token, from a handshake header, a query parameter or an auth message. */
    record ApiToken(String token) implements Credential {
        @Override
        public String toString() {
            return "ApiToken[<redacted>]";
        }
    }
}
