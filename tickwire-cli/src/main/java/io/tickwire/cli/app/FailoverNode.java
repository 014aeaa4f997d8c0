package io.tickwire.cli.app;

import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.engine.bar.BarState;
import io.tickwire.kafka.ClusterFeed;
import io.tickwire.kafka.IngestElection;
import io.tickwire.model.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One candidate of a cluster with automatic failover ({@code cluster.failover: true}): runs as a
 * standby (a gateway keeping its store, serving clients) while another candidate is the elected
 * ingest node, and as the ingest node while elected ({@link IngestElection}).
 *
 * <p>Elected, it first lets its store take what the topic holds (up to the failover timeout),
 * then stops the standby and starts the ingest node on the same store and port: that node claims
 * the next term, which fences whatever the node before it may still append, and numbers on past
 * both its store's and the topic's numbers. Deposed (it lost its session, or stalled), it stops
 * the ingest node and stands by again. Each change closes this node's clients with 1001 and the
 * reason; they reconnect and resume.
 *
 * <p>Role changes run on one thread ({@value #THREAD_NAME}), in the order the election reported
 * them, and never while {@link #close} runs. Thread-safe.
 */
public final class FailoverNode implements AutoCloseable {

    /** The thread that changes the node's role. */
    public static final String THREAD_NAME = "tickwire-failover";

    private static final Logger LOG = LoggerFactory.getLogger(FailoverNode.class);
    private static final int DEPOSED = -1;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final TickwireConfig ingest;
    private final TickwireConfig standby;
    private final Clock clock;
    private final Map<String, String> env;
    private final Path configFile;
    private final LinkedBlockingQueue<Integer> reports = new LinkedBlockingQueue<>(); // generations, or DEPOSED
    private final Thread thread;
    private final Object roleLock = new Object();
    private volatile TickwireApp current;
    private volatile boolean leading;
    private volatile boolean closed;
    /** Set by {@link #close} before it waits for the role lock: a promotion under way gives up. */
    private volatile boolean closing;
    private volatile long promotions;
    private volatile long demotions;
    private IngestElection election; // under roleLock

    private FailoverNode(TickwireConfig config, Clock clock, Map<String, String> env, Path configFile) {
        this.clock = clock;
        this.env = env;
        this.configFile = configFile;
        TickwireApp first = TickwireApp.startStandby(config.asStandby(), clock, env, configFile);
        int port = first.server().port(); // every role serves on the port the first one bound
        this.ingest = config.withPort(port);
        this.standby = config.asStandby().withPort(port);
        serving(first);
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
        this.thread.start();
        synchronized (roleLock) {
            this.election = campaign();
        }
    }

    /**
     * Starts a candidate: the standby at once, then the campaign.
     *
     * @param config a configuration with {@code cluster.role: ingest} and {@code cluster.failover: true}
     */
    public static FailoverNode start(TickwireConfig config, Clock clock, Map<String, String> env, Path configFile) {
        if (!config.cluster().failover()) {
            throw new IllegalArgumentException("a failover node needs cluster.failover: true");
        }
        return new FailoverNode(config, clock, env, configFile);
    }

    private IngestElection campaign() {
        return new IngestElection(ingest.cluster().kafka(), ingest.cluster().failoverTimeout(),
                new IngestElection.Listener() {
                    @Override
                    public void elected(int generation) {
                        reports.add(generation);
                    }

                    @Override
                    public void deposed() {
                        reports.add(DEPOSED);
                    }
                });
    }

    private void run() {
        while (!closed) {
            int report;
            try {
                report = reports.take();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (roleLock) {
                if (closed) {
                    return;
                }
                try {
                    if (report != DEPOSED && !leading && election.elected()) { // not if deposed since
                        promote(report);
                    } else if (report == DEPOSED && leading) {
                        demote();
                    }
                } catch (RuntimeException e) {
                    recover(e);
                }
            }
        }
    }

    /**
     * A role change failed (a port still bound, a store that would not open): leave the office
     * to the others, and stand by again, retrying every few seconds until that works, then campaign
     * again. Under the role lock.
     */
    private void recover(RuntimeException cause) {
        LOG.error("cluster: a role change failed; leaving the election to the other candidates and standing by", cause);
        election.close();
        leading = false;
        TickwireApp was = current;
        if (was != null) {
            try {
                was.closeForRoleChange("this node changes role: reconnect and resume");
            } catch (RuntimeException e) {
                LOG.warn("while stopping after a failed role change: {}", e.toString());
            }
        }
        current = null;
        while (!closing) {
            try {
                serving(TickwireApp.startStandby(standby, clock, env, configFile));
                election = campaign();
                return;
            } catch (RuntimeException e) {
                LOG.error("cluster: cannot stand by ({}); retrying in 5 s", e.toString());
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    /** Stands the standby down and starts the ingest node, once the standby's store has what the topic held. */
    private void promote(int generation) {
        TickwireApp was = current;
        awaitStored(was);
        if (closing || !election.elected()) {
            return; // stopping, or deposed while waiting: stay the standby
        }
        LOG.info("cluster: elected (generation {}): the standby hands over to the ingest node", generation);
        List<BarState> bars = StandbyBars.read(was.bus(), was.catalog().size());
        was.closeForRoleChange("this node becomes the cluster's ingest node: reconnect and resume");
        current = null;
        serving(TickwireApp.startElected(ingest, clock, env, configFile, election, bars)); // a failure: recover()
        leading = true;
        promotions++;
    }

    private void demote() {
        LOG.warn("cluster: deposed: the ingest node stops and this node stands by");
        current.closeForRoleChange("this node stops being the cluster's ingest node: reconnect and resume");
        current = null;
        leading = false;
        demotions++;
        serving(TickwireApp.startStandby(standby, clock, env, configFile)); // a failure: recover()
    }

    /**
     * Waits (up to the failover timeout) until the standby has read the topic to its end and its
     * engine applied it all, so its store, closed next, holds it. A deposed node still appending
     * keeps the end moving: then the wait ends at the timeout, and the new ingest node's numbers
     * still go on past the topic's.
     */
    private void awaitStored(TickwireApp app) {
        ClusterFeed feed = app.clusterFeed();
        long deadline = System.nanoTime() + ingest.cluster().failoverTimeout().toNanos();
        while (System.nanoTime() - deadline < 0 && !closing) {
            if (feed.waitingForTopic()) {
                return; // no topic yet: nothing to store (the elected node creates it)
            }
            if (feed.caughtUp() && feed.lag() == 0 && ClusterNode.applied(app.bus(), feed.offered())) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        LOG.warn("cluster: the standby had not read the topic to its end within {}: promoting anyway (numbers go on"
                + " past the topic's; its store lacks what it did not read)", ingest.cluster().failoverTimeout());
    }

    private void serving(TickwireApp app) {
        app.server().addHealthSection("failover", this::healthJson);
        current = app;
    }

    private String healthJson() {
        return "{\"elected\":" + leading + ",\"promotions\":" + promotions + ",\"demotions\":" + demotions + '}';
    }

    /** The node's current role's application: the standby, or the elected ingest node. */
    public TickwireApp current() {
        return current;
    }

    /** Whether this node is the elected ingest node now. */
    public boolean leading() {
        return leading;
    }

    /** The native WebSocket URL: the same port in either role. */
    public String nativeUrl() {
        return current.nativeUrl();
    }

    /**
     * Stops the current role (an ingest node sends what it holds to Kafka first), then leaves the
     * election, so another candidate is elected at once rather than after the failover timeout.
     */
    @Override
    public void close() {
        closing = true;
        synchronized (roleLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (current != null) {
                    current.close();
                }
            } finally {
                election.close();
            }
        }
        thread.interrupt();
    }
}
