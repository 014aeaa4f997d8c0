package io.tickwire.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import org.junit.jupiter.api.Test;

/** Pings pass while the connection keeps up, and are dropped (released) while it is behind. */
class PingGuardTest {

    @Test
    void aPingPassesWhileTheConnectionIsWritableAndIsDroppedWhileItIsBehind() {
        EmbeddedChannel channel = new EmbeddedChannel(new PingGuard());
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));

        PingWebSocketFrame first = new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1}));
        channel.writeInbound(first);
        PingWebSocketFrame passed = channel.readInbound();
        assertThat(passed).isSameAs(first);
        passed.release();

        channel.write(Unpooled.wrappedBuffer(new byte[64])); // queued, not flushed: above the high water mark
        assertThat(channel.isWritable()).isFalse();
        PingWebSocketFrame second = new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {2}));
        channel.writeInbound(second);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(second.refCnt()).isZero();

        channel.flush();
        channel.releaseOutbound();
        assertThat(channel.isWritable()).isTrue();
        channel.finishAndReleaseAll();
    }
}
