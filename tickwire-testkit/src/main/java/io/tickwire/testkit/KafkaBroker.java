package io.tickwire.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (single-node KRaft: broker and controller in one) inside the test JVM, on
 * 127.0.0.1 and free ports, with its log in a temporary folder. {@link #stop()} and
 * {@link #start()} stop and start it again on the same ports and log, for tests of an outage.
 *
 * <p>A second listener is reached only through a {@link TcpProxy} ({@link #proxiedBootstrapServers()}):
 * clients that bootstrap there are told to connect through the proxy too, so {@link #proxy()}'s
 * {@code freeze()} leaves them connected to a broker that answers nothing, without the metadata
 * they lose when a broker stops.
 *
 * <p>Modules using it declare {@code org.apache.kafka:kafka_2.13}, {@code kafka-server} and
 * {@code kafka-server-common} in test scope. Not thread-safe: one test drives it.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final int proxiedPort;
    private final TcpProxy proxy;
    private KafkaRaftServer server;

    private KafkaBroker(Path dir, int port, int controllerPort, int proxiedPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.proxiedPort = proxiedPort;
        this.proxy = TcpProxy.start("127.0.0.1", proxiedPort);
    }

    /** Formats a new log and starts a broker on it. */
    public static KafkaBroker start(Path parent) {
        try {
            Path dir = Files.createTempDirectory(parent, "kafka");
            KafkaBroker broker = new KafkaBroker(dir, Ports.free(), Ports.free(), Ports.free());
            broker.format();
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:port} of the proxy in front of the second listener, for {@code bootstrap.servers}. */
    public String proxiedBootstrapServers() {
        return "127.0.0.1:" + proxy.port();
    }

    /** The proxy every client of {@link #proxiedBootstrapServers()} goes through. */
    public TcpProxy proxy() {
        return proxy;
    }

    /** Starts the broker (again) on its ports and log. */
    public void start() {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(properties(), false), Time.SYSTEM);
        started.startup();
        server = started;
    }

    /** Stops the broker, keeping its log; clients see it gone. */
    public void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private void format() throws IOException {
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            properties().store(out, "tickwire test broker");
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--standalone"}, new PrintStream(said, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format failed (" + rc + "): " + said.toString(StandardCharsets.UTF_8));
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                + ",PROXIED://127.0.0.1:" + proxiedPort);
        // a client is told the addresses of the listener it asked through: the proxy's, for PROXIED
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                + ",PROXIED://127.0.0.1:" + proxy.port());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT");
        p.put("log.dirs", dir.resolve("log").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true"); // Kafka's default: no client of ours may rely on it being off
        return p;
    }

    /** Stops the broker and deletes its log. */
    @Override
    public void close() {
        stop();
        proxy.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
