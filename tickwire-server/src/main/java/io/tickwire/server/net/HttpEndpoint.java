package io.tickwire.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A plain HTTP resource, such as {@code /health}. Called on the connection's event loop; must not
 * block. An endpoint with blocking work overrides {@link #handleAsync} and does that work on an
 * executor of its own; the router writes the response back on the connection's loop.
 */
public interface HttpEndpoint {

    /** Whether this endpoint serves the path. */
    boolean matches(String path);

    /** The response to a request; the router adds connection headers. */
    FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request);

    /**
     * The response, possibly later. The request is released when this returns: copy what is needed
     * first. The default answers at once with {@link #handle}.
     */
    default CompletionStage<FullHttpResponse> handleAsync(ChannelHandlerContext ctx, FullHttpRequest request) {
        return CompletableFuture.completedFuture(handle(ctx, request));
    }
}
