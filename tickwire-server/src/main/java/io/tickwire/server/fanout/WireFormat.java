package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.model.Instrument;
import io.tickwire.model.MarketEvent;

/**
 * One way of writing market data on the wire: the native protocol or a dialect. Fan-out encodes
 * each event once per wire format that has subscribers and shares the frame.
 *
 * <p>A format itself is immutable and shared; {@link #newEncoder()} gives each encoding thread
 * its own {@link Encoder}.
 */
public interface WireFormat {

    /** A short name for logs and metrics, e.g. {@code native}. */
    String name();

    /** A new encoder for the calling thread's exclusive use. */
    Encoder newEncoder();

    /** Turns events into complete WebSocket frames. Not thread-safe. */
    interface Encoder {

        /**
         * A complete frame for an event, or {@code null} if this format does not carry it.
         *
         * @param sentMicros the server's send time to put in the message
         * @param snapshot   whether this is a stream's current value sent at subscription
         */
        ByteBuf encode(Instrument instrument, MarketEvent event, long sentMicros, boolean snapshot, ByteBufAllocator alloc);
    }
}
