package io.tickwire.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tickwire.engine.bus.Bus;
import io.tickwire.engine.bus.BusStats;
import io.tickwire.server.session.ConnectionRegistry;
import io.tickwire.store.StoreStats;
import java.util.function.Supplier;

/**
 * {@code GET /health}: whether the server is up, with its main counters, as JSON. Needs no
 * credentials and reveals no account names. {@code status} is {@code degraded} while the history
 * store's writes fail (the live stream goes on), {@code starting} (answered with 503) while the
 * server admits no connection yet; {@code store} has the writer's counters.
 */
public final class HealthEndpoint implements HttpEndpoint {

    private final String version;
    private final String transport;
    private final ConnectionRegistry registry;
    private final ChannelGroup connections;
    private final Bus bus;
    private final Supplier<StoreStats> store;
    private final AdmissionControl admission;
    /** More sections, each a name and a supplier of its JSON object (added while running: copy-on-write). */
    private final java.util.List<java.util.Map.Entry<String, Supplier<String>>> sections = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long startedMillis = System.currentTimeMillis();

    public HealthEndpoint(String version, String transport, ConnectionRegistry registry, ChannelGroup connections, Bus bus) {
        this(version, transport, registry, connections, bus, StoreStats::disabled, null);
    }

    /**
     * Health that also reports the history store's writer, and {@code starting} (with 503, so a
     * load balancer sends nobody yet) while {@code admission} holds connections.
     */
    public HealthEndpoint(String version, String transport, ConnectionRegistry registry, ChannelGroup connections, Bus bus,
                          Supplier<StoreStats> store, AdmissionControl admission) {
        this.store = store;
        this.admission = admission;
        this.version = version;
        this.transport = transport;
        this.registry = registry;
        this.connections = connections;
        this.bus = bus;
    }

    /**
     * Adds a section to the answer: {@code "name":} followed by what {@code json} returns, which
     * must be a JSON object; called on an I/O thread per request, so it must be cheap and thread-safe.
     */
    public void addSection(String name, Supplier<String> json) {
        sections.add(java.util.Map.entry(name, json));
    }

    @Override
    public boolean matches(String path) {
        return path.equals("/health");
    }

    @Override
    public FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        BusStats stats = bus.stats();
        StoreStats s = store.get();
        String held = admission == null ? null : admission.heldBecause();
        String status = held != null ? "starting" : s.failed() ? "degraded" : "ok";
        String json = "{\"status\":\"" + status + "\",\"version\":\"" + version
                + "\",\"transport\":\"" + transport + "\""
                + ",\"uptimeSeconds\":" + (System.currentTimeMillis() - startedMillis) / 1_000
                + ",\"connections\":" + connections.size()
                + ",\"authenticatedConnections\":" + registry.total()
                + ",\"engine\":{\"partitions\":" + bus.partitions()
                + ",\"eventsAccepted\":" + stats.eventsAccepted()
                + ",\"eventsRejected\":" + stats.eventsRejected()
                + ",\"eventsRefused\":" + stats.eventsRefused()
                + ",\"queuedEvents\":" + stats.queuedEvents() + "}"
                + ",\"store\":{\"status\":\"" + s.status() + "\",\"queued\":" + s.queued()
                + ",\"queueCapacity\":" + s.queueCapacity() + ",\"received\":" + s.received()
                + ",\"committed\":" + s.committed() + ",\"committedTicks\":" + s.committedTicks() + ",\"dropped\":" + s.dropped() + ",\"failures\":" + s.failures()
                + ",\"lagMs\":" + s.lagMillis() + ",\"committedThrough\":" + s.committedThrough()
                + ",\"lastError\":" + (s.lastError() == null ? "null" : "\"" + HttpResponses.escape(s.lastError()) + "\"")
                + "}"
                + (held == null ? "" : ",\"starting\":\"" + HttpResponses.escape(held) + "\"")
                + moreSections()
                + "}";
        return HttpResponses.json(ctx.alloc(), held == null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, json);
    }

    private String moreSections() {
        StringBuilder json = new StringBuilder();
        for (java.util.Map.Entry<String, Supplier<String>> section : sections) {
            json.append(",\"").append(section.getKey()).append("\":").append(section.getValue().get());
        }
        return json.toString();
    }
}
