package io.tickwire.cli.app;

import io.tickwire.auth.Authenticator;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.feeds.catalog.SimulationCatalog;
import io.tickwire.feeds.simulator.MarketSimulator;
import io.tickwire.feeds.simulator.SimulatorConfig;
import io.tickwire.feeds.simulator.SimulatorRunner;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.server.TickwireServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Tickwire process assembled from one configuration: the instrument catalogue, the
 * engine's bus, the server, and the simulator feeding it.
 *
 * <p>{@link #start} brings the parts up in data-path order; {@link #close} takes them down in
 * reverse (sources first, so nothing is published into a stopped engine). Thread-safe.
 */
public final class TickwireApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TickwireApp.class);

    private final TickwireConfig config;
    private final InstrumentCatalog catalog;
    private final InProcessBus bus;
    private final TickwireServer server;
    private final SimulatorRunner simulator;
    private boolean closed;

    private TickwireApp(TickwireConfig config, Clock clock) {
        this.config = config;
        Authenticator authenticator = ConfiguredAccounts.authenticator(config);
        if (config.accounts().isEmpty()) {
            LOG.warn("no accounts are configured: nobody can authenticate (see docs/configuration.md, 'accounts')");
        }
        SimulationCatalog simulation = DefaultCatalog.load();
        this.catalog = simulation.instruments();
        this.bus = new InProcessBus(catalog, clock, config.engine().partitions(), config.engine().queueCapacity());
        TickwireServer started;
        try {
            started = TickwireServer.start(config.server(), catalog, bus, authenticator, clock);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
        this.server = started;
        TickwireConfig.SimulatorSettings s = config.simulator();
        if (s.enabled()) {
            SimulatorConfig simConfig = SimulatorConfig.defaults().withSeed(s.seed())
                    .withEventsPerSecond(s.eventsPerSecond()).withRespectMarketHours(s.respectMarketHours())
                    .withBookEvents(true); // the engine keeps the books and derives quotes from them
            this.simulator = new SimulatorRunner(new MarketSimulator(simulation, simConfig), bus, clock);
            this.simulator.start();
            LOG.info("simulator: {} instruments, {} events/s, seed {}, market hours {}", catalog.size(),
                    s.eventsPerSecond(), s.seed(), s.respectMarketHours() ? "respected" : "ignored");
        } else {
            this.simulator = null;
        }
    }

    /** Starts everything the configuration describes. */
    public static TickwireApp start(TickwireConfig config, Clock clock) {
        return new TickwireApp(config, clock);
    }

    /** The running server. */
    public TickwireServer server() {
        return server;
    }

    /** The engine's bus, for publishing events directly (tests, tools). */
    public InProcessBus bus() {
        return bus;
    }

    /** The instruments served. */
    public InstrumentCatalog catalog() {
        return catalog;
    }

    /** The simulator, or {@code null} if disabled. */
    public SimulatorRunner simulator() {
        return simulator;
    }

    /** The configuration it runs with. */
    public TickwireConfig config() {
        return config;
    }

    /** The native WebSocket URL as a client on this machine reaches it. */
    public String nativeUrl() {
        String host = config.server().host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return "ws://" + host + ":" + server.port() + config.server().nativePath();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (simulator != null) {
            simulator.close();
        }
        server.close();
        bus.close();
    }
}
