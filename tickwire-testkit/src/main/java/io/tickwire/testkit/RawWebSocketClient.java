package io.tickwire.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tickwire.protocol.v1.MessageReader;
import io.tickwire.protocol.v1.ServerMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client for tests that works at the frame level over a real socket: it can send
 * anything (malformed JSON, binary frames, oversized frames) and records every text frame and the
 * close frame it receives.
 *
 * <p>Thread-safe. Waits are bounded by {@link #DEFAULT_WAIT}; a wait that runs out fails the test
 * with what was received so far.
 */
public final class RawWebSocketClient implements AutoCloseable {

    /** How long the expect methods wait before failing. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("raw-ws-client", true), NioIoHandler.newFactory());
    private static final MessageReader READER = new MessageReader();

    /** A close frame as received: status code (or -1 if the socket closed without one) and reason. */
    public record Close(int code, String reason) {
    }

    private final Channel channel;
    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final List<String> history = new ArrayList<>();
    private final CompletableFuture<Close> closed;
    private final HttpHeaders responseHeaders;

    private RawWebSocketClient(Channel channel, CompletableFuture<Close> closed, HttpHeaders responseHeaders,
                               Handler handler) {
        this.channel = channel;
        this.closed = closed;
        this.responseHeaders = responseHeaders;
        handler.attach(this);
    }

    /** Connects and completes the WebSocket handshake. */
    public static RawWebSocketClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    /**
     * Connects with extra handshake headers.
     *
     * @throws IllegalStateException with the HTTP status if the server refuses the handshake
     */
    public static RawWebSocketClient connect(URI uri, Map<String, String> headers) {
        return connect(uri, headers, 0);
    }

    /**
     * Connects with extra handshake headers and, if {@code receiveBufferBytes > 0}, a small socket
     * receive buffer, so that a client that stops reading backs the server up quickly.
     */
    public static RawWebSocketClient connect(URI uri, Map<String, String> headers, int receiveBufferBytes) {
        HttpHeaders h = new DefaultHttpHeaders();
        headers.forEach(h::add);
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, h, 1 << 24);
        Handler handler = new Handler(handshaker);
        Bootstrap bootstrap = new Bootstrap().group(GROUP).channel(NioSocketChannel.class);
        if (receiveBufferBytes > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, receiveBufferBytes);
        }
        Channel ch = bootstrap
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), handler);
                    }
                })
                .connect(uri.getHost(), uri.getPort()).syncUninterruptibly().channel();
        try {
            HttpHeaders response = handler.handshakeDone.get(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new RawWebSocketClient(ch, handler.closed, response, handler);
        } catch (Exception e) {
            ch.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("handshake with " + uri + " failed: " + cause.getMessage(), cause);
        }
    }

    /** The server's handshake response headers. */
    public HttpHeaders responseHeaders() {
        return responseHeaders;
    }

    /** Sends a text frame. */
    public RawWebSocketClient send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text)).syncUninterruptibly();
        return this;
    }

    /** Sends a binary frame. */
    public RawWebSocketClient sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))).syncUninterruptibly();
        return this;
    }

    /** Sends any frame as is. */
    public RawWebSocketClient sendFrame(WebSocketFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
        return this;
    }

    /** Sends many text frames and flushes once, as a flood would. */
    public RawWebSocketClient sendAll(List<String> frames) {
        for (String frame : frames) {
            channel.write(new TextWebSocketFrame(frame));
        }
        channel.flush();
        return this;
    }

    /** The next text frame, waiting up to {@link #DEFAULT_WAIT}. */
    public String nextText() {
        try {
            String text = texts.poll(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no text frame within " + DEFAULT_WAIT + "; received " + recent()
                        + (closed.isDone() ? "; closed with " + closed.getNow(null) : ""));
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next text frame if one arrives within {@code wait}, else {@code null}. */
    public String pollText(Duration wait) {
        try {
            return texts.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next message decoded as a native-protocol server message. */
    public ServerMessage next() {
        return READER.read(nextText());
    }

    /** The next message, which must be of this type. */
    public <T extends ServerMessage> T expect(Class<T> type) {
        String text = nextText();
        ServerMessage message = READER.read(text);
        assertThat(message).as("next message: %s", text).isInstanceOf(type);
        return type.cast(message);
    }

    /** Skips messages until one of this type matching the predicate arrives; fails after the wait. */
    public <T extends ServerMessage> T awaitMessage(Class<T> type, Predicate<T> matching) {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = pollText(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (text == null) {
                break;
            }
            ServerMessage message = READER.read(text);
            if (type.isInstance(message) && matching.test(type.cast(message))) {
                return type.cast(message);
            }
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " within " + DEFAULT_WAIT
                + "; received " + recent());
    }

    /** Waits for the server to close the connection and returns its close frame. */
    public Close awaitClose() {
        try {
            return closed.get(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + DEFAULT_WAIT + "; received " + recent(), e);
        }
    }

    /** Stops reading from the socket, as a stalled consumer would; the server's data backs up. */
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    /** Reads again after {@link #pauseReading()}. */
    public void resumeReading() {
        channel.config().setAutoRead(true);
        channel.read();
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isActive() && !closed.isDone();
    }

    /** Every text frame received so far, in order. */
    public synchronized List<String> history() {
        return List.copyOf(history);
    }

    /** The count and the last few frames received, for failure messages that stay readable. */
    private synchronized String recent() {
        int from = Math.max(0, history.size() - 8);
        return history.size() + " frames, the last: " + history.subList(from, history.size());
    }

    /** Text frames received and not yet taken by a next/expect call. */
    public List<String> unread() {
        return List.copyOf(texts);
    }

    private synchronized void received(String text) {
        history.add(text);
        texts.add(text);
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;
        final CompletableFuture<HttpHeaders> handshakeDone = new CompletableFuture<>();
        final CompletableFuture<Close> closed = new CompletableFuture<>();
        private RawWebSocketClient owner;
        private final List<String> early = new ArrayList<>();

        Handler(WebSocketClientHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            handshaker.handshake(ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(new Close(-1, "socket closed without a close frame"));
            handshakeDone.completeExceptionally(new IllegalStateException("closed during handshake"));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!handshaker.isHandshakeComplete()) {
                FullHttpResponse response = (FullHttpResponse) msg;
                try {
                    handshaker.finishHandshake(ctx.channel(), response);
                    handshakeDone.complete(response.headers().copy());
                } catch (WebSocketHandshakeException e) {
                    handshakeDone.completeExceptionally(new IllegalStateException("HTTP " + response.status()
                            + ": " + response.content().toString(StandardCharsets.UTF_8), e));
                }
                return;
            }
            if (msg instanceof TextWebSocketFrame text) {
                deliver(text.text());
            } else if (msg instanceof CloseWebSocketFrame close) {
                closed.complete(new Close(close.statusCode(), close.reasonText()));
                // answer the close handshake, as a well-behaved client does
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
        }

        /** Frames can arrive before the client object exists; they wait here until it does. */
        void attach(RawWebSocketClient client) {
            synchronized (early) {
                owner = client;
                for (String e : early) {
                    client.received(e);
                }
                early.clear();
            }
        }

        private void deliver(String text) {
            synchronized (early) {
                if (owner == null) {
                    early.add(text);
                } else {
                    owner.received(text);
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshakeDone.completeExceptionally(cause);
            ctx.close();
        }
    }
}
