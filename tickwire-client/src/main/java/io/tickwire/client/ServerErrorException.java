package io.tickwire.client;

import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.ServerMessage;

/**
 * The server answered a request with an error: the credentials were refused, a channel is not in
 * the plan, a limit was reached. {@link #code()} is the stable machine-readable code; the message
 * is the server's explanation.
 */
public final class ServerErrorException extends TickwireException {

    private static final long serialVersionUID = 1L;

    /** See {@link #code()}. */
    private final String code;
    /** See {@link #limit()}. */
    private final long limit;
    /** See {@link #retryAfterMillis()}. */
    private final long retryAfterMillis;

    ServerErrorException(String code, String message, long limit, long retryAfterMillis) {
        super(message == null ? code : message);
        this.code = code;
        this.limit = limit;
        this.retryAfterMillis = retryAfterMillis;
    }

    static ServerErrorException of(ServerMessage.Error error) {
        return new ServerErrorException(error.code(), error.message(), error.limit(), error.retryAfterMs());
    }

    /** The wire code, e.g. {@code auth_failed} or {@code channel_not_allowed}. */
    public String code() {
        return code;
    }

    /** The code as an enum, or {@code null} if this client version does not know it. */
    public ErrorCode errorCode() {
        return ErrorCode.fromWire(code);
    }

    /** The limit that was reached (for {@code symbol_limit}, {@code connection_limit}), or -1. */
    public long limit() {
        return limit;
    }

    /** For {@code rate_limited}: how long to wait before retrying, in milliseconds; else -1. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
    }
}
