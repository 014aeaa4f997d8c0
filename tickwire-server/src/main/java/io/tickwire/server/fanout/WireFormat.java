package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.model.Instrument;
import io.tickwire.model.StreamMessage;

/**
 * One way of writing market data on the wire: the native protocol or a dialect. Fan-out encodes
 * each message once per wire format that has subscribers and shares the frame.
 *
 * <p>A format itself is immutable and shared; {@link #newEncoder()} gives each encoding thread
 * its own {@link Encoder}.
 */
public interface WireFormat {

    /** A short name for logs and metrics, e.g. {@code native}. */
    String name();

    /** A new encoder for the calling thread's exclusive use. */
    Encoder newEncoder();

    /** Turns stream messages into complete WebSocket frames. Not thread-safe. */
    interface Encoder {

        /**
         * A complete frame for a message outside its stream's order (a resume's held messages), or
         * {@code null} if this format does not carry it there. The default carries nothing: formats
         * that keep state per stream (a whole book on every update) encode only through
         * {@link #encode(long, Instrument, StreamMessage, long, long, boolean, String, ByteBufAllocator)}.
         *
         * @param prevSeq      the stream's previous message number on throttled streams, else -1
         * @param sentMicros   the server's send time to put in the message
         * @param snapshot     whether this is a stream's current value (at subscription or on request)
         * @param rawRequestId the id of the snapshot request this answers, as raw JSON, or {@code null}
         */
        default ByteBuf encode(Instrument instrument, StreamMessage message, long prevSeq, long sentMicros, boolean snapshot,
                               String rawRequestId, ByteBufAllocator alloc) {
            return null;
        }

        /**
         * A frame saying how a resuming stream starts, or {@code null} if the format has none.
         *
         * @param mode       {@code exact}, {@code snapshot} or {@code gap}
         * @param missedFrom with {@code missedTo}: the numbers that cannot be given (gap), else 0
         */
        default ByteBuf resumed(Instrument instrument, long streamKey, String mode, long after, long replayed,
                                long missedFrom, long missedTo, ByteBufAllocator alloc) {
            return null;
        }

        /** A frame saying a stream's source is stale or live again, or {@code null} if the format has none. */
        default ByteBuf status(Instrument instrument, long streamKey, boolean live, long lastEventTime, long sentMicros,
                               ByteBufAllocator alloc) {
            return null;
        }

        /**
         * As {@link #encode(Instrument, StreamMessage, long, long, boolean, String, ByteBufAllocator)},
         * knowing the stream: formats that send a whole book on every update keep a view per stream
         * key. Fan-out calls this one; every message of a stream passes through it in stream order
         * while the format has subscribers to the stream.
         */
        default ByteBuf encode(long streamKey, Instrument instrument, StreamMessage message, long prevSeq, long sentMicros,
                               boolean snapshot, String rawRequestId, ByteBufAllocator alloc) {
            return encode(instrument, message, prevSeq, sentMicros, snapshot, rawRequestId, alloc);
        }
    }
}
