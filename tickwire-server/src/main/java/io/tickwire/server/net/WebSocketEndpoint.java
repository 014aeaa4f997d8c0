package io.tickwire.server.net;

import io.netty.channel.ChannelHandler;
import java.util.function.Supplier;

/**
 * A WebSocket path and the protocol handler that serves it.
 *
 * @param path     the path, e.g. {@code /v1/ws}; with {@code prefix}, every path under it (for
 *                 routes with parameters such as {@code /itick/{cluster}})
 * @param prefix   whether {@code path} matches as a prefix followed by {@code /}
 * @param handlers a new protocol handler per connection, placed after Netty's WebSocket handlers
 */
public record WebSocketEndpoint(String path, boolean prefix, Supplier<ChannelHandler> handlers) {

    /** Whether a request path belongs to this endpoint. */
    public boolean matches(String requestPath) {
        if (prefix) {
            return requestPath.startsWith(path + "/") && requestPath.length() > path.length() + 1;
        }
        return requestPath.equals(path);
    }
}
