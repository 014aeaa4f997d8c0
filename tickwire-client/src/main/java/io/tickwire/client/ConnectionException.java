package io.tickwire.client;

/**
 * The connection ended before the request was answered, the client is not connected, or the
 * client was closed. For a request this says nothing about whether the server applied it; a
 * subscription stays wanted and is restored when the client reconnects.
 */
public final class ConnectionException extends TickwireException {

    private static final long serialVersionUID = 1L;

    /** See {@link #closeCode()}. */
    private final int closeCode;

    ConnectionException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /**
     * The WebSocket close code that ended the connection: the server's, 1000 if the client was
     * closed by its user, or {@link ConnectionEvent#ABNORMAL_CLOSURE} when there was no close frame.
     */
    public int closeCode() {
        return closeCode;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + closeCode + "]: " + getMessage();
    }
}
