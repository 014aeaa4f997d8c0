package io.tickwire.auth;

/** The outcome of an authentication attempt. */
public sealed interface AuthResult {

    /**
     * The credential is good: the account it belongs to.
     *
     * @param credentialId    the stored credential that matched (token, key or session id), for
     *                        revocation and logs; {@code null} when not tracked
     * @param expiresAtMicros when the credential stops being valid (epoch microseconds), or
     *                        {@link #NEVER}
     */
    record Success(Account account, String credentialId, long expiresAtMicros) implements AuthResult {
        /** The expiry of a credential that does not expire. */
        public static final long NEVER = Long.MAX_VALUE;

        /** A credential that does not expire and is not tracked. */
        public Success(Account account) {
            this(account, null, NEVER);
        }

        /** Whether the credential expires. */
        public boolean expires() {
            return expiresAtMicros != NEVER;
        }
    }

    /** The credential was refused; {@code message} is safe to show the client (it holds no secret). */
    record Failure(Reason reason, String message) implements AuthResult {
    }

    /** Why a credential was refused. Each maps to its own stable error code on the wire. */
    enum Reason {
        /** No credential of this kind matches. */
        INVALID_CREDENTIAL,
        /** This authenticator does not handle this kind of credential. */
        UNSUPPORTED_CREDENTIAL,
        /** An HMAC signature does not match the key's secret (or the key is unknown). */
        SIGNATURE_INVALID,
        /** An HMAC signature that was already accepted once. */
        SIGNATURE_REPLAYED,
        /** An HMAC login whose timestamp is outside the accepted window around the server's clock. */
        TIMESTAMP_OUT_OF_WINDOW,
        /** A JWT that is malformed, wrongly signed or carries claims a WebSocket JWT must not. */
        JWT_INVALID,
        /** A JWT whose algorithm is not accepted ({@code none}, HMAC, RSA, or not the key's). */
        JWT_ALG_NOT_ALLOWED,
        /** A JWT whose key id ({@code kid}) is not registered. */
        JWT_UNKNOWN_KEY,
        /** A JWT past its {@code exp}. */
        JWT_EXPIRED,
        /** A JWT before its {@code nbf}/{@code iat}. */
        JWT_NOT_YET_VALID,
        /** A JWT whose lifetime ({@code exp} minus {@code nbf}/{@code iat}) is longer than allowed. */
        JWT_LIFETIME_TOO_LONG,
        /** A session token (or other expiring credential) past its expiry. */
        CREDENTIAL_EXPIRED,
        /** A one-time password that does not match. */
        TOTP_INVALID,
        /** A one-time password that was already used. */
        TOTP_REUSED,
        /** A two-factor resume token that is unknown, expired or for another account. */
        RESUME_INVALID
    }
}
