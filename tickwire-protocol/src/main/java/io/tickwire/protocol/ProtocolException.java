package io.tickwire.protocol;

/**
 * A request that cannot be carried out as sent: bad JSON, a missing field, an unknown operation.
 * Carries the stable {@link ErrorCode}, a human message and the request's id when it could be
 * read, so the error can answer the request.
 *
 * <p>Thrown on the bad-input path only, without a stack trace: a flood of bad frames costs no
 * more than the frames themselves.
 */
public final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String requestId;

    public ProtocolException(ErrorCode code, String message, String requestId) {
        super(message, null, false, false);
        this.code = code;
        this.requestId = requestId;
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }

    /** The id of the request as raw JSON (e.g. {@code "\"a1\""} or {@code "7"}), or {@code null}. */
    public String requestId() {
        return requestId;
    }
}
