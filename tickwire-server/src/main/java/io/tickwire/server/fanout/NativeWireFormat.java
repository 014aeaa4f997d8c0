package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.model.Bar;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.v1.MessageWriter;

/**
 * Market data in the native protocol ({@code /v1/ws}). On a server whose feed is a replay of
 * stored history every market-data message carries {@code "replayed":true}.
 */
public final class NativeWireFormat implements WireFormat {

    private final boolean replayed;

    /** Live market data. */
    public NativeWireFormat() {
        this(false);
    }

    /** Market data marked as replayed, or not. */
    public NativeWireFormat(boolean replayed) {
        this.replayed = replayed;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public Encoder newEncoder() {
        MessageWriter writer = new MessageWriter();
        return (instrument, message, prevSeq, sent, snapshot, requestId, alloc) -> {
            ByteSink sink = switch (message) {
                case Quote q -> writer.quote(instrument, q, sent, snapshot, prevSeq, requestId, replayed);
                case Trade t -> writer.trade(instrument, t, sent, replayed);
                case DepthUpdate d -> writer.book(instrument, d, sent, requestId, replayed);
                case Bar b -> writer.bar(instrument, b, sent, snapshot, prevSeq, requestId, replayed);
            };
            return WebSocketFrames.text(alloc, sink.array(), sink.length());
        };
    }

    /** The native frame of a message, for callers outside fan-out (tests, tools). */
    static ByteBuf encode(Instrument instrument, StreamMessage message, long sent, ByteBufAllocator alloc) {
        return new NativeWireFormat().newEncoder().encode(instrument, message, -1, sent, false, null, alloc);
    }
}
