package io.tickwire.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tickwire kafka}: a one-node Kafka broker on 127.0.0.1, to try a cluster on one machine
 * (the README's tour). Not for production: one node, no replication, no security.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {"Start a one-node Kafka broker on 127.0.0.1 to try a Tickwire cluster on one machine.",
                "Not for production (one node, no replication, no security): point cluster.bootstrapServers at your"
                        + " own Kafka there. Keeps its log in --data; stop with Ctrl+C. Then, in other terminals:",
                "  ./tickwire serve --config config/cluster-ingest.yaml",
                "  ./tickwire serve --config config/cluster-gateway.yaml --port 8081"})
final class KafkaCommand implements Callable<Integer> {

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port for Kafka clients (default 9092).")
    int port = 9092;

    @Option(names = "--controller-port", paramLabel = "PORT", description = "Port of the KRaft controller (default 9093).")
    int controllerPort = 9093;

    @Option(names = "--data", paramLabel = "DIR", description = "The broker's log directory (default: ./kafka-data).")
    Path data = Path.of("kafka-data");

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        KafkaRaftServer server = start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            stopped.countDown();
        }, "tickwire-kafka-stop"));
        System.out.println();
        System.out.println("  Kafka is running for a Tickwire cluster: cluster.bootstrapServers 127.0.0.1:" + port);
        System.out.println("    Log        " + data.toAbsolutePath());
        System.out.println("    One node, no replication, no security: for trying, not for production.");
        System.out.println("  Stop with Ctrl+C.");
        System.out.println();
        stopped.await();
        return 0;
    }

    /** Formats the log directory unless it holds a broker's log already, and starts the broker on it. */
    KafkaRaftServer start() throws Exception {
        Files.createDirectories(data);
        Properties props = properties();
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(props);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return server;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", data.toAbsolutePath().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private void format(Properties props) throws Exception {
        Path config = Files.createTempFile("tickwire-kafka", ".properties");
        try {
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "tickwire kafka");
            }
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                    "--standalone"}, new PrintStream(said, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("formatting " + data + " failed: " + said.toString(StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(config);
        }
    }
}
