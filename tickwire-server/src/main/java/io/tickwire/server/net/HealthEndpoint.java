package io.tickwire.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tickwire.engine.bus.Bus;
import io.tickwire.engine.bus.BusStats;
import io.tickwire.server.session.ConnectionRegistry;

/**
 * {@code GET /health}: whether the server is up, with its main counters, as JSON. Needs no
 * credentials and reveals no account names.
 */
public final class HealthEndpoint implements HttpEndpoint {

    private final String version;
    private final String transport;
    private final ConnectionRegistry registry;
    private final ChannelGroup connections;
    private final Bus bus;
    private final long startedMillis = System.currentTimeMillis();

    public HealthEndpoint(String version, String transport, ConnectionRegistry registry, ChannelGroup connections, Bus bus) {
        this.version = version;
        this.transport = transport;
        this.registry = registry;
        this.connections = connections;
        this.bus = bus;
    }

    @Override
    public boolean matches(String path) {
        return path.equals("/health");
    }

    @Override
    public FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        BusStats stats = bus.stats();
        String json = "{\"status\":\"ok\",\"version\":\"" + version + "\",\"transport\":\"" + transport + "\""
                + ",\"uptimeSeconds\":" + (System.currentTimeMillis() - startedMillis) / 1_000
                + ",\"connections\":" + connections.size()
                + ",\"authenticatedConnections\":" + registry.total()
                + ",\"engine\":{\"partitions\":" + bus.partitions()
                + ",\"eventsAccepted\":" + stats.eventsAccepted()
                + ",\"eventsRejected\":" + stats.eventsRejected()
                + ",\"eventsRefused\":" + stats.eventsRefused()
                + ",\"queuedEvents\":" + stats.queuedEvents() + "}}";
        return HttpResponses.json(ctx.alloc(), HttpResponseStatus.OK, json);
    }
}
