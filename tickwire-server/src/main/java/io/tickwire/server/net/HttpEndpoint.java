package io.tickwire.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * A plain HTTP resource, such as {@code /health}. Called on the connection's event loop; must not
 * block.
 */
public interface HttpEndpoint {

    /** Whether this endpoint serves the path. */
    boolean matches(String path);

    /** The response to a request; the router adds connection headers. */
    FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request);
}
