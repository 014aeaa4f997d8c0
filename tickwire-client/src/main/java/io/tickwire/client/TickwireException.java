package io.tickwire.client;

/**
 * Why a request or a connection failed; futures of {@link TickwireClient} complete exceptionally
 * with a subclass. Unchecked: the futures carry it, nobody has to declare it.
 */
public abstract sealed class TickwireException extends RuntimeException
        permits ServerErrorException, ConnectionException {

    private static final long serialVersionUID = 1L;

    TickwireException(String message) {
        super(message);
    }
}
