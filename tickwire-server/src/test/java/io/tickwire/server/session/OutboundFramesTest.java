package io.tickwire.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-connection batch of fan-out: one write per flush, shared frames left untouched. */
class OutboundFramesTest {

    /** Records what reaches the handlers above the WebSocket encoder (nothing should). */
    private final List<Object> seenAbove = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false),
            new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    seenAbove.add(msg);
                    ctx.write(msg, promise);
                }
            });
    private final OutboundFrames frames = new OutboundFrames(channel);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void framesOfABatchLeaveAsOneWriteInOrderAndTheSharedFrameIsUntouched() {
        ByteBuf shared = frame("{\"type\":\"trade\",\"seq\":1}");
        ByteBuf second = frame("{\"type\":\"trade\",\"seq\":2}");
        int readerIndex = shared.readerIndex();

        frames.add(shared);
        frames.add(shared); // the same instance, as a second subscriber would get it
        frames.add(second);
        assertThat(channel.outboundMessages()).isEmpty();
        frames.flush();

        assertThat(channel.outboundMessages()).hasSize(1);
        ByteBuf written = channel.readOutbound();
        String expected = text(shared) + text(shared) + text(second);
        assertThat(written.toString(StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        written.release();
        assertThat(shared.readerIndex()).isEqualTo(readerIndex);
        assertThat(shared.refCnt()).isEqualTo(1); // the batch took a copy, not a reference
        assertThat(seenAbove).isEmpty();
        shared.release();
        second.release();
    }

    @Test
    void aBatchBeyondTheThresholdIsHandedToTheChannelBeforeTheFlush() {
        ByteBuf big = frame("x".repeat(1_000));
        int added = 0;
        do {
            frames.add(big);
            added++;
        } while (frames.gathered() > 0 && added < 1_000);
        assertThat(added * big.readableBytes()).isGreaterThanOrEqualTo(OutboundFrames.WRITE_THRESHOLD);
        assertThat(frames.gathered()).isZero();
        // the channel's outbound buffer (which the water marks watch) holds the bytes before any flush
        assertThat(channel.unsafe().outboundBuffer().totalPendingWriteBytes()).isGreaterThanOrEqualTo((long) added * big.readableBytes());
        frames.flush();
        assertThat(channel.outboundMessages()).hasSize(1);
        ByteBuf written = channel.readOutbound();
        assertThat(written.readableBytes()).isEqualTo(added * big.readableBytes());
        written.release();
        big.release();
    }

    @Test
    void discardFreesWhatWasGathered() {
        ByteBuf one = frame("{\"type\":\"quote\"}");
        frames.add(one);
        assertThat(frames.gathered()).isEqualTo(one.readableBytes());
        frames.discard();
        frames.flush();
        assertThat(frames.gathered()).isZero();
        assertThat(channel.outboundMessages()).isEmpty();
        one.release();
    }

    /** A server-to-client text frame as fan-out encodes it: header then payload. */
    private static ByteBuf frame(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(0x81);
        if (bytes.length < 126) {
            buf.writeByte(bytes.length);
        } else {
            buf.writeByte(126).writeShort(bytes.length);
        }
        return buf.writeBytes(bytes);
    }

    private static String text(ByteBuf frame) {
        return frame.toString(frame.readerIndex(), frame.readableBytes(), StandardCharsets.ISO_8859_1);
    }
}
