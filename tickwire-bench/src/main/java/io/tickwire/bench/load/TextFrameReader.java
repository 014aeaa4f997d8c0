package io.tickwire.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import java.util.List;

/**
 * A subscriber's read path once its WebSocket handshake is done, for servers that send text
 * frames: reads the frames where they lie in the received bytes and hands each text payload to the
 * {@link SubscriberHandler} by position, creating no object per frame.
 *
 * <p>Why: Netty's frame decoder makes a frame object and a buffer slice per message and passes
 * each through four handlers; at a million messages a second that was the generator's largest cost
 * after the kernel's, taken from the same two cores as the server under test. The check is the same
 * (the same parser reads the same bytes); only the way there is shorter.
 *
 * <p>Understands what a server may send: unmasked text, binary, close, ping (answered with a pong
 * through the WebSocket encoder that stays in the pipeline) and pong frames. A fragmented or masked
 * frame is a protocol error the bench does not expect from any of its servers: it fails the
 * connection loudly rather than being misread. Confined to the connection's event loop.
 */
final class TextFrameReader extends ByteToMessageDecoder {

    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;

    private final SubscriberHandler subscriber;

    private TextFrameReader(SubscriberHandler subscriber) {
        this.subscriber = subscriber;
    }

    /**
     * Replaces Netty's WebSocket read path of a connection whose handshake has just completed; bytes
     * Netty's decoder had already received but not decoded come here, in order.
     */
    static void install(ChannelPipeline pipeline, SubscriberHandler subscriber) {
        ChannelHandlerContext decoder = pipeline.context(WebSocketFrameDecoder.class);
        pipeline.addAfter(decoder.name(), "tw-text-frames", new TextFrameReader(subscriber));
        pipeline.remove(decoder.handler()); // hands its undecoded bytes to the reader added after it
        if (pipeline.get(WebSocketClientProtocolHandler.class) != null) {
            pipeline.remove(WebSocketClientProtocolHandler.class);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int b0 = in.getUnsignedByte(start);
            int b1 = in.getUnsignedByte(start + 1);
            if ((b1 & 0x80) != 0) {
                throw new CorruptedFrameException("a server frame is masked");
            }
            int header = 2;
            long length = b1 & 0x7f;
            if (length == 126) {
                if (in.readableBytes() < 4) {
                    return;
                }
                length = in.getUnsignedShort(start + 2);
                header = 4;
            } else if (length == 127) {
                if (in.readableBytes() < 10) {
                    return;
                }
                length = in.getLong(start + 2);
                header = 10;
            }
            if (length > Integer.MAX_VALUE - header) {
                throw new CorruptedFrameException("frame of " + length + " bytes");
            }
            if (in.readableBytes() < header + length) {
                return;
            }
            int opcode = b0 & 0x0f;
            if ((b0 & 0x80) == 0 || opcode == OP_CONTINUATION) {
                throw new CorruptedFrameException("fragmented frames are not expected from a bench server");
            }
            int payload = start + header;
            int size = (int) length;
            in.readerIndex(payload + size);
            switch (opcode) {
                case OP_TEXT -> subscriber.text(ctx, in, payload, size);
                case OP_CLOSE -> subscriber.closed(ctx, size >= 2 ? in.getUnsignedShort(payload) : 1005,
                        size > 2 ? in.toString(payload + 2, size - 2, java.nio.charset.StandardCharsets.UTF_8) : "");
                case OP_PING -> ctx.channel().writeAndFlush(new PongWebSocketFrame(in.retainedSlice(payload, size))); // through the encoder, masked
                default -> { } // binary and pong frames carry no trade for a text adapter
            }
        }
    }
}
