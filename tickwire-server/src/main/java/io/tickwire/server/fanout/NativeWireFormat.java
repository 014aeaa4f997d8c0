package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.engine.StreamKey;
import io.tickwire.model.Bar;
import io.tickwire.model.Channel;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.v1.MessageWriter;
import io.tickwire.protocol.v1.ServerMessage;

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
        return new Encoder() {
            @Override
            public ByteBuf encode(Instrument instrument, StreamMessage message, long prevSeq, long sent, boolean snapshot,
                                  String requestId, ByteBufAllocator alloc) {
                ByteSink sink = switch (message) {
                    case Quote q -> writer.quote(instrument, q, sent, snapshot, prevSeq, requestId, replayed);
                    case Trade t -> writer.trade(instrument, t, sent, replayed);
                    case DepthUpdate d -> writer.book(instrument, d, sent, requestId, replayed);
                    case Bar b -> writer.bar(instrument, b, sent, snapshot, prevSeq, requestId, replayed);
                };
                return WebSocketFrames.text(alloc, sink.array(), sink.length());
            }

            @Override
            public ByteBuf resumed(Instrument instrument, long key, String mode, long after, long replayed,
                                   long missedFrom, long missedTo, ByteBufAllocator alloc) {
                ByteSink sink = writer.resumed(new ServerMessage.Resumed(instrument.symbol(), StreamKey.channel(key),
                        barPeriod(key), barPriceType(key), mode, after, replayed, missedFrom, missedTo));
                return WebSocketFrames.text(alloc, sink.array(), sink.length());
            }

            @Override
            public ByteBuf status(Instrument instrument, long key, boolean live, long lastEventTime, long sent,
                                  ByteBufAllocator alloc) {
                ByteSink sink = writer.status(new ServerMessage.Status(instrument.symbol(), StreamKey.channel(key),
                        barPeriod(key), barPriceType(key), live ? "live" : "stale", lastEventTime, sent));
                return WebSocketFrames.text(alloc, sink.array(), sink.length());
            }
        };
    }

    /** The bar period of a bar stream's key, else {@code null}. */
    public static Periodicity barPeriod(long key) {
        return StreamKey.channel(key) == Channel.BAR ? StreamKey.period(key) : null;
    }

    /** The price type of a bar stream's key, else {@code null}. */
    public static PriceType barPriceType(long key) {
        return StreamKey.channel(key) == Channel.BAR ? StreamKey.priceType(key) : null;
    }

    /** The native frame of a message, for callers outside fan-out (tests, tools). */
    static ByteBuf encode(Instrument instrument, StreamMessage message, long sent, ByteBufAllocator alloc) {
        return new NativeWireFormat().newEncoder().encode(instrument, message, -1, sent, false, null, alloc);
    }
}
