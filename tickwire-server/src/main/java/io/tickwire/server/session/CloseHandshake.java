package io.tickwire.server.session;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of a WebSocket close: send the close frame, let the client answer (Netty's
 * protocol handler then closes the socket), and end the connection anyway if it does not.
 * Closing the socket at once while the client's requests are still unread would make the kernel
 * reset the connection and the client lose the close frame; waiting for an answer for ever would
 * let any client that does not answer hold a socket (Netty's force-close timeout does not cover a
 * close frame written by a handler behind the protocol handler: a load run kept 256 such
 * connections open for 15 minutes). Call on the channel's event loop.
 */
public final class CloseHandshake {

    /** How long a closing connection waits for the client's close frame once ours is sent. */
    static final long GRACE_MILLIS = 2_000;
    /** How long a close frame may wait behind unread data before the connection is ended without it. */
    static final long UNREAD_MILLIS = 10_000;

    private CloseHandshake() {
    }

    /** Sends {@code frame} and ends the connection {@link #GRACE_MILLIS} after it went out, or {@link #UNREAD_MILLIS} from now. */
    public static void start(Channel channel, CloseWebSocketFrame frame) {
        channel.writeAndFlush(frame).addListener(sent ->
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, GRACE_MILLIS, TimeUnit.MILLISECONDS));
        // a reader that has stalled never takes the close frame, and the write above never
        // completes: end the connection anyway, so its queued bytes do not live on
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, UNREAD_MILLIS, TimeUnit.MILLISECONDS);
    }
}
