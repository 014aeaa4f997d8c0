package io.tickwire.server.session;

import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Live authenticated connections per account, enforcing each plan's connection limit.
 *
 * <p>The limit holds per account and connection scope: the native protocol, TickTrader and
 * enterprise connections have no scope and count together; each iTick cluster is a scope of its
 * own (seed 001 sells "a single connection to the cluster"), so a plan of N connections allows N
 * unscoped connections plus N per cluster. The iTick handler admits only clusters the plan
 * entitles, which bounds an account's connections at N × (1 + its entitled clusters).
 *
 * <p>Thread-safe: sessions on every event loop admit and release here. Not on the data path (only
 * authentication and close), so a lock is fine.
 */
public final class ConnectionRegistry {

    private final Map<String, Deque<Session>> byAccount = new HashMap<>();
    private int total;

    /** What admission decided. */
    sealed interface Admission {
        /** Admitted. */
        record Admitted() implements Admission {
        }

        /** Admitted; the given older session must be closed as replaced. */
        record Replacing(Session replaced) implements Admission {
        }

        /** Refused: the account has {@code limit} connections already. */
        record Refused(int limit) implements Admission {
        }
    }

    synchronized Admission admit(Account account, Session session) {
        Deque<Session> sessions = byAccount.computeIfAbsent(key(account, session), k -> new ArrayDeque<>());
        int limit = account.plan().maxConnections();
        Session replaced = null;
        if (sessions.size() >= limit) {
            if (account.plan().onConnectionLimit() == ConnectionPolicy.REJECT_NEW) {
                return new Admission.Refused(limit);
            }
            replaced = sessions.pollFirst();
            total--;
        }
        sessions.addLast(session);
        total++;
        return replaced == null ? new Admission.Admitted() : new Admission.Replacing(replaced);
    }

    synchronized void release(Account account, Session session) {
        Deque<Session> sessions = byAccount.get(key(account, session));
        if (sessions != null && sessions.remove(session)) {
            total--;
            if (sessions.isEmpty()) {
                byAccount.remove(key(account, session));
            }
        }
    }

    /** Connections count per account, or per account and scope (an iTick cluster) where the session has one. */
    private static String key(Account account, Session session) {
        String scope = session.connectionScope();
        return scope.isEmpty() ? account.name() : account.name() + "\u0000" + scope;
    }

    /** Authenticated connections of an account (outside any connection scope). */
    public synchronized int connections(String account) {
        Deque<Session> sessions = byAccount.get(account);
        return sessions == null ? 0 : sessions.size();
    }

    /**
     * Asks every authenticated session, on its own event loop, whether its credential still holds in
     * {@code book}; those whose credential was revoked (or whose account was removed) close.
     */
    public void recheckCredentials(io.tickwire.auth.store.AccountBook book) {
        java.util.List<Session> all = new java.util.ArrayList<>();
        synchronized (this) {
            byAccount.values().forEach(all::addAll);
        }
        for (Session session : all) {
            session.recheckFromAnyThread(book);
        }
    }

    /** Authenticated connections in all. */
    public synchronized int total() {
        return total;
    }
}
