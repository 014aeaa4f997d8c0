package io.tickwire.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A plain HTTP resource, such as {@code /health}. Called on the connection's event loop; must not
 * block. An endpoint whose answer takes time (a history query, a call to an identity provider)
 * overrides the three-argument {@link #handle(ChannelHandlerContext, FullHttpRequest, Consumer)}
 * or {@link #handleAsync} and does that work elsewhere; the router writes the answer back on the
 * connection's loop and reads no further request from the connection until then.
 */
public interface HttpEndpoint {

    /** Whether this endpoint serves the path. */
    boolean matches(String path);

    /** The response to a request; the router adds connection headers. */
    FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request);

    /**
     * Answers a request now or later: calls {@code respond} exactly once, from any thread. The
     * request is released when this method returns, so read what is needed from it first. The
     * default answers with {@link #handleAsync}; a failure becomes a 500 with {@code internal_error}.
     */
    default void handle(ChannelHandlerContext ctx, FullHttpRequest request, Consumer<FullHttpResponse> respond) {
        handleAsync(ctx, request).whenComplete((response, failure) -> respond.accept(response != null ? response
                : HttpResponses.error(ctx.alloc(), io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "internal_error", "the request failed on the server")));
    }

    /**
     * The response, possibly later. The request is released when this returns: copy what is needed
     * first. The default answers at once with {@link #handle(ChannelHandlerContext, FullHttpRequest)}.
     */
    default CompletionStage<FullHttpResponse> handleAsync(ChannelHandlerContext ctx, FullHttpRequest request) {
        return CompletableFuture.completedFuture(handle(ctx, request));
    }
}
