package io.tickwire.engine.resume;

import io.tickwire.model.StreamMessage;

/**
 * How the engine started a subscription that asked to resume after sequence number {@code after}.
 *
 * @param mode     what the subscriber gets
 * @param after    the last sequence number the subscriber had
 * @param lastSeq  the stream's last sequence number when the subscription started
 * @param missed   for {@link Mode#EXACT}, the messages after {@code after} up to {@code lastSeq},
 *                 in order, to deliver before anything live; empty otherwise
 */
public record Resume(Mode mode, long after, long lastSeq, StreamMessage[] missed) {

    private static final StreamMessage[] NONE = new StreamMessage[0];

    /** What a resuming subscriber gets. */
    public enum Mode {
        /** Every missed message, then live: no gap, no duplicate. */
        EXACT,
        /** The missed messages are gone or the stream is state (a book): a fresh snapshot, then live. */
        SNAPSHOT,
        /**
         * Trades after {@code after} up to the window's start are no longer in memory: the server
         * may fetch them from the history store ({@code after}+1 to {@code firstHeld}-1), else
         * the subscriber is told of the gap.
         */
        TOO_OLD,
        /**
         * The subscriber's {@code after} names another message here than the one it saw (its
         * event time differs: a server restarted without a store numbers its streams from 1
         * again): what it missed cannot be told by number. {@code missed} holds the messages
         * still held with a later event time than the subscriber's; a gap of unknown extent.
         */
        RENUMBERED
    }

    public static Resume exact(long after, long lastSeq, StreamMessage[] missed) {
        return new Resume(Mode.EXACT, after, lastSeq, missed);
    }

    public static Resume snapshot(long after, long lastSeq) {
        return new Resume(Mode.SNAPSHOT, after, lastSeq, NONE);
    }

    public static Resume renumbered(long after, long lastSeq, StreamMessage[] later) {
        return new Resume(Mode.RENUMBERED, after, lastSeq, later);
    }

    public static Resume tooOld(long after, long lastSeq, StreamMessage[] held) {
        return new Resume(Mode.TOO_OLD, after, lastSeq, held);
    }
}
