package io.tickwire.client;

/**
 * A local book went out of sync with the server and the client is bringing it back: from now until
 * a fresh snapshot arrives, {@link BookView#inSync()} is false. The client asks for the snapshot by
 * itself (or, after a reconnect or a gap the server announced, receives it without asking); the
 * book listener hears when the book is exact again. Immutable.
 *
 * @param symbol the instrument's symbol as the server spells it
 * @param reason why the book went out of sync
 * @param detail what the client saw, for logs
 */
public record BookResync(String symbol, Reason reason, String detail) {

    /** Why a book went out of sync. */
    public enum Reason {
        /** A message did not follow the last one applied ({@code prevSeq > lastSeq}): messages were missed. */
        SEQUENCE_GAP,
        /** After applying a message the book's checksum differed from the server's. */
        CHECKSUM_MISMATCH,
        /** The server announced it could not deliver every update ({@code gap} message); it sends a snapshot. */
        SERVER_GAP,
        /** The connection was lost; the book is restored from the snapshot that starts the resubscription. */
        CONNECTION_LOST
    }
}
