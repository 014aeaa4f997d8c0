package io.tickwire.cli.config;

import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.server.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, as read from YAML. Immutable.
 *
 * @param server    how the server listens and treats connections
 * @param engine    partitions and queues of the market-data engine
 * @param simulator the built-in market simulator
 * @param plans     named plans accounts refer to
 * @param accounts  who may connect, with hashed credentials
 * @param auth      authentication schemes, the credentials file, throttling and the OAuth2 provider
 * @param store     the history store
 * @param cluster   whether this server is one node of a cluster on Kafka, and which
 */
public record TickwireConfig(ServerConfig server, EngineSettings engine, SimulatorSettings simulator,
                             Map<String, PlanSettings> plans, List<AccountSettings> accounts, AuthSettings auth,
                             StoreConfig store, ClusterSettings cluster) {

    public TickwireConfig {
        plans = Map.copyOf(plans == null ? Map.of() : plans);
        accounts = List.copyOf(accounts == null ? List.of() : accounts);
        cluster = cluster == null ? ClusterSettings.STANDALONE : cluster;
        if (cluster.ingest() && !store.enabled()) {
            // the store is what continues the numbering across a restart: without it an ingest node
            // restarted would hand gateways (and their connected clients) numbers already used
            throw new IllegalArgumentException("cluster.role ingest needs store.enabled: true (the store continues"
                    + " the numbering across restarts, which every gateway relies on)");
        }
        if (cluster.failover() && !cluster.ingest()) {
            throw new IllegalArgumentException("cluster.failover needs cluster.role ingest (every candidate is an ingest"
                    + " node: one is elected, the others stand by as gateways with a store)");
        }
        if (cluster.gateway() && !server.publishers().isEmpty()) {
            throw new IllegalArgumentException("cluster.role gateway takes no publishers (server.publishers must be"
                    + " empty): publish to the ingest node");
        }
    }

    /** This configuration with another port (for {@code --port}). */
    public TickwireConfig withPort(int port) {
        return new TickwireConfig(server.withPort(port), engine, simulator, plans, accounts, auth, store, cluster);
    }

    /**
     * The configuration a candidate of a cluster with failover runs with while another is the
     * elected ingest node: a gateway keeping its store (a standby), with no publishers (they
     * publish to the elected node) and no failover of its own (the candidate's node runs the election).
     */
    public TickwireConfig asStandby() {
        return new TickwireConfig(server.toBuilder().publishers(List.of()).build(), engine, simulator, plans, accounts,
                auth, store, cluster.withRole("gateway"));
    }

    /** This configuration with another credentials file (resolved by the loader against the config's folder). */
    public TickwireConfig withCredentialsFile(String file) {
        return new TickwireConfig(server, engine, simulator, plans, accounts, auth.withCredentialsFile(file), store, cluster);
    }

    /**
     * How clients authenticate. Every duration is positive.
     *
     * @param schemes                 schemes offered: {@code token}, {@code hmac}, {@code jwt}, {@code session}
     * @param credentialsFile         the credentials file managed by {@code tickwire keys} and the server; empty for none
     * @param reloadInterval          how often the configuration and the credentials file are checked for changes
     * @param hmacWindow              how far an HMAC login's timestamp may be from the server's clock
     * @param jwtMaxLifetime          the longest JWT lifetime accepted
     * @param jwtLeeway               clock skew tolerated on JWT times
     * @param expiryWarning           how long before a credential expires the session is warned
     * @param twoFactorDeadline       how long a session may wait for its second factor
     * @param twoFactorResumeLifetime how long a verified second factor can be resumed
     * @param maxFailures             failed attempts within {@code failureWindow} that ban an address or key
     * @param failureWindow           the window of {@code maxFailures}
     * @param banDuration             how long a ban lasts
     * @param sessionHeader           the handshake header carrying an OAuth2 session token
     * @param oauth2                  the OpenID Connect provider for the session exchange
     */
    public record AuthSettings(List<String> schemes, String credentialsFile, Duration reloadInterval, Duration hmacWindow,
                               Duration jwtMaxLifetime, Duration jwtLeeway, Duration expiryWarning,
                               Duration twoFactorDeadline, Duration twoFactorResumeLifetime, int maxFailures,
                               Duration failureWindow, Duration banDuration, String sessionHeader, OAuth2Settings oauth2) {
        public AuthSettings {
            schemes = List.copyOf(schemes == null ? List.of() : schemes);
            for (Duration d : new Duration[] {reloadInterval, hmacWindow, jwtMaxLifetime, jwtLeeway, expiryWarning,
                    twoFactorDeadline, twoFactorResumeLifetime, failureWindow, banDuration}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("auth durations must be positive");
                }
            }
            if (maxFailures < 1) {
                throw new IllegalArgumentException("auth.maxFailures must be >= 1, was " + maxFailures);
            }
        }

        AuthSettings withCredentialsFile(String file) {
            return new AuthSettings(schemes, file, reloadInterval, hmacWindow, jwtMaxLifetime, jwtLeeway, expiryWarning,
                    twoFactorDeadline, twoFactorResumeLifetime, maxFailures, failureWindow, banDuration, sessionHeader, oauth2);
        }
    }

    /**
     * The OpenID Connect provider whose access tokens are exchanged for session tokens (seed 003).
     *
     * @param issuer          the provider's issuer URL; empty disables the exchange
     * @param audience        the audience access tokens must carry
     * @param jwksUri         the provider's key set; empty to discover it from the issuer
     * @param subjectClaim    the claim naming the client, mapped to an account by its {@code oauthSubjects}
     * @param exchangePath    the HTTP path of the exchange ({@code POST})
     * @param sessionLifetime how long a session token is valid
     */
    public record OAuth2Settings(String issuer, String audience, String jwksUri, String subjectClaim, String exchangePath,
                                 Duration sessionLifetime) {
    }

    /** This configuration with another history data directory (for {@code --data}). */
    public TickwireConfig withDataDir(String dataDir) {
        return new TickwireConfig(server, engine, simulator, plans, accounts, auth, new StoreConfig(store.enabled(), dataDir,
                store.queueCapacity(), store.commitInterval(), store.commitMode(), store.retryInterval(),
                store.queryThreads(), store.queryQueue()), cluster);
    }

    /**
     * The history store: every trade, quote and closed bar in an embedded QuestDB.
     *
     * @param enabled        whether to store history (and answer history requests)
     * @param dataDir        the data directory; relative paths are taken from the working directory
     * @param queueCapacity  records the writer's queue holds; beyond it records are dropped, counted and recorded as gaps
     * @param commitInterval how often rows are committed: at most this much is lost to a kill -9
     * @param commitMode     {@code nosync}, {@code async} or {@code sync}: what a commit waits for
     * @param retryInterval  after a failed write (disk full), how long before trying again
     * @param queryThreads   threads answering history requests
     * @param queryQueue     history requests that may wait for a thread before {@code server_busy}
     */
    public record StoreConfig(boolean enabled, String dataDir, int queueCapacity, Duration commitInterval,
                              String commitMode, Duration retryInterval, int queryThreads, int queryQueue) {
        public StoreConfig {
            if (dataDir == null || dataDir.isBlank()) {
                throw new IllegalArgumentException("store.dataDir must not be empty");
            }
            if (io.tickwire.store.StoreSettings.CommitMode.fromName(commitMode) == null) {
                throw new IllegalArgumentException("store.commitMode must be nosync, async or sync, was " + commitMode);
            }
            if (queryThreads < 1 || queryThreads > 64) {
                throw new IllegalArgumentException("store.queryThreads must be 1..64, was " + queryThreads);
            }
            if (queryQueue < 1) {
                throw new IllegalArgumentException("store.queryQueue must be >= 1, was " + queryQueue);
            }
            // the rest is checked by the store's own settings
            settings(java.nio.file.Path.of("."), queueCapacity, commitInterval, commitMode, retryInterval);
        }

        /** The store's settings with the data directory resolved against {@code base} when relative. */
        public io.tickwire.store.StoreSettings toSettings(java.nio.file.Path base) {
            java.nio.file.Path dir = java.nio.file.Path.of(dataDir);
            return settings(dir.isAbsolute() ? dir : base.resolve(dir), queueCapacity, commitInterval, commitMode,
                    retryInterval);
        }

        private static io.tickwire.store.StoreSettings settings(java.nio.file.Path dir, int queueCapacity,
                                                                 Duration commitInterval, String commitMode,
                                                                 Duration retryInterval) {
            return new io.tickwire.store.StoreSettings(dir, queueCapacity, commitInterval,
                    io.tickwire.store.StoreSettings.CommitMode.fromName(commitMode), retryInterval);
        }
    }

    /**
     * @param partitions    engine partition threads (instruments are spread over them)
     * @param staleAfter    silence after which an instrument's subscribers are told its source is stale
     * @param queueCapacity events each partition queue holds before sources feel back-pressure
     */
    public record EngineSettings(int partitions, int queueCapacity, Duration staleAfter) {
        public EngineSettings {
            if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
                throw new IllegalArgumentException("engine.staleAfter must be positive, was " + staleAfter);
            }
            if (partitions < 1 || partitions > 64) {
                throw new IllegalArgumentException("engine.partitions must be 1..64, was " + partitions);
            }
            if (queueCapacity < 1_024) {
                throw new IllegalArgumentException("engine.queueCapacity must be >= 1024, was " + queueCapacity);
            }
        }
    }

    /**
     * @param enabled            whether the simulator feeds the server
     * @param seed               the simulator's random seed: the same seed gives the same market
     * @param eventsPerSecond    total events per second over all instruments
     * @param respectMarketHours whether equities and FX trade only in their sessions
     */
    public record SimulatorSettings(boolean enabled, long seed, double eventsPerSecond, boolean respectMarketHours) {
        public SimulatorSettings {
            if (eventsPerSecond < 0 || eventsPerSecond > 10_000_000) {
                throw new IllegalArgumentException("simulator.eventsPerSecond must be 0..10000000, was " + eventsPerSecond);
            }
        }
    }

    /**
     * A plan as configured.
     *
     * @param onConnectionLimit {@code reject-new} or {@code replace-oldest}
     * @param channels          channel names, e.g. {@code [quote, trade]}
     */
    public record PlanSettings(int maxConnections, String onConnectionLimit, int maxSymbols, List<String> channels,
                               int requestsPerSecond, int requestBurst, List<String> instrumentSets, String slowConsumer) {
    }

    /**
     * An account as configured.
     *
     * @param tokens        SHA-256 hashes of its API tokens ({@code sha256:…}); never tokens in clear
     * @param hmac          HMAC keys with secrets encrypted by the master key
     * @param jwt           JWT public keys (PEM) by key name
     * @param totp          an encrypted TOTP seed: the account then needs a second factor
     * @param oauthSubjects OAuth2 clients (the provider's subject claim) that map to this account
     */
    public record AccountSettings(String name, String plan, List<String> tokens, List<StoredCredentials.StoredHmacKey> hmac,
                                  List<StoredCredentials.StoredJwtKey> jwt, StoredCredentials.StoredTotp totp,
                                  List<String> oauthSubjects) {
        public AccountSettings {
            tokens = List.copyOf(tokens == null ? List.of() : tokens);
            hmac = List.copyOf(hmac == null ? List.of() : hmac);
            jwt = List.copyOf(jwt == null ? List.of() : jwt);
            oauthSubjects = List.copyOf(oauthSubjects == null ? List.of() : oauthSubjects);
        }

        /** An account with API tokens only. */
        public AccountSettings(String name, String plan, List<String> tokens) {
            this(name, plan, tokens, null, null, null, null);
        }

        @Override
        public String toString() {
            return "AccountSettings[name=" + name + ", plan=" + plan + ", tokens=" + tokens.size() + "]";
        }
    }

    /**
     * This server's part in a cluster on Kafka (see docs/architecture.md, "Cluster").
     *
     * @param role              {@code standalone} (no cluster), {@code ingest} (runs the sources, numbers every event and
     *                          appends it to the topic) or {@code gateway} (reads the topic and serves clients)
     * @param bootstrapServers  Kafka's {@code host:port[,host:port…]}; required unless standalone
     * @param topic             the topic carrying the events
     * @param partitions        partitions of the topic when the ingest node creates it
     * @param replicationFactor replicas per partition when the ingest node creates it
     * @param retention         how long the topic keeps records when the ingest node creates it
     * @param lookback          how far back a starting gateway reads
     * @param queueCapacity     events the ingest node holds for Kafka before dropping (and counting) them
     * @param clientProperties  more Kafka client settings (security, tuning) for every client
     * @param failover          on an ingest node: one of several candidates, elected through Kafka; the others stand by
     *                          as gateways with a store and one takes over when the elected node is lost
     * @param failoverTimeout   how long the elected node may be silent (dead, cut off, stuck) before another takes
     *                          over: the election group's session timeout, 6 s to 5 min
     */
    public record ClusterSettings(String role, String bootstrapServers, String topic, int partitions,
                                  int replicationFactor, Duration retention, Duration lookback, int queueCapacity,
                                  Map<String, String> clientProperties, boolean failover, Duration failoverTimeout) {

        /** The shortest and longest failover timeouts: Kafka's default bounds on a group's session timeout. */
        static final Duration MIN_FAILOVER_TIMEOUT = Duration.ofSeconds(6);
        static final Duration MAX_FAILOVER_TIMEOUT = Duration.ofMinutes(5);

        /** No cluster: the built-in defaults' values. */
        public static final ClusterSettings STANDALONE = new ClusterSettings("standalone", "", "tickwire.events", 8, 1,
                Duration.ofHours(1), Duration.ofSeconds(60), 1 << 20, Map.of(), false, Duration.ofSeconds(10));

        public ClusterSettings {
            if (!List.of("standalone", "ingest", "gateway").contains(role)) {
                throw new IllegalArgumentException("cluster.role must be standalone, ingest or gateway, was " + role);
            }
            if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException("cluster.replicationFactor must be >= 1, was " + replicationFactor);
            }
            if (failoverTimeout == null || failoverTimeout.compareTo(MIN_FAILOVER_TIMEOUT) < 0
                    || failoverTimeout.compareTo(MAX_FAILOVER_TIMEOUT) > 0) {
                throw new IllegalArgumentException("cluster.failoverTimeout must be 6s..5m (Kafka's default bounds on a"
                        + " group's session timeout), was " + failoverTimeout);
            }
            if (!role.equals("standalone")) {
                kafka(bootstrapServers, topic, partitions, replicationFactor, retention, lookback, queueCapacity,
                        clientProperties);
            }
        }

        /** These settings with another role. */
        public ClusterSettings withRole(String newRole) {
            return new ClusterSettings(newRole, bootstrapServers, topic, partitions, replicationFactor, retention, lookback,
                    queueCapacity, clientProperties, failover && newRole.equals("ingest"), failoverTimeout);
        }

        /** Whether this node runs the sources and appends to the topic. */
        public boolean ingest() {
            return role.equals("ingest");
        }

        /** Whether this node serves what it reads from the topic. */
        public boolean gateway() {
            return role.equals("gateway");
        }

        /** The settings of the Kafka bus. */
        public io.tickwire.kafka.KafkaSettings kafka() {
            return kafka(bootstrapServers, topic, partitions, replicationFactor, retention, lookback, queueCapacity,
                    clientProperties);
        }

        private static io.tickwire.kafka.KafkaSettings kafka(String bootstrapServers, String topic, int partitions,
                                                            int replicationFactor, Duration retention, Duration lookback,
                                                            int queueCapacity, Map<String, String> clientProperties) {
            return new io.tickwire.kafka.KafkaSettings(bootstrapServers == null ? "" : bootstrapServers, topic,
                    partitions, (short) replicationFactor, retention, lookback, queueCapacity, clientProperties);
        }
    }
}
