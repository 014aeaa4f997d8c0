package io.tickwire.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tickwire.server.net.HttpEndpoint;
import io.tickwire.server.net.HttpResponses;

/**
 * {@code GET /metrics}: every meter of the server in the Prometheus text format. Needs no
 * credentials; meters carry no secrets and no account names.
 */
public final class MetricsEndpoint implements HttpEndpoint {

    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean matches(String path) {
        return path.equals("/metrics");
    }

    @Override
    public FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        return HttpResponses.body(ctx.alloc(), HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape());
    }
}
