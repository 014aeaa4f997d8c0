package io.tickwire.engine.resume;

import io.tickwire.model.StreamMessage;

/**
 * The last messages of one full-rate stream (trades or quotes of an instrument), so that a
 * subscriber who reconnects can be given exactly what it missed.
 *
 * <p>A ring indexed by sequence number: sequence numbers of a full-rate stream count up by one, so
 * message {@code seq} lives at {@code seq & mask} and the window is the last {@code capacity}
 * numbers. Confined to the partition thread. Holds references only; messages are immutable.
 */
public final class RecentMessages {

    private final StreamMessage[] ring;
    private final int mask;
    private long lastSeq;
    private long firstSeq = 1;

    /** @param capacity messages kept; rounded up to a power of two */
    public RecentMessages(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.ring = new StreamMessage[size];
        this.mask = size - 1;
    }

    /** Records the stream's next message; a sequence number that does not follow the last starts the window afresh. */
    public void add(StreamMessage message) {
        long seq = message.seq();
        if (seq != lastSeq + 1) {
            firstSeq = seq;
        }
        ring[(int) (seq & mask)] = message;
        lastSeq = seq;
        firstSeq = Math.max(firstSeq, seq - mask);
    }

    /** The sequence number of the stream's last message, 0 if none. */
    public long lastSeq() {
        return lastSeq;
    }

    /** The sequence number of the oldest message held (the window's start); {@code lastSeq() + 1} if none. */
    public long firstHeld() {
        return lastSeq == 0 ? 1 : firstSeq;
    }

    /** Whether every message after {@code seq} up to the last is still held. */
    public boolean covers(long seq) {
        return seq >= firstSeq - 1 && seq <= lastSeq;
    }

    /**
     * The sequence number just before the first message held with an event time at or after
     * {@code time}, or -1 if the window does not reach back to {@code time} (its oldest message is
     * later). {@code timeOf} reads a message's event time.
     */
    public long before(long time, java.util.function.ToLongFunction<StreamMessage> timeOf) {
        long first = firstHeld();
        if (first > lastSeq || timeOf.applyAsLong(ring[(int) (first & mask)]) > time) {
            return first > lastSeq ? lastSeq : -1;
        }
        for (long seq = first; seq <= lastSeq; seq++) {
            if (timeOf.applyAsLong(ring[(int) (seq & mask)]) >= time) {
                return seq - 1;
            }
        }
        return lastSeq;
    }

    /** The event time of message {@code seq} if it is held, else -1. */
    public long timeOf(long seq, java.util.function.ToLongFunction<StreamMessage> timeOf) {
        return seq >= firstHeld() && seq <= lastSeq ? timeOf.applyAsLong(ring[(int) (seq & mask)]) : -1;
    }

    /** Copies the messages after {@code seq}, in order; {@link #covers(long)} must hold. */
    public StreamMessage[] after(long seq) {
        StreamMessage[] missed = new StreamMessage[(int) (lastSeq - seq)];
        for (int i = 0; i < missed.length; i++) {
            missed[i] = ring[(int) ((seq + 1 + i) & mask)];
        }
        return missed;
    }
}
