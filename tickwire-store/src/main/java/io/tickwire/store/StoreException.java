package io.tickwire.store;

/**
 * The store cannot be opened as configured: the data directory is in use by another process,
 * cannot be created, or holds history recorded with different instrument scales. The message
 * says which and what to do.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
