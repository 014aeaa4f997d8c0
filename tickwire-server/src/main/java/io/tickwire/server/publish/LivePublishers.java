package io.tickwire.server.publish;

import io.tickwire.auth.store.AccountBook;
import io.tickwire.protocol.CloseCode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The authenticated publisher connections, so that a change of the credential store reaches them
 * as it reaches subscribers: a publisher whose credential was revoked (or whose account was
 * removed) is closed at once instead of injecting events until it disconnects.
 *
 * <p>Thread-safe: connections join and leave on their event loops, {@link #recheck} runs on the
 * thread that changed the store and hands each check to the connection's loop.
 *
 * <p>Also where a server that takes no events (a cluster's gateway or standby) says so: every
 * publisher is then turned away after authenticating, with {@code not_ingest_node}, the message
 * and the close code given, instead of the {@code not_entitled} a configuration error would get.
 */
public final class LivePublishers {

    private final Set<PublisherHandler> live = ConcurrentHashMap.newKeySet();
    private volatile TurnedAway turnedAway;
    private volatile BooleanSupplier sure;
    private volatile String unsureMessage;

    /** Why publishers are turned away, and how their connections close. */
    record TurnedAway(String message, CloseCode close) {
    }

    /** From now on, turns away every publisher with {@code not_ingest_node}, {@code message} and {@code close}. */
    public void turnAway(String message, CloseCode close) {
        turnedAway = new TurnedAway(java.util.Objects.requireNonNull(message, "message"),
                java.util.Objects.requireNonNull(close, "close"));
    }

    /**
     * From now on, takes publishers, and their frames, only while {@code sure} says this node is
     * surely the one that takes events (an elected ingest node whose election has not stalled);
     * otherwise they are turned away or closed with {@code not_ingest_node}, {@code message} and
     * 1013, before any frame of theirs is taken.
     */
    public void takeOnlyWhile(BooleanSupplier sure, String message) {
        this.unsureMessage = java.util.Objects.requireNonNull(message, "message");
        this.sure = java.util.Objects.requireNonNull(sure, "sure");
    }

    /** Why publishers may not be taken right now, or {@code null} if they may. */
    TurnedAway unsure() {
        BooleanSupplier check = sure;
        return check == null || check.getAsBoolean() ? null : new TurnedAway(unsureMessage, CloseCode.TRY_AGAIN_LATER);
    }

    /** Why publishers are turned away, or {@code null} if they are taken. */
    TurnedAway turnedAway() {
        return turnedAway;
    }

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
