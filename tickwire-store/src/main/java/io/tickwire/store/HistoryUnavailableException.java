package io.tickwire.store;

/**
 * History cannot be read now: the store is closed, disabled, or the query failed in the
 * database. The wire code is {@code history_unavailable}; the live stream is unaffected.
 */
public final class HistoryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HistoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public HistoryUnavailableException(String message) {
        super(message);
    }
}
