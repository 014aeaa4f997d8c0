package io.tickwire.protocol;

/**
 * WebSocket close codes the server uses, with the reason text it sends. One table for every
 * protocol and dialect; {@code docs/protocol.md} documents each.
 *
 * <p>Codes below 4000 are the standard ones of RFC 6455; 4000-4999 are Tickwire's own. A client
 * should reconnect after 1001, 1011, 1013, 4003 (only if it wants to take over again), 4004 and
 * 4006 (after refreshing its credential), 4009 (after the ban's {@code retryAfterMs}) and 4010 (the
 * account's plan changed: the new connection gets the new plan's limits), and should
 * not after 4002, 4005 or 4007 without a change.
 */
public enum CloseCode {
    NORMAL(1000, "normal closure"),
    GOING_AWAY(1001, "server going away"),
    UNSUPPORTED_DATA(1003, "binary frames are not supported; send JSON text frames"),
    POLICY_VIOLATION(1008, "policy violation"),
    MESSAGE_TOO_BIG(1009, "message too big"),
    INTERNAL_ERROR(1011, "internal server error"),
    TRY_AGAIN_LATER(1013, "try again later"),
    AUTH_TIMEOUT(4001, "authentication deadline passed"),
    AUTH_FAILED(4002, "authentication failed"),
    REPLACED(4003, "replaced by a newer connection of the same account"),
    SLOW_CONSUMER(4004, "slow consumer"),
    REQUEST_FLOOD(4005, "too many requests"),
    CREDENTIAL_EXPIRED(4006, "credential expired"),
    CONNECTION_LIMIT(4007, "connection limit reached"),
    IDLE_TIMEOUT(4008, "no data from the client within the idle timeout"),
    TOO_MANY_FAILURES(4009, "too many failed authentication attempts"),
    PLAN_CHANGED(4010, "the account's plan changed: reconnect");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** The numeric close code. */
    public int code() {
        return code;
    }

    /** The default reason text (at most 123 bytes, as the close frame requires). */
    public String reason() {
        return reason;
    }

    /** The entry with this numeric code, or {@code null}. */
    public static CloseCode of(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
