package io.tickwire.server.publish;

import io.tickwire.auth.store.AccountBook;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated publisher connections, so that a change of the credential store reaches them
 * as it reaches subscribers: a publisher whose credential was revoked (or whose account was
 * removed) is closed at once instead of injecting events until it disconnects.
 *
 * <p>Thread-safe: connections join and leave on their event loops, {@link #recheck} runs on the
 * thread that changed the store and hands each check to the connection's loop.
 */
public final class LivePublishers {

    private final Set<PublisherHandler> live = ConcurrentHashMap.newKeySet();

    void add(PublisherHandler publisher) {
        live.add(publisher);
    }

    void remove(PublisherHandler publisher) {
        live.remove(publisher);
    }

    /** Closes every publisher whose credential {@code book} no longer holds; any thread. */
    public void recheck(AccountBook book) {
        for (PublisherHandler publisher : live) {
            publisher.recheckFromAnyThread(book);
        }
    }
}
