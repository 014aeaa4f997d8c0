package io.tickwire.server.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the support e-mail registrations waiting for the auth gate's blocking executor, server
 * wide. Each registration rewrites the credentials file, and the OAuth2 exchange shares that
 * executor: without a bound, one account registering e-mails in a loop from a few connections
 * (well within its request rate) queued hundreds of rewrites ahead of every other client's
 * exchange. Beyond {@link #MAX_PENDING}, a registration is answered {@code server_busy} at once.
 *
 * <p>Thread-safe: started on event loops, finished on the executor's thread.
 */
public final class EmailRegistrations {

    /** Registrations queued or running at once, across all sessions. */
    static final int MAX_PENDING = 4;

    private final AtomicInteger pending = new AtomicInteger();

    /** Takes a place for one registration; {@code false} if all are taken. */
    boolean tryStart() {
        while (true) {
            int now = pending.get();
            if (now >= MAX_PENDING) {
                return false;
            }
            if (pending.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back the place of a finished (or refused) registration. */
    void done() {
        pending.decrementAndGet();
    }
}
