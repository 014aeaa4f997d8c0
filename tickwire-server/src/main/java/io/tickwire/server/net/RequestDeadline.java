package io.tickwire.server.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection that does not deliver a complete request in time: the first request
 * within {@code firstRequest} of the connection opening, each later one (keep-alive) within
 * {@code idle} of the previous answer. A connection late with its first request is answered
 * {@code 408} with the error {@code request_timeout} and closed; an idle keep-alive connection is
 * closed without a word, as HTTP clients expect of a pooled connection (a 408 there could be
 * taken for the answer to a request the client sends at that very moment). Without it a client
 * that opens a socket and sends nothing, or sends its request a byte at a time, holds one of the
 * server's file descriptors for ever.
 *
 * <p>No deadline runs while a request is being answered (an answer may come later from another
 * thread). A connection that becomes a WebSocket leaves this handler behind ({@link HttpRouter}
 * removes it): its session has deadlines of its own. Confined to the channel's event loop.
 */
public final class RequestDeadline extends ChannelDuplexHandler {

    /** The handler's name in the pipeline. */
    public static final String NAME = "http-deadline";

    private final long firstRequestNanos;
    private final long idleNanos;
    private ScheduledFuture<?> timer;
    private boolean answering;
    private boolean answeredOne;

    public RequestDeadline(Duration firstRequest, Duration idle) {
        this.firstRequestNanos = firstRequest.toNanos();
        this.idleNanos = idle.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx, firstRequestNanos);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (timer == null) {
            arm(ctx, firstRequestNanos);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            cancel();
            answering = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean answered = answering && (msg instanceof FullHttpResponse || msg instanceof LastHttpContent);
        ctx.write(msg, promise);
        if (answered) {
            answering = false;
            answeredOne = true;
            arm(ctx, idleNanos);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx, long nanos) {
        cancel();
        timer = ctx.executor().schedule(() -> passed(ctx, nanos), nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void passed(ChannelHandlerContext ctx, long nanos) {
        timer = null;
        if (answering || !ctx.channel().isActive() || ctx.isRemoved()) {
            return;
        }
        if (answeredOne) {
            ctx.close();
            return;
        }
        FullHttpResponse response = HttpResponses.error(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
                "no complete HTTP request within " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
