package io.tickwire.protocol;

/**
 * Stable, machine-readable error codes sent in {@code error} messages. The wire form
 * ({@link #wire()}) never changes once released; the human message may.
 *
 * <p>The table in {@code docs/protocol.md} lists each code with when it is sent.
 */
public enum ErrorCode {
    /** The frame is not valid JSON. */
    MALFORMED_JSON("malformed_json"),
    /** The frame is valid JSON but not a JSON object. */
    INVALID_MESSAGE("invalid_message"),
    /** The {@code op} is not one this protocol knows. */
    UNKNOWN_OP("unknown_op"),
    /** A field is missing, has the wrong type or an invalid value; the message names it. */
    INVALID_FIELD("invalid_field"),
    /** The request needs an authenticated session. */
    NOT_AUTHENTICATED("not_authenticated"),
    /** The credentials were not accepted; the connection is closed after this error. */
    AUTH_FAILED("auth_failed"),
    /** Authentication came after the deadline; the connection is closed after this error. */
    AUTH_TIMEOUT("auth_timeout"),
    /** The session is already authenticated. */
    ALREADY_AUTHENTICATED("already_authenticated"),
    /** No instrument has this symbol (reported per symbol). */
    UNKNOWN_SYMBOL("unknown_symbol"),
    /** No channel has this name. */
    UNKNOWN_CHANNEL("unknown_channel"),
    /** The account's plan does not include this channel. */
    CHANNEL_NOT_ALLOWED("channel_not_allowed"),
    /** A book depth outside 1 to the instrument's maximum. */
    INVALID_DEPTH("invalid_depth"),
    /** A throttle interval that is not one of those offered. */
    INVALID_THROTTLE("invalid_throttle"),
    /** A bar period that does not exist. */
    UNKNOWN_PERIOD("unknown_period"),
    /** A price type other than bid, ask or last. */
    UNKNOWN_PRICE_TYPE("unknown_price_type"),
    /** The request would take the session over its plan's symbol limit; nothing was subscribed. */
    SYMBOL_LIMIT("symbol_limit"),
    /** Unsubscribe of a symbol and channel that is not subscribed (reported per item). */
    NOT_SUBSCRIBED("not_subscribed"),
    /** A snapshot was asked for a stream that has no value yet (no quote, no book, no bar so far). */
    NO_DATA("no_data"),
    /** A history request's time range is empty or reversed ({@code from} not before {@code to}). */
    INVALID_TIME_RANGE("invalid_time_range"),
    /** A timestamp is not microseconds since the epoch or an ISO-8601 instant, or is out of range. */
    INVALID_TIMESTAMP("invalid_timestamp"),
    /** A history {@code count} or {@code limit} is 0 or beyond the most one request may ask (1000). */
    COUNT_OUT_OF_RANGE("count_out_of_range"),
    /** A history {@code cursor} is not one this server issued for this kind of request. */
    INVALID_CURSOR("invalid_cursor"),
    /** History cannot be read now: the store is disabled, failed or closed; live streaming is unaffected. */
    HISTORY_UNAVAILABLE("history_unavailable"),
    /** Too many requests; the request was not processed. Retry after {@code retryAfterMs}. */
    RATE_LIMITED("rate_limited"),
    /** The account already has its plan's number of connections. */
    CONNECTION_LIMIT("connection_limit"),
    /** The server cannot take the request now (an internal queue is full); retry. */
    SERVER_BUSY("server_busy"),
    /** A bug or fault on the server; the request may or may not have taken effect. */
    INTERNAL_ERROR("internal_error"),

    // ---- authentication schemes: one code per reason a credential is refused ----

    /** The credential's scheme is not enabled on this server. */
    SCHEME_NOT_ENABLED("scheme_not_enabled"),
    /** An HMAC login signature does not match the Web API key (or the key is unknown). */
    SIGNATURE_INVALID("signature_invalid"),
    /** An HMAC login signature that was already used once. */
    SIGNATURE_REPLAYED("signature_replayed"),
    /** An HMAC login timestamp too far from the server's clock. */
    TIMESTAMP_OUT_OF_WINDOW("timestamp_out_of_window"),
    /** The account needs a second factor before this request: send {@code twoFactor}. */
    TWO_FACTOR_REQUIRED("two_factor_required"),
    /** A {@code twoFactor} request when no second factor is awaited. */
    TWO_FACTOR_NOT_PENDING("two_factor_not_pending"),
    /** A one-time password that does not match. */
    TOTP_INVALID("totp_invalid"),
    /** A one-time password that was already used. */
    TOTP_REUSED("totp_reused"),
    /** A two-factor resume token that is unknown, expired or of another account. */
    RESUME_INVALID("resume_invalid"),
    /** A JWT that is malformed, wrongly signed, or carries claims a WebSocket JWT must not. */
    JWT_INVALID("jwt_invalid"),
    /** A JWT signed with an algorithm that is not accepted ({@code none}, HMAC, RSA, not the key's). */
    JWT_ALG_NOT_ALLOWED("jwt_alg_not_allowed"),
    /** A JWT whose {@code kid} is not a registered key. */
    JWT_UNKNOWN_KEY("jwt_unknown_key"),
    /** A JWT past its expiry. */
    JWT_EXPIRED("jwt_expired"),
    /** A JWT not valid yet. */
    JWT_NOT_YET_VALID("jwt_not_yet_valid"),
    /** A JWT valid for longer than accepted (2 minutes). */
    JWT_LIFETIME_TOO_LONG("jwt_lifetime_too_long"),
    /** The session's credential (JWT, session token) expired; the connection is closed with 4006. */
    CREDENTIAL_EXPIRED("credential_expired"),
    /** The session's credential was revoked; the connection is closed with 4002. */
    CREDENTIAL_REVOKED("credential_revoked"),
    /** The account's plan changed while connected; the session closes (4010) so the new limits apply. */
    PLAN_CHANGED("plan_changed"),
    /** Too many failed attempts from this address or with this key: banned for {@code retryAfterMs}; close 4009. */
    TOO_MANY_FAILURES("too_many_failures"),
    /** In {@code rejected}: the plan does not include the instrument's set (asset class). */
    NOT_ENTITLED("not_entitled"),
    /**
     * On {@code /v1/publish}: this node takes no events (a cluster's gateway, or a standby while
     * another candidate is the ingest node); then close 1008 (gateway) or 1013 (standby).
     */
    NOT_INGEST_NODE("not_ingest_node"),
    /**
     * On {@code /v1/publish}: events this publisher sent may have been lost after the ingest node
     * took them (the cluster's topic unreachable for longer than its queue holds, or refusing
     * records); the {@code taken} count stops before them; then close 1013: send the frames not
     * counted again.
     */
    APPEND_FAILED("append_failed"),
    /** A credential of another account than the session's. */
    ACCOUNT_MISMATCH("account_mismatch");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as sent on the wire, e.g. {@code "symbol_limit"}. */
    public String wire() {
        return wire;
    }

    /** The code with this wire form, or {@code null}. */
    public static ErrorCode fromWire(String wire) {
        for (ErrorCode code : values()) {
            if (code.wire.equals(wire)) {
                return code;
            }
        }
        return null;
    }
}
