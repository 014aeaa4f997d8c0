package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.model.Instrument;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.v1.MessageWriter;

/** Market data in the native protocol ({@code /v1/ws}). */
public final class NativeWireFormat implements WireFormat {

    @Override
    public String name() {
        return "native";
    }

    @Override
    public Encoder newEncoder() {
        MessageWriter writer = new MessageWriter();
        return (instrument, event, sent, snapshot, alloc) -> encode(writer, instrument, event, sent, snapshot, alloc);
    }

    private static ByteBuf encode(MessageWriter writer, Instrument instrument, MarketEvent event, long sent,
                                  boolean snapshot, ByteBufAllocator alloc) {
        ByteSink sink = switch (event) {
            case Quote q -> writer.quote(instrument, q, sent, snapshot);
            case Trade t -> writer.trade(instrument, t, sent);
        };
        return WebSocketFrames.text(alloc, sink.array(), sink.length());
    }
}
