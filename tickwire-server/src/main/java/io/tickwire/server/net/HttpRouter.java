package io.tickwire.server.net;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.server.session.CloseHandshake;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first stop of every HTTP request: WebSocket upgrades on a known path get that endpoint's
 * handlers (and this router leaves the pipeline); other requests go to an {@link HttpEndpoint} or
 * get a JSON 404.
 *
 * <p>Requests of one connection are answered one at a time and in order, whatever the client
 * pipelines: a request that arrives while the previous one is still being answered (a history
 * query runs on another thread), or while the client has not read the answers already sent (the
 * connection is above its write-buffer high water mark), waits here, and reading from the socket
 * stops meanwhile. At most {@link #MAX_WAITING} requests wait; a client that pipelines more while
 * its answers pile up is disconnected, and one that reads none of its answers for
 * {@code stallTimeout} too. So the memory an HTTP connection can make the server hold is bounded
 * by the high water mark, one answer and a few requests, however it behaves.
 *
 * <p>One instance per connection (it removes itself on upgrade), confined to its event loop.
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Pipelined requests held while an earlier answer is on its way. */
    static final int MAX_WAITING = 16;

    private final List<WebSocketEndpoint> webSockets;
    private final List<HttpEndpoint> resources;
    private final int maxFrameBytes;
    private final AdmissionControl admission;
    private final long stallNanos;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    /** An answer is being prepared elsewhere; the next request waits for it. */
    private boolean answering;
    private ScheduledFuture<?> stallTimer;

    /**
     * A router that admits WebSocket connections through {@code admission} ({@code null}: all) and
     * closes a connection that leaves its answers unread for {@code stallTimeout}.
     */
    public HttpRouter(List<WebSocketEndpoint> webSockets, List<HttpEndpoint> resources, int maxFrameBytes,
                      AdmissionControl admission, Duration stallTimeout) {
        this.admission = admission;
        this.webSockets = webSockets;
        this.resources = resources;
        this.maxFrameBytes = maxFrameBytes;
        this.stallNanos = stallTimeout.toNanos();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (answering || !waiting.isEmpty() || !ctx.channel().isWritable()) {
            if (waiting.size() >= MAX_WAITING) {
                // pipelining ever more requests without reading the answers: nothing good can come of it
                ctx.close();
                return;
            }
            waiting.add(request.retain());
            ctx.channel().config().setAutoRead(false);
            watchForStall(ctx);
            return;
        }
        route(ctx, request);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            next(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    private void releaseWaiting() {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
        cancelStallTimer();
    }

    private void cancelStallTimer() {
        if (stallTimer != null) {
            stallTimer.cancel(false);
            stallTimer = null;
        }
    }

    /** Answers the requests that waited, in order, as long as the client reads; then reads again. */
    private void next(ChannelHandlerContext ctx) {
        while (!answering && ctx.channel().isWritable() && ctx.channel().isActive() && !ctx.isRemoved()) {
            FullHttpRequest request = waiting.poll();
            if (request == null) {
                cancelStallTimer();
                ctx.channel().config().setAutoRead(true);
                return;
            }
            try {
                route(ctx, request);
            } finally {
                request.release();
            }
        }
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
            watchForStall(ctx);
        }
    }

    /** Closes the connection if it stays unwritable (its answers unread) for the stall timeout. */
    private void watchForStall(ChannelHandlerContext ctx) {
        if (stallTimer != null || ctx.channel().isWritable()) {
            return;
        }
        stallTimer = ctx.executor().schedule(() -> {
            stallTimer = null;
            if (!ctx.channel().isWritable()) {
                ctx.close();
            }
        }, stallNanos, TimeUnit.NANOSECONDS);
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "malformed HTTP request"));
            return;
        }
        String path;
        try {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            path = uri.path();
            uri.parameters(); // every endpoint reads them later: a malformed %-escape is refused here, once
        } catch (IllegalArgumentException e) {
            // not the decoder's message: it quotes the whole URL, a ?token= included
            respond(ctx, request, HttpResponses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "malformed URL: a '%' must be followed by two hexadecimal digits"));
            return;
        }
        for (WebSocketEndpoint endpoint : webSockets) {
            if (endpoint.matches(path)) {
                String raw = rawPath(request.uri());
                if (!raw.equals(path)) {
                    // the handshake matches the path as sent: a respelled one (%-escapes, a fragment)
                    // would be handed on unmatched and never answered
                    respond(ctx, request, HttpResponses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, "bad_request",
                            "a WebSocket path must be sent as is, without %-escapes or a fragment: " + path));
                    return;
                }
                if (isUpgrade(request)) {
                    upgrade(ctx, request, path, endpoint);
                } else {
                    FullHttpResponse response = HttpResponses.error(ctx.alloc(), HttpResponseStatus.UPGRADE_REQUIRED,
                            "upgrade_required", path + " is a WebSocket endpoint; connect with a WebSocket client");
                    response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
                    respond(ctx, request, response);
                }
                return;
            }
        }
        for (HttpEndpoint resource : resources) {
            if (resource.matches(path)) {
                // no further reads from the socket until this answer is out, so an answer that comes
                // later from another thread is not overtaken by the next request's
                boolean keepAlive = HttpUtil.isKeepAlive(request);
                ctx.channel().config().setAutoRead(false);
                answering = true;
                resource.handle(ctx, request, response -> {
                    if (ctx.executor().inEventLoop()) {
                        respondAndResume(ctx, keepAlive, response);
                    } else {
                        ctx.executor().execute(() -> respondAndResume(ctx, keepAlive, response));
                    }
                });
                return;
            }
        }
        respond(ctx, request, HttpResponses.error(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "not_found",
                "no resource at " + path));
    }

    /** The URI's path as sent, up to the query. */
    private static String rawPath(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static boolean isUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String path, WebSocketEndpoint endpoint) {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(path)
                .checkStartsWith(true) // the URI may carry a query string (?token=…)
                .handshakeTimeoutMillis(10_000)
                .dropPongFrames(false) // pongs reach the session: they prove the client is alive
                .handleCloseFrames(true)
                .forceCloseTimeoutMillis(5_000) // a close frame that cannot be written (stalled reader) ends the connection
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFrameBytes)
                        .allowExtensions(false)
                        .closeOnProtocolViolation(true)
                        .withUTF8Validator(true)
                        .build())
                .build();
        ChannelPipeline p = ctx.pipeline();
        if (p.get(RequestDeadline.NAME) != null) {
            p.remove(RequestDeadline.NAME); // the session keeps its own deadlines from here
        }
        String name = ctx.name();
        p.addAfter(name, PingGuard.NAME, new PingGuard());
        p.addAfter(PingGuard.NAME, "ws-protocol", new WebSocketServerProtocolHandler(config));
        p.addAfter("ws-protocol", "ws-aggregator", new WebSocketFrameAggregator(maxFrameBytes));
        String held = admission == null ? null : admission.heldBecause(); // read first: a release may follow
        long retryAfterMs = admission == null ? 0 : admission.admit();
        p.addAfter("ws-aggregator", "session", retryAfterMs == 0 ? endpoint.handlers().get()
                : new TurnAway(retryAfterMs, held));
        ctx.fireChannelRead(request.retain());
        p.remove(this);
    }

    /**
     * Completes the handshake of a connection admission control turned away, then closes it with
     * 1013 and a reason carrying the retry hint ({@code retry after N ms}), which clients (the SDK
     * among them) read to schedule their next attempt.
     */
    private static final class TurnAway extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final long retryAfterMs;
        private final String why;

        TurnAway(long retryAfterMs, String held) {
            this.retryAfterMs = retryAfterMs;
            this.why = held != null ? held : "server busy admitting connections";
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete) {
                // no close right after the frame: the client answers it, so it reads the code and
                // hint instead of a connection cut mid-handshake; one that never answers is cut
                // when the close handshake's grace ends
                CloseHandshake.start(ctx.channel(), new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(
                        io.tickwire.protocol.CloseCode.TRY_AGAIN_LATER.code(),
                        why + ": retry after " + retryAfterMs + " ms"));
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg); // nothing a turned-away client says matters
        }
    }

    private void respondAndResume(ChannelHandlerContext ctx, boolean requestKeepAlive, FullHttpResponse response) {
        answering = false;
        respond(ctx, requestKeepAlive, response);
        next(ctx);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        respond(ctx, HttpUtil.isKeepAlive(request), response);
    }

    private static void respond(ChannelHandlerContext ctx, boolean requestKeepAlive, FullHttpResponse response) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        boolean keepAlive = requestKeepAlive && response.status().code() < 400;
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
