package io.tickwire.auth.store;

import java.util.function.UnaryOperator;

/**
 * Where stored credentials live: the credentials file, or memory when none is configured.
 * Implementations are thread-safe, and {@link #update} is atomic with respect to every other
 * writer of the same store (the server and the {@code tickwire keys} command alike).
 */
public interface CredentialStore {

    /** The credentials as stored now. */
    StoredCredentials read();

    /**
     * What a reload reads: the credentials, and whether the store says in so many words that it
     * holds none. A store that holds none without saying so (a credentials file cut short, emptied
     * or deleted) must not revoke everyone on a reload: {@link AccountDirectory#reload} refuses it.
     *
     * @param credentials   as {@link #read()} returns them
     * @param emptyOnPurpose whether an empty {@code credentials} was written as such ({@code accounts: {}})
     */
    record Reading(StoredCredentials credentials, boolean emptyOnPurpose) {
    }

    /** Reads for a reload; a store in memory always means what it holds. */
    default Reading reread() {
        return new Reading(read(), true);
    }

    /**
     * Reads, changes and writes back in one step.
     *
     * @return the credentials as written
     */
    StoredCredentials update(UnaryOperator<StoredCredentials> change);

    /** A store in memory only (lost on restart); starts with {@code initial}. */
    static CredentialStore inMemory(StoredCredentials initial) {
        return new CredentialStore() {
            private StoredCredentials current = initial;

            @Override
            public synchronized StoredCredentials read() {
                return current;
            }

            @Override
            public synchronized StoredCredentials update(UnaryOperator<StoredCredentials> change) {
                current = change.apply(current);
                return current;
            }
        };
    }
}
