package io.tickwire.server.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.tickwire.protocol.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every protocol handler that owns a {@link Session} does with the connection's own events,
 * whatever it speaks (the native protocol, a dialect): writability and the end of the connection
 * go to the session, and a broken connection closes it with a stable close code:
 * 1009 for an oversized message, 1008 for an invalid frame, 1011 otherwise; a frame Netty's decoder
 * refused has already been answered with its close frame.
 *
 * <p>Sits last in the pipeline, after Netty's WebSocket handlers. Confined to the connection's
 * event loop; {@link #session} is set when the handshake completes.
 */
public abstract class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    /** The connection's session once the WebSocket handshake is done, else {@code null}. */
    protected Session session;

    /** The reason sent with a close code for a broken connection; the code's own reason unless a protocol words it. */
    protected String closeReason(CloseCode code) {
        return code.reason();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        if (session != null) {
            session.onWritabilityChanged();
        }
        super.channelWritabilityChanged(context);
    }

    /** The client's close frame came: the session ends now, its slot free before the answer leaves. */
    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) throws Exception {
        if (evt == ClientClosing.EVENT) {
            if (session != null) {
                session.onChannelClosed();
            }
            return;
        }
        super.userEventTriggered(context, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        if (session != null) {
            session.onChannelClosed();
        }
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException) {
            // Netty's frame decoder has already sent the close frame with the status (1002, 1007, 1009).
            if (session != null) {
                session.onChannelClosed();
            }
            context.close();
            return;
        }
        CloseCode code;
        if (cause instanceof TooLongFrameException) {
            code = CloseCode.MESSAGE_TOO_BIG;
        } else if (cause instanceof CorruptedFrameException) {
            code = CloseCode.POLICY_VIOLATION;
        } else {
            LOG.debug("session {}: connection error", session == null ? "-" : session.id(), cause);
            code = CloseCode.INTERNAL_ERROR;
        }
        if (session != null) {
            session.close(code, closeReason(code));
        } else {
            context.close();
        }
    }
}
