package io.tickwire.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.tickwire.server.session.ClientClosing;

/**
 * Drops a client's WebSocket pings while the connection is behind (above its write-buffer high
 * water mark), instead of letting Netty's protocol handler queue a pong for each: pongs are
 * answered below the session, so they would not count against {@code server.maxOutboundBytes},
 * and a client that sends pings but never reads could make the server hold their pongs without
 * limit. A client that reads gets every pong; one that does not is dealt with as any slow
 * consumer. Also tells the handlers behind the protocol handler that the client's close frame
 * came ({@link ClientClosing}), before the protocol handler answers it. Sits between the frame
 * decoder and the protocol handler; confined to the channel's event loop.
 */
final class PingGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "ws-ping-guard";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PingWebSocketFrame ping && !ctx.channel().isWritable()) {
            ping.release();
            return;
        }
        if (msg instanceof CloseWebSocketFrame) {
            ctx.fireUserEventTriggered(ClientClosing.EVENT); // before the protocol handler answers and closes
        }
        ctx.fireChannelRead(msg);
    }
}
