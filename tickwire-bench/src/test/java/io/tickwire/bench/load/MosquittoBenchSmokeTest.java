package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.model.Instrument;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code smoke} preset against a real Mosquitto: the installed {@code /usr/sbin/mosquitto}
 * with the repository's {@code bench/peers/mosquitto/mosquitto.conf}, its two listeners moved to
 * free loopback ports. Like {@link BenchSmokeTest} it asserts correctness only — every trade reaches
 * every subscriber, in order, through MQTT over WebSocket — and prints the figures. Skipped where
 * Mosquitto is not installed ({@code bench/peers/mosquitto/install.sh}; {@code .ci/run} installs it).
 */
class MosquittoBenchSmokeTest {

    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    Path dir;
    private Process broker;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MOSQUITTO),
                "skipped: /usr/sbin/mosquitto is not installed (bench/peers/mosquitto/install.sh installs it)");
        port = freePort();
        int plainPort = freePort();
        String conf = Files.readString(repoConfig());
        String moved = conf.replace("listener 8092 127.0.0.1", "listener " + port + " 127.0.0.1")
                .replace("listener 8093 127.0.0.1", "listener " + plainPort + " 127.0.0.1");
        assertThat(moved).as("the repository's config has its two listeners where this test expects them")
                .contains("listener " + port + " 127.0.0.1").contains("listener " + plainPort + " 127.0.0.1");
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, moved);
        Path log = dir.resolve("mosquitto.log");
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Awaitility.await("mosquitto listening on 127.0.0.1:" + port).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!broker.isAlive()) {
                        throw new IllegalStateException("mosquitto exited: " + Files.readString(log));
                    }
                    return accepts(port);
                });
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyTradeReachesEverySubscriberInOrder() throws Exception {
        List<String> symbols = DefaultCatalog.load().instruments().all().stream().map(Instrument::symbol).toList();
        RunSettings smoke = Preset.SMOKE.settings(symbols, 1, 1, broker.pid());
        Adapter adapter = new Target("mosquitto", "127.0.0.1", port, broker.pid()).adapter("unused", "unused");
        assertThat(adapter).isInstanceOf(MqttAdapter.class);

        RunResult result = LoadRun.run(adapter, smoke, "smoke", false);
        ResultTable.print(List.of(result), System.out);

        assertThat(result.published()).isGreaterThan(0);
        assertThat(result.received()).as("every subscriber gets every trade of its symbols")
                .isEqualTo(result.published() * smoke.connections() * smoke.symbolsPerConnection()
                        / smoke.symbols().size());
        assertThat(result.lost()).isZero();
        assertThat(result.outOfOrder()).isZero();
    }

    /** bench/peers/mosquitto/mosquitto.conf, found from the module's directory (where Maven runs tests) upwards. */
    private static Path repoConfig() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path conf = d.resolve("bench/peers/mosquitto/mosquitto.conf");
            if (Files.isRegularFile(conf)) {
                return conf;
            }
        }
        throw new IllegalStateException("bench/peers/mosquitto/mosquitto.conf not found above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
