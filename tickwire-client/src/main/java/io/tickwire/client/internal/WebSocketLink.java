package io.tickwire.client.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to a server: TCP connect, optional TLS, the HTTP upgrade, text frames
 * in and out, and the close handshake. It knows nothing of Tickwire's protocol.
 *
 * <p>Confined to one event loop: create it, call its methods and receive its callbacks there.
 * {@link Listener#onClosed} is called exactly once per link, whether the connect failed, the
 * handshake was refused, the server closed, the network failed or the link was aborted. Inbound
 * frames are released after the listener has seen them; the listener gets plain strings.
 *
 * <p>Pipeline, in data-path order: [TLS] → HTTP codec → aggregator for the upgrade response →
 * Netty's WebSocket client protocol handler (handshake, masking, pings answered) → frame
 * aggregator (continuations) → {@link FrameHandler}.
 */
public final class WebSocketLink {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketLink.class);
    /** Close code reported when there was no close frame (RFC 6455 section 7.1.5). */
    public static final int ABNORMAL_CLOSURE = 1006;

    /** What a link reports; every call comes on the link's event loop. */
    public interface Listener {
        /** A text frame arrived. */
        void onText(WebSocketLink link, String text);

        /**
         * The link is gone; called exactly once.
         *
         * @param closeCode the server's close code, or {@link #ABNORMAL_CLOSURE} if it sent none
         * @param reason    the server's close reason, or what this side observed
         */
        void onClosed(WebSocketLink link, int closeCode, String reason);
    }

    /**
     * How to connect.
     *
     * @param uri              {@code ws://} or {@code wss://} URI of the endpoint
     * @param connectTimeout   limit for the TCP connect and, separately, for the upgrade
     * @param maxFrameBytes    largest inbound message accepted
     * @param headers          extra handshake headers
     */
    public record Settings(URI uri, Duration connectTimeout, int maxFrameBytes, HttpHeaders headers) {
        /** Checks the required parts; no headers means none extra. */
        public Settings {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            headers = headers == null ? new DefaultHttpHeaders() : headers;
        }
    }

    private final EventLoop loop;
    private final Settings settings;
    private final Listener listener;
    private Channel channel;
    private ChannelFuture connecting;
    private boolean handshakeComplete;
    private boolean closeSent;
    private int closeCode = ABNORMAL_CLOSURE;
    private String closeReason;
    private String localReason;
    private Throwable failure;
    private int refusedStatus;
    private boolean notified;
    private ScheduledFuture<?> forceClose;

    /** A link not yet connected; call {@link #connect()} next, on {@code loop}. */
    public WebSocketLink(EventLoop loop, Settings settings, Listener listener) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Starts connecting; the outcome arrives as frames or as {@link Listener#onClosed}. */
    public void connect() {
        URI uri = settings.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("wss");
        if (!tls && !scheme.equals("ws")) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
        }
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        SslContext ssl = tls ? clientTls() : null;
        long timeoutMillis = settings.connectTimeout().toMillis();
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .customHeaders(settings.headers())
                .allowExtensions(false)
                .maxFramePayloadLength(settings.maxFrameBytes())
                .handleCloseFrames(false) // the close handshake is ours: we keep the code and reason
                .sendCloseFrame(null)     // and we decide when a close frame is sent
                .dropPongFrames(true)
                .handshakeTimeoutMillis(Math.max(1, timeoutMillis))
                .build();
        connecting = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis)))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc(), host, port));
                        }
                        p.addLast("http", new HttpClientCodec());
                        p.addLast("http-aggregator", new HttpObjectAggregator(16 * 1024));
                        p.addLast("ws-protocol", new WebSocketClientProtocolHandler(ws));
                        p.addLast("ws-aggregator", new WebSocketFrameAggregator(settings.maxFrameBytes()));
                        p.addLast("frames", new FrameHandler());
                    }
                })
                .connect(host, port);
        channel = connecting.channel();
        connecting.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && failure == null) {
                failure = f.cause();
            }
        });
        channel.closeFuture().addListener(f -> closed());
    }

    /** Whether the WebSocket handshake has completed and the link is not closing. */
    public boolean isOpen() {
        return handshakeComplete && !closeSent && channel != null && channel.isActive();
    }

    /**
     * The HTTP status with which the server refused the upgrade, or 0 if it did not (or has not
     * answered yet).
     */
    public int refusedStatus() {
        return refusedStatus;
    }

    /**
     * Sends a text frame.
     *
     * @return whether it was handed to the socket; false once the link is closing or closed
     */
    public boolean send(String text) {
        if (!isOpen()) {
            return false;
        }
        channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        return true;
    }

    /**
     * Starts the close handshake: sends a close frame, then closes the socket when the server's
     * close frame arrives or after {@code grace}, whichever is first. Before the handshake has
     * completed, closes the socket at once. Idempotent.
     */
    public void close(int code, String reason, Duration grace) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        if (localReason == null) {
            localReason = reason;
        }
        if (!handshakeComplete || closeSent) {
            if (!closeSent) {
                channel.close();
            }
            return;
        }
        closeSent = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        forceClose = loop.schedule(() -> {
            channel.close();
        }, grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes the socket now, without a close handshake; {@code reason} is what the listener hears. */
    public void abort(String reason) {
        if (localReason == null) {
            localReason = reason;
        }
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * Stops or resumes reading from the socket. While stopped, data waits in the kernel and then
     * on the server, which is how a slow consumer pushes back.
     */
    public void setReading(boolean reading) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        channel.config().setAutoRead(reading);
        if (reading) {
            channel.read();
        }
    }

    private void closed() {
        if (notified) {
            return;
        }
        notified = true;
        if (forceClose != null) {
            forceClose.cancel(false);
        }
        String reason;
        if (closeReason != null) {
            reason = closeReason.isEmpty() ? "closed by the server" : closeReason;
        } else if (localReason != null) {
            reason = localReason;
        } else if (failure != null) {
            reason = describe(failure);
        } else if (connecting != null && connecting.cause() != null) {
            // Netty closes the channel of a failed connect before it tells the connect future's
            // listeners, so the cause may only be on the future yet
            reason = describe(connecting.cause());
        } else {
            reason = handshakeComplete ? "connection closed without a close frame" : "connection closed during the handshake";
        }
        listener.onClosed(this, closeCode, reason);
    }

    private String describe(Throwable t) {
        // A refused TCP connect is the usual first mistake (no server started, a wrong port): say
        // it in words a user acts on rather than the socket's "Connection refused: /127.0.0.1:…"
        if (t instanceof ConnectException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
            return "connection refused: is a server running at " + settings.uri() + "?";
        }
        if (t instanceof ConnectTimeoutException) {
            return "no TCP connection to " + settings.uri() + " within " + settings.connectTimeout().toMillis() + " ms";
        }
        if (t instanceof UnknownHostException) {
            return "unknown host " + settings.uri().getHost() + " in " + settings.uri();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Last in the pipeline: hands text to the listener and runs the close handshake. */
    private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshakeComplete = true;
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                if (localReason == null) {
                    localReason = "WebSocket handshake timed out after " + settings.connectTimeout().toMillis() + " ms";
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                listener.onText(WebSocketLink.this, text.text());
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode() < 0 ? 1005 : close.statusCode(); // 1005: no status present
                String text = close.reasonText();
                closeReason = text == null ? "" : text;
                if (closeSent) {
                    ctx.close(); // the server answered our close
                } else {
                    closeSent = true; // answer the server's close with the same status, then close
                    ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, close.content().retainedDuplicate()))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else {
                LOG.debug("ignoring a {} from {}", frame.getClass().getSimpleName(), settings.uri());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
                refusedStatus = refused.response().status().code();
                if (localReason == null) {
                    localReason = "WebSocket upgrade refused: HTTP " + refused.response().status();
                }
            } else if (failure == null) {
                failure = cause;
            }
            LOG.debug("connection to {} failed", settings.uri(), cause);
            ctx.close();
        }
    }
}
