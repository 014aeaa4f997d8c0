package io.tickwire.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickwire.auth.Authenticator;
import io.tickwire.engine.bus.Bus;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.protocol.CloseCode;
import io.tickwire.server.dialect.itick.ItickProtocolHandler;
import io.tickwire.server.dialect.itick.ItickWireFormat;
import io.tickwire.server.dialect.ticktrader.TickTraderProtocolHandler;
import io.tickwire.server.dialect.ticktrader.TickTraderServices;
import io.tickwire.server.dialect.ticktrader.TickTraderWireFormat;
import io.tickwire.server.dialect.ticktrader.TwoFactorResumes;
import io.tickwire.model.reference.ReferenceData;
import io.tickwire.server.dialect.enterprise.EnterpriseProtocolHandler;
import io.tickwire.server.dialect.enterprise.EnterpriseWireFormat;
import io.tickwire.server.fanout.FanOut;
import io.tickwire.server.fanout.NativeWireFormat;
import io.tickwire.server.history.AccountRequestBudget;
import io.tickwire.server.history.HistoryEndpoint;
import io.tickwire.server.history.HistoryService;
import io.tickwire.server.history.ServerHistory;
import io.tickwire.server.net.HealthEndpoint;
import io.tickwire.server.net.HttpEndpoint;
import io.tickwire.server.net.AdmissionControl;
import io.tickwire.server.net.RequestDeadline;
import io.tickwire.server.net.HandoverEndpoint;
import io.tickwire.server.net.HttpRouter;
import io.tickwire.server.publish.LivePublishers;
import io.tickwire.server.net.Transport;
import io.tickwire.server.net.WebSocketEndpoint;
import io.tickwire.server.publish.PublisherHandler;
import io.tickwire.server.session.ConnectionRegistry;
import io.tickwire.server.session.NativeProtocolHandler;
import io.tickwire.server.session.SessionServices;
import io.tickwire.server.metrics.AuthMetrics;
import io.tickwire.server.metrics.MetricsEndpoint;
import io.tickwire.server.session.auth.AuthGate;
import io.tickwire.server.session.auth.OAuthExchangeEndpoint;
import io.tickwire.server.session.auth.ServerAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tickwire server: HTTP and WebSocket on one port, fed by an engine {@link Bus}.
 *
 * <p>{@link #start} binds and starts the bus's partitions with this server's fan-out; the caller
 * keeps owning the bus and closes it after the server. Thread-safe.
 */
public final class TickwireServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TickwireServer.class);

    /** The iTick dialect's route prefix: clients connect to {@code /itick/{cluster}}. */
    public static final String ITICK_PATH = "/itick";

    /** The TickTrader Feed dialect's route. */
    public static final String TICKTRADER_PATH = "/ticktrader";

    /** The enterprise compact dialect's route. */
    public static final String ENTERPRISE_PATH = "/enterprise/ws";

    /** The server's version, from the build. */
    public static final String VERSION = readVersion();

    private final ServerConfig config;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final AdmissionControl admission;
    private final HealthEndpoint health;
    private final ChannelGroup connections = new DefaultChannelGroup("tickwire-connections", GlobalEventExecutor.INSTANCE);
    private final ConnectionRegistry registry;
    private final FanOut fanOut;
    private final Transport transport;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AuthGate gate;
    private final HistoryService history;
    private final LivePublishers livePublishers = new LivePublishers();

    private TickwireServer(ServerConfig config, InstrumentCatalog catalog, Bus bus, ServerAuth auth, Clock clock,
                           ServerHistory serverHistory, ReferenceData reference, String holdReason) {
        this.config = config;
        this.history = new HistoryService(serverHistory, catalog, clock);
        this.admission = new AdmissionControl(config.admissionRate(), config.admissionBurst(), clock);
        if (holdReason != null) {
            admission.hold(holdReason); // before the port is bound: nobody gets in before release
        }
        this.transport = Transport.select(config.transport());
        int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        this.acceptor = transport.newGroup(1, "tickwire-accept");
        this.workers = transport.newGroup(threads, "tickwire-io");
        this.registry = new ConnectionRegistry();
        this.fanOut = new FanOut(workers, List.of(new NativeWireFormat(serverHistory.replayFeed()),
                new ItickWireFormat(), new TickTraderWireFormat(), new EnterpriseWireFormat()), catalog, clock,
                ByteBufAllocator.DEFAULT,
                config.outboxCapacity(), config.flushCoalescing());
        bus.start(fanOut::deliveryForPartition);

        this.gate = new AuthGate(auth, new AuthMetrics(meters), clock);
        meters.gauge("tickwire.connections.open", connections, ChannelGroup::size);
        meters.gauge("tickwire.connections.authenticated", registry, ConnectionRegistry::total);
        SessionServices services = new SessionServices(config, catalog, bus, fanOut, auth.authenticator(), registry, clock,
                VERSION, clock.epochMicros(), gate, meters, new io.tickwire.server.session.EmailRegistrations());
        if (auth.directory() != null) {
            auth.directory().onChange(() -> {
                registry.recheckCredentials(auth.directory().get());
                livePublishers.recheck(auth.directory().get());
            });
        }
        int nativeFormat = fanOut.formatIndex(NativeWireFormat.class);
        int itickFormat = fanOut.formatIndex(ItickWireFormat.class);
        int tickTraderFormat = fanOut.formatIndex(TickTraderWireFormat.class);
        int enterpriseFormat = fanOut.formatIndex(EnterpriseWireFormat.class);
        TickTraderServices tickTrader = new TickTraderServices(history, reference, new TwoFactorResumes(10_000));
        java.util.Set<String> publishers = java.util.Set.copyOf(config.publishers());
        List<WebSocketEndpoint> webSockets = List.of(
                new WebSocketEndpoint(config.nativePath(), false, () -> new NativeProtocolHandler(services, nativeFormat, history)),
                // the compatibility dialects (docs/dialects.md)
                new WebSocketEndpoint(ITICK_PATH, true, () -> new ItickProtocolHandler(services, itickFormat, ITICK_PATH)),
                new WebSocketEndpoint(TICKTRADER_PATH, false, () -> new TickTraderProtocolHandler(services, tickTraderFormat,
                        tickTrader)),
                new WebSocketEndpoint(ENTERPRISE_PATH, false, () -> new EnterpriseProtocolHandler(services, enterpriseFormat)),
                // events from the network (the load generator's publisher among them)
                new WebSocketEndpoint(config.publishPath(), false,
                        () -> new PublisherHandler(gate, publishers, livePublishers, catalog, bus, clock,
                                config.maxFrameBytes())));
        this.health = new HealthEndpoint(VERSION, transport.name(), registry, connections, bus, history::storeStats, admission);
        List<HttpEndpoint> resources = new java.util.ArrayList<>(List.of(
                health,
                new MetricsEndpoint(meters),
                new HistoryEndpoint(history, gate, new AccountRequestBudget(clock))));
        if (auth.exchange() != null) {
            resources.add(new OAuthExchangeEndpoint(auth.settings().exchangePath(), auth.exchange(), gate));
        }
        resources.add(new HandoverEndpoint(config.adminTokenHash(), config.drainPeriod().toMillis() / 2, gate,
                (spreadMs, url) -> handover(spreadMs, url)));

        FunctionCounter.builder("tickwire.connections.turned.away", admission,
                        AdmissionControl::turnedAway)
                .description("WebSocket connections turned away by admission control (1013, retry after N ms)")
                .register(meters);
        ChannelHandler initializer = new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connections.add(ch);
                ch.pipeline().addLast("http", new HttpServerCodec(4_096, 8_192, 8_192));
                ch.pipeline().addLast("http-aggregator", new HttpObjectAggregator(config.maxFrameBytes()));
                ch.pipeline().addLast(RequestDeadline.NAME, new RequestDeadline(config.authDeadline(), config.idleTimeout()));
                ch.pipeline().addLast("router", new HttpRouter(webSockets, resources, config.maxFrameBytes(), admission,
                        config.idleTimeout()));
            }
        };
        try {
            this.listener = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4_096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(config.writeBufferLowWater(), config.writeBufferHighWater()))
                    .childHandler(initializer)
                    .bind(config.host(), config.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            gate.close();
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            history.close();
            throw e;
        }
        LOG.info("Tickwire {} listening on {} ({} transport, {} I/O threads), native protocol at {}", VERSION,
                listener.localAddress(), transport.name(), threads, config.nativePath());
    }

    /**
     * Binds the server and starts the bus's partitions with this server's fan-out.
     *
     * @throws RuntimeException if the port cannot be bound (for example, already in use)
     */
    public static TickwireServer start(ServerConfig config, InstrumentCatalog catalog, Bus bus,
                                       Authenticator authenticator, Clock clock) {
        return start(config, catalog, bus, ServerAuth.of(authenticator), clock, ServerHistory.NONE);
    }

    /**
     * Binds the server with every authentication scheme, the account directory and the OAuth2
     * exchange that {@code auth} configures.
     */
    public static TickwireServer start(ServerConfig config, InstrumentCatalog catalog, Bus bus, ServerAuth auth,
                                       Clock clock) {
        return start(config, catalog, bus, auth, clock, ServerHistory.NONE);
    }

    /**
     * Binds a server that also answers history requests (native {@code history} and
     * {@code instruments}, REST {@code /v1/history/*} and {@code /v1/instruments}) from
     * {@code history}, and reports its store in {@code /health}.
     */
    public static TickwireServer start(ServerConfig config, InstrumentCatalog catalog, Bus bus, ServerAuth auth,
                                       Clock clock, ServerHistory history) {
        return start(config, catalog, bus, auth, clock, history, ReferenceData.derive(catalog, List.of(), List.of()));
    }

    /**
     * Binds a server whose TickTrader dialect serves {@code reference} (currencies, symbols'
     * terms, interest rates) for the catalogue.
     */
    public static TickwireServer start(ServerConfig config, InstrumentCatalog catalog, Bus bus, ServerAuth auth,
                                       Clock clock, ServerHistory history, ReferenceData reference) {
        return new TickwireServer(config, catalog, bus, auth, clock, history, reference, null);
    }

    /**
     * Binds a server that admits no WebSocket connection until {@link #admitConnections()}: each
     * is turned away (1013, {@code holdReason}, a retry hint) and {@code /health} answers 503
     * {@code starting}. For a node that must fill its state before serving (a cluster gateway).
     */
    public static TickwireServer startHeld(ServerConfig config, InstrumentCatalog catalog, Bus bus, ServerAuth auth,
                                           Clock clock, ServerHistory history, ReferenceData reference, String holdReason) {
        return new TickwireServer(config, catalog, bus, auth, clock, history, reference,
                java.util.Objects.requireNonNull(holdReason, "holdReason"));
    }

    /**
     * Adds a section to {@code GET /health}: {@code "name":} and the JSON object {@code json}
     * returns (called on an I/O thread per request: cheap and thread-safe).
     */
    public void addHealthSection(String name, java.util.function.Supplier<String> json) {
        health.addSection(name, json);
    }

    /**
     * Turns away every publisher from now on: after authenticating, each gets {@code not_ingest_node}
     * with {@code message} and is closed with {@code close}. For a node that takes no events (a
     * cluster's gateway or standby); call it before admitting connections ({@link #startHeld}).
     */
    public void turnAwayPublishers(String message, CloseCode close) {
        livePublishers.turnAway(message, close);
    }

    /**
     * Takes publishers, and their frames, only while {@code sure} is true (an elected ingest node
     * sure of its office); otherwise each gets {@code not_ingest_node} with {@code message} and
     * close 1013, before any frame of its is taken. Call it before publishers connect.
     */
    public void takePublishersOnlyWhile(java.util.function.BooleanSupplier sure, String message) {
        livePublishers.takeOnlyWhile(sure, message);
    }

    /** Admits connections (at the admission rate) after {@link #startHeld}; idempotent. */
    public void admitConnections() {
        if (admission.heldBecause() != null) {
            admission.release();
            LOG.info("admitting connections");
        }
    }

    /** The server's metrics (served as Prometheus text at {@code GET /metrics}); add meters here. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The socket transport in use: {@code epoll}, {@code io_uring} or {@code nio}. */
    public String transportName() {
        return transport.name();
    }

    /** The bound port (useful when the config asked for port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Live authenticated connections per account. */
    public ConnectionRegistry registry() {
        return registry;
    }

    /** The auth gate; package-private for tests that hold its blocking executor busy. */
    AuthGate gate() {
        return gate;
    }

    /** Open connections, authenticated or not. */
    public int openConnections() {
        return connections.size();
    }

    /** Fan-out, for its counters. */
    public FanOut fanOut() {
        return fanOut;
    }

    /** The configuration the server runs with. */
    public ServerConfig config() {
        return config;
    }

    /**
     * A planned handover: stops accepting connections, asks every client to reconnect (native
     * clients get a {@code reconnect} message; each is given a different moment within the first
     * half of {@code config.drainPeriod()} so they do not all return at once, and {@code url} as
     * where to go if not null), then waits until they have left or the drain period is over.
     * {@link #close()} then closes whoever is left with 1001. Blocking; idempotent.
     */
    public void drain(String url) {
        if (!listener.isOpen()) {
            return;
        }
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        long periodMs = config.drainPeriod().toMillis();
        if (periodMs == 0 || connections.isEmpty()) {
            return;
        }
        LOG.info("draining {} connection(s) over {} ms", connections.size(), periodMs);
        handover(periodMs / 2, url, "server draining: reconnect and resume");
        connections.newCloseFuture().awaitUninterruptibly(periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks every connected client to reconnect, each at a random moment within {@code spreadMs}
     * (0: all at once), to {@code url} if not null; the server goes on accepting. Returns how many
     * WebSocket connections were asked. Any thread.
     */
    public int handover(long spreadMs, String url) {
        // the server is not going anywhere: the operator moves clients (to another server, or to spread them)
        return handover(spreadMs, url, "handover requested by the operator: reconnect and resume");
    }

    private int handover(long spreadMs, String url, String reason) {
        int asked = 0;
        for (Channel ch : connections) {
            if (ch.pipeline().get("ws-protocol") == null) {
                continue; // plain HTTP (the admin's own request among them): nobody to ask
            }
            long afterMs = spreadMs <= 0 ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextLong(spreadMs + 1);
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(new DrainRequest(afterMs, url, reason)));
            asked++;
        }
        LOG.info("asked {} connection(s) to reconnect within {} ms{}", asked, spreadMs, url == null ? "" : " to " + url);
        return asked;
    }

    /**
     * Tells a connection's protocol handler to ask its client to reconnect after {@code afterMs}:
     * the server is draining, or an operator hands clients over; {@code reason} says which.
     */
    public record DrainRequest(long afterMs, String url, String reason) {
    }

    /**
     * Stops accepting, tells every connected client the server is going away (close code 1001),
     * and shuts the event loops down. Idempotent.
     */
    @Override
    public void close() {
        close(CloseCode.GOING_AWAY, "server shutting down");
    }

    /**
     * Stops as {@link #close()}, closing the connections with {@code code} and {@code reason}: 1001
     * when the server goes away and clients should come back, 1000 when its work is done (a replay
     * that finished) and there is nothing to come back to. Idempotent.
     */
    public void close(CloseCode code, String reason) {
        if (!listener.isOpen() && workers.isShuttingDown()) {
            return;
        }
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> {
                if (ch.pipeline().get("ws-protocol") != null) {
                    ch.writeAndFlush(new CloseWebSocketFrame(code.code(), reason))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ch.close();
                }
            });
        }
        connections.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        gate.close();
        history.close();
        LOG.info("Tickwire server on port {} stopped", port());
    }

    private static String readVersion() {
        try (InputStream in = TickwireServer.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
