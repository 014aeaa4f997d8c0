package io.tickwire.cli.app;

import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.bar.BarState;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.engine.ingest.Sequencing;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.kafka.IngestElection;
import io.tickwire.feeds.catalog.DefaultReferenceData;
import io.tickwire.feeds.catalog.SimulationCatalog;
import io.tickwire.feeds.simulator.MarketSimulator;
import io.tickwire.feeds.simulator.SimulatorConfig;
import io.tickwire.feeds.simulator.SimulatorRunner;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.protocol.CloseCode;
import io.tickwire.server.TickwireServer;
import io.tickwire.server.history.ServerHistory;
import io.tickwire.server.session.auth.ServerAuth;
import io.tickwire.store.questdb.QuestDbStore;
import io.tickwire.store.replay.HistoryReplay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Tickwire process assembled from one configuration: the instrument catalogue, the
 * history store, the engine's bus (tapped by the store), the server, and the simulator feeding it
 * (or, for {@link #startReplay}, a replay of stored history instead: then nothing is stored).
 *
 * <p>{@link #start} brings the parts up in data-path order; {@link #close} takes them down in
 * reverse (sources first, so nothing is published into a stopped engine; the store last, so it
 * commits everything the engine handed it). Thread-safe.
 */
public final class TickwireApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TickwireApp.class);

    private final TickwireConfig config;
    private final InstrumentCatalog catalog;
    private final InProcessBus bus;
    private final TickwireServer server;
    private final SimulatorRunner simulator;
    private final QuestDbStore store;
    private final HistoryReplay replay;
    private final ClusterNode cluster;
    private boolean closed;

    private final AccountDirectory accounts;
    private final AccountsReloader reloader;

    private TickwireApp(TickwireConfig config, Clock clock, Map<String, String> env, Path configFile,
                        ReplayPlan replayPlan) {
        this(config, clock, env, configFile, replayPlan, null, List.of(), false);
    }

    /**
     * @param election the election that made this node the ingest node ({@code null}: not elected)
     * @param bars     the bars the new ingest node's engine takes over (a promoted standby's)
     * @param standby  a gateway standing by for the office of ingest node ({@link FailoverNode})
     */
    private TickwireApp(TickwireConfig config, Clock clock, Map<String, String> env, Path configFile,
                        ReplayPlan replayPlan, IngestElection election, List<BarState> bars, boolean standby) {
        this.config = config;
        this.accounts = ConfiguredAuth.directory(config, env);
        ServerAuth auth = ConfiguredAuth.serverAuth(config, accounts, clock);
        if (config.accounts().isEmpty()) {
            LOG.warn("no accounts are configured: nobody can authenticate (see docs/configuration.md, 'accounts')");
        }
        SimulationCatalog simulation = DefaultCatalog.load();
        this.catalog = simulation.instruments();
        boolean replaying = replayPlan != null;
        List<Instrument> replayed = replaying ? instruments(replayPlan.symbols()) : List.of();
        if (replaying && !config.store().enabled()) {
            throw new IllegalArgumentException("replay reads stored history: store.enabled must be true");
        }
        if (replaying && !config.cluster().role().equals("standalone")) {
            throw new IllegalArgumentException("a replay runs on its own: cluster.role must be standalone");
        }
        this.store = config.store().enabled()
                ? QuestDbStore.open(config.store().toSettings(Path.of("").toAbsolutePath()), catalog, clock) : null;
        ClusterNode node = null;
        InProcessBus engine = null;
        TickwireServer started = null;
        try {
            node = new ClusterNode(config.cluster(), catalog, clock, election);
            EventTap storing = store == null || replaying ? EventTap.NONE
                    : config.cluster().gateway() ? new UnstoredOnly(store, store.storedNumbering(), catalog.size()) : store;
            EventTap tap = node.tap(storing);
            engine = new InProcessBus(catalog, clock, config.engine().partitions(), config.engine().queueCapacity(), tap,
                    replaying ? Sequencing.KEEP_SOURCE : config.cluster().gateway() ? Sequencing.FOLLOW : Sequencing.ASSIGN);
            engine.staleAfter(config.engine().staleAfter());
            if (store != null && !replaying && config.cluster().gateway()) {
                store.forgetReservations(); // a standby: what it reserved as an ingest node before is void
            }
            if (store != null && !replaying) {
                if (!config.cluster().gateway()) { // a gateway keeps the ingest node's numbers: it reserves none
                    // a restart continues every stream's numbers, never reusing one (nor one a cluster's topic holds)
                    engine.continueNumbering(store.reservingNumbering(node.numbersOnTheTopic(store.numbering())));
                }
                engine.continueBars(store.barSeeding()); // ... and the bars being formed, the day's volume and last price
            }
            ServerHistory history = store == null ? ServerHistory.NONE : new ServerHistory(store.queries(), store::stats,
                    replaying, config.store().queryThreads(), config.store().queryQueue());
            if (config.cluster().gateway()) {
                // nobody in before the lookback is read: a client resuming here would find numbers
                // this gateway has not reached yet, and would be served the lookback as live
                started = TickwireServer.startHeld(config.server(), catalog, engine, auth, clock, history,
                        DefaultReferenceData.load(catalog), "catching up with the cluster topic");
                // while nobody is admitted yet: publishers are told where events go, not that they may not publish
                if (standby) {
                    started.turnAwayPublishers("this node is a standby for the cluster's ingest node: publish to the"
                            + " elected candidate (GET /health: failover.elected is true)", CloseCode.TRY_AGAIN_LATER);
                } else {
                    started.turnAwayPublishers("this node is a cluster gateway and takes no events: publish to the"
                            + " cluster's ingest node", CloseCode.POLICY_VIOLATION);
                }
                node.start(engine, started::admitConnections);
            } else {
                started = TickwireServer.start(config.server(), catalog, engine, auth, clock, history,
                        DefaultReferenceData.load(catalog));
                if (election != null) { // woken from a pause past the timeout, it is deposed before it knows
                    started.takePublishersOnlyWhile(election::sure, "this node is not sure it is still the cluster's"
                            + " ingest node (its election stalled): publish to another candidate, or here again shortly");
                }
                StandbyBars.handTo(engine, bars); // before the log asks for states: gateways must get these bars, whole
                node.start(engine, () -> { });
            }
            node.registerMeters(started.meters());
            if (!config.cluster().role().equals("standalone")) {
                started.addHealthSection("cluster", node::healthJson);
            }
        } catch (RuntimeException e) {
            closeAll(null, started, engine, node, store);
            throw e;
        }
        this.cluster = node;
        this.bus = engine;
        this.server = started;
        HistoryReplay replaying1 = null;
        SimulatorRunner simulating = null;
        AccountsReloader reloading = null;
        try {
            String credentials = config.auth().credentialsFile();
            reloading = new AccountsReloader(accounts, configFile,
                    credentials == null || credentials.isBlank() ? null : Path.of(credentials), env, config.auth().reloadInterval());
            if (replaying) {
                replaying1 = new HistoryReplay(store.queries(), replayed, replayPlan.from(), replayPlan.to(),
                        replayPlan.speed(), bus, clock);
                replaying1.start();
                LOG.info("replaying {} instrument(s) at {}", replayed.size(), replayPlan.speed());
            } else {
                simulating = simulator(config, simulation, clock);
            }
        } catch (RuntimeException e) {
            if (reloading != null) {
                reloading.close();
            }
            closeAll(replaying1 != null ? replaying1 : simulating, server, bus, cluster, store);
            throw e;
        }
        this.reloader = reloading;
        this.replay = replaying1;
        this.simulator = simulating;
    }

    /** The simulator the configuration asks for, started, or {@code null} (disabled, or on a gateway). */
    private SimulatorRunner simulator(TickwireConfig config, SimulationCatalog simulation, Clock clock) {
        TickwireConfig.SimulatorSettings s = config.simulator();
        if (!s.enabled()) {
            return null;
        }
        if (config.cluster().gateway()) {
            LOG.info("simulator: not run on a gateway (the ingest node runs the sources)");
            return null;
        }
        SimulatorConfig simConfig = SimulatorConfig.defaults().withSeed(s.seed())
                .withEventsPerSecond(s.eventsPerSecond()).withRespectMarketHours(s.respectMarketHours())
                .withBookEvents(true); // the engine keeps the books and derives quotes from them
        SimulatorRunner runner = new SimulatorRunner(new MarketSimulator(simulation, simConfig), bus, clock);
        runner.start();
        LOG.info("simulator: {} instruments, {} events/s, seed {}, market hours {}", catalog.size(),
                s.eventsPerSecond(), s.seed(), s.respectMarketHours() ? "respected" : "ignored");
        return runner;
    }

    /** Closes what a failed start had started, newest first; nulls are skipped. */
    private static void closeAll(AutoCloseable source, TickwireServer server, InProcessBus engine, ClusterNode node,
                                 QuestDbStore store) {
        for (AutoCloseable part : new AutoCloseable[] {source, server, engine, node, store}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception suppressed) {
                    LOG.warn("while stopping after a failed start: {}", suppressed.toString());
                }
            }
        }
    }

    /** Starts everything the configuration describes (master key from the process environment; no reloads of a config file). */
    public static TickwireApp start(TickwireConfig config, Clock clock) {
        return new TickwireApp(config, clock, System.getenv(), null, null);
    }

    /**
     * Starts everything the configuration describes, reloading accounts when {@code configFile}
     * (if not {@code null}) or the credentials file changes.
     *
     * @param env the environment: {@code TICKWIRE_MASTER_KEY}, and overrides for reloaded configurations
     */
    public static TickwireApp start(TickwireConfig config, Clock clock, Map<String, String> env, Path configFile) {
        return new TickwireApp(config, clock, env, configFile, null);
    }

    /**
     * Starts the elected ingest node of a cluster with failover ({@link FailoverNode}): as
     * {@link #start(TickwireConfig, Clock, Map, Path)}, its term claimed while {@code election}
     * still names this node, its engine taking over {@code bars} (the standby's) before any source
     * or the cluster's log sees it.
     */
    static TickwireApp startElected(TickwireConfig config, Clock clock, Map<String, String> env, Path configFile,
                                    IngestElection election, List<BarState> bars) {
        return new TickwireApp(config, clock, env, configFile, null, election, bars, false);
    }

    /**
     * Starts a standby of a cluster with failover ({@link FailoverNode}): as
     * {@link #start(TickwireConfig, Clock, Map, Path)} with {@code config} a gateway's, its
     * publishers told to publish to the elected candidate (close 1013: they may come back).
     */
    static TickwireApp startStandby(TickwireConfig config, Clock clock, Map<String, String> env, Path configFile) {
        return new TickwireApp(config, clock, env, configFile, null, null, List.of(), true);
    }

    /** The live accounts and credentials. */
    public AccountDirectory accounts() {
        return accounts;
    }

    /**
     * Reloads the accounts from the configuration file and the credentials file now.
     *
     * @throws RuntimeException if a file does not load; the accounts in force stay
     */
    public void reloadAccounts() {
        reloader.reloadNow();
    }

    /** Checks the files as the timer does: reloads if one changed; a file that does not load is logged. */
    public void reloadAccountsQuietly() {
        reloader.checkQuietlyNow();
    }

    /**
     * Starts a server whose feed is a replay of stored history (no simulator, nothing stored):
     * events keep their stored times and sequence numbers and are marked {@code "replayed":true}.
     */
    public static TickwireApp startReplay(TickwireConfig config, Clock clock, ReplayPlan plan) {
        return new TickwireApp(config, clock, System.getenv(), null, plan);
    }

    private List<Instrument> instruments(List<String> symbols) {
        if (symbols.isEmpty()) {
            return catalog.all();
        }
        List<Instrument> found = new ArrayList<>();
        for (String symbol : symbols) {
            Instrument instrument = catalog.find(symbol.trim());
            if (instrument == null) {
                throw new IllegalArgumentException("unknown symbol '" + symbol + "'");
            }
            found.add(instrument);
        }
        return found;
    }

    /** The history store, or {@code null} if disabled. */
    public QuestDbStore store() {
        return store;
    }

    /** The replay feeding the server, or {@code null} unless started with {@link #startReplay}. */
    public HistoryReplay replay() {
        return replay;
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

    /** The gateway's reader of the cluster topic, or {@code null} unless {@code cluster.role} is {@code gateway}. */
    public io.tickwire.kafka.ClusterFeed clusterFeed() {
        return cluster.feed();
    }

    /** The ingest node's log to the cluster topic, or {@code null} unless {@code cluster.role} is {@code ingest}. */
    public io.tickwire.kafka.EventLog clusterLog() {
        return cluster.log();
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
        stop(true, CloseCode.GOING_AWAY, "server shutting down");
    }

    /**
     * Stops for a change of role in the same process ({@link FailoverNode}): no drain, since the
     * role changes while nobody is the ingest node; clients are closed with 1001 and
     * {@code reason} and reconnect (the SDK does) and resume, here once the node serves again or
     * on another node.
     */
    synchronized void closeForRoleChange(String reason) {
        stop(false, CloseCode.GOING_AWAY, reason);
    }

    /**
     * Stops for good, its work done (a replay that finished): no drain, since there is nowhere to
     * move to, and the connections are closed with 1000 and {@code reason}, which clients (the SDK
     * among them) take as final rather than as a reason to reconnect.
     */
    public synchronized void finish(String reason) {
        stop(false, CloseCode.NORMAL, reason);
    }

    private void stop(boolean drain, CloseCode code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (drain) {
            server.drain(null); // clients are asked to move (and resume) while data still flows
        }
        reloader.close();
        if (replay != null) {
            replay.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        cluster.stopReading();
        server.close(code, reason);
        bus.close();
        cluster.close(); // after the engine: its last events are queued for Kafka by now
        if (store != null) {
            store.close();
        }
    }
}
