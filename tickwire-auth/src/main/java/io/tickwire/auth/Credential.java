package io.tickwire.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a client presents to prove who it is. {@code toString} never shows a secret.
 */
public sealed interface Credential {

    /** The scheme this credential belongs to. */
    Scheme scheme();

    /**
     * An identifier of the key presented, for logs: never the secret itself (a token is shown as a
     * prefix of its hash). The HMAC one holds the client's Web API id as sent, of any length and
     * with any characters: log it through {@link LogSafe}.
     */
    String keyId();

    /** A bearer API token, from a handshake header, a query parameter or an auth message. */
    record ApiToken(String token) implements Credential {
        @Override
        public Scheme scheme() {
            return Scheme.TOKEN;
        }

        @Override
        public String keyId() {
            return "token:" + shortDigest(token);
        }

        @Override
        public String toString() {
            return "ApiToken[<redacted>]";
        }
    }

    /**
     * A TickTrader-style HMAC login: {@code signature} is
     * {@code Base64(HMAC-SHA256(timestamp + webApiId + webApiKey, secret))}.
     *
     * @param timestamp the milliseconds since the epoch exactly as the client signed them (decimal text)
     */
    record HmacSignature(String webApiId, String webApiKey, String timestamp, String signature) implements Credential {
        @Override
        public Scheme scheme() {
            return Scheme.HMAC;
        }

        @Override
        public String keyId() {
            return "hmac:" + webApiId;
        }

        @Override
        public String toString() {
            return "HmacSignature[webApiId=" + LogSafe.of(webApiId) + ", timestamp=" + LogSafe.of(timestamp)
                    + ", signature=<redacted>]";
        }
    }

    /** A JSON Web Token signed with the client's private key (ES256 or EdDSA), as Coinbase clients send. */
    record Jwt(String token) implements Credential {
        @Override
        public Scheme scheme() {
            return Scheme.JWT;
        }

        @Override
        public String keyId() {
            return "jwt:" + shortDigest(token);
        }

        @Override
        public String toString() {
            return "Jwt[<redacted>]";
        }
    }

    /** A session token issued by the OAuth2 exchange, sent in the {@code X-ZUMO-AUTH} header. */
    record SessionToken(String token) implements Credential {
        @Override
        public Scheme scheme() {
            return Scheme.SESSION;
        }

        @Override
        public String keyId() {
            return "session:" + shortDigest(token);
        }

        @Override
        public String toString() {
            return "SessionToken[<redacted>]";
        }
    }

    /** The first 12 hex digits of a secret's SHA-256: identifies it in logs without revealing it. */
    static String shortDigest(String secret) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
