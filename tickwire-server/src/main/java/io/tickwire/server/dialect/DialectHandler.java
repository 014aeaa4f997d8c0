package io.tickwire.server.dialect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.model.Channel;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.fanout.WebSocketFrames;
import io.tickwire.server.session.Session;
import io.tickwire.server.session.SessionHandler;
import io.tickwire.server.session.SessionServices;
import java.nio.charset.StandardCharsets;

/**
 * What every dialect's protocol handler shares: it opens a {@link Session} when the WebSocket
 * handshake completes, hands text frames to the dialect as strings, and keeps the session told
 * of inbound traffic ({@link SessionHandler} does writability, the end of the connection and errors).
 *
 * <p>Sits last in the pipeline, after Netty's WebSocket handlers. Confined to the connection's
 * event loop. Dialects have no gap or heartbeat message of their own: the WebSocket ping keeps
 * the link checked, and a stream that lost updates is resynchronised by a fresh snapshot.
 */
public abstract class DialectHandler extends SessionHandler implements Session.Protocol {

    protected final SessionServices services;
    private final int format;
    private ChannelHandlerContext ctx;

    protected DialectHandler(SessionServices services, int format) {
        this.services = services;
        this.format = format;
    }

    /** The handshake is complete and the session started: greet, authenticate from the headers. */
    protected abstract void opened(WebSocketServerProtocolHandler.HandshakeComplete handshake);

    /** A text frame from the client. */
    protected abstract void received(String text);

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            session = new Session(context.channel(), services, format, this);
            beforeStart(handshake);
            session.start();
            opened(handshake);
        }
        super.userEventTriggered(context, evt);
    }

    /** Configures the session before its timers start (a connection scope, say). */
    protected void beforeStart(WebSocketServerProtocolHandler.HandshakeComplete handshake) {
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (session == null || session.state() == Session.State.CLOSED) {
                return;
            }
            session.onInbound();
            if (msg instanceof TextWebSocketFrame text) {
                received(text.text());
            } else if (msg instanceof BinaryWebSocketFrame) {
                session.close(CloseCode.UNSUPPORTED_DATA, CloseCode.UNSUPPORTED_DATA.reason());
            }
            // pongs only prove the client alive, which onInbound recorded
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Sends a JSON text frame. */
    protected final void send(String json) {
        session.send(frame(json));
    }

    /** A text frame of {@code json}. */
    protected final ByteBuf frame(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return WebSocketFrames.text(ctx.alloc(), bytes, bytes.length);
    }

    // ---- Session.Protocol defaults ------------------------------------------------------------

    @Override
    public ByteBuf heartbeat(long nowMicros) {
        return null;
    }

    @Override
    public ByteBuf gap(String symbol, Channel channel, long streamKey, String reason) {
        return null;
    }

    @Override
    public ByteBuf closingError(ErrorCode code, String message) {
        return error(null, code, message);
    }
}
