package io.tickwire.client;

import io.tickwire.model.Channel;

/**
 * A break in one stream's sequence numbers: messages {@code expected} up to
 * {@code received - 1} never arrived (typically sent while the client was disconnected). The
 * message with {@code received} is delivered right after this gap is reported.
 *
 * <p>If {@code received < expected} the stream's numbering restarted (the server restarted
 * without keeping its sequence numbers): the client adopts the new numbering. Either way,
 * anything derived from the stream before the gap may be stale.
 *
 * <p>Quote streams recover by themselves: a snapshot replaces the previous value and is never
 * reported as a gap. Immutable.
 *
 * @param symbol   the instrument's symbol as the server spells it
 * @param channel  the stream's channel
 * @param expected the sequence number that should have come next
 * @param received the sequence number that came
 */
public record Gap(String symbol, Channel channel, long expected, long received) {

    /** How many messages are missing; 0 when the numbering restarted. */
    public long missed() {
        return Math.max(0, received - expected);
    }

    /** Whether the stream's numbering restarted rather than skipped ahead. */
    public boolean restarted() {
        return received < expected;
    }
}
