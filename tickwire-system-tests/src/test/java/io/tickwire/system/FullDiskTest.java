package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the built server runs in its own mount namespace ({@code unshare --user
 * --map-root-user --mount}, no privileges needed where user namespaces are allowed) with its data
 * directory on a 64 MB tmpfs. The test fills the tmpfs with a ballast file; the server keeps
 * streaming, reports the store as failed in {@code /health}, counts what it cannot store and
 * records it as a gap; when the ballast is deleted it writes again, and what it had stored is
 * intact.
 *
 * <p>The ballast is made and removed by a helper loop inside the namespace (only processes in it
 * see the tmpfs), driven by marker files in a directory both sides see.
 */
class FullDiskTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Mounts the tmpfs, starts the ballast helper, then becomes the server. $1 mount point, $2 control dir. */
    private static final String SCRIPT = """
            set -e
            mount -t tmpfs -o size=256m tmpfs "$1"
            mnt="$1"; ctl="$2"; shift 2
            server=$$
            ( while kill -0 "$server" 2>/dev/null; do
                if [ -f "$ctl/fill" ] && [ ! -f "$ctl/filled" ]; then
                  dd if=/dev/zero of="$mnt/ballast" bs=1M 2>/dev/null || true
                  touch "$ctl/filled"
                fi
                if [ -f "$ctl/free" ] && [ ! -f "$ctl/freed" ]; then
                  rm -f "$mnt/ballast"
                  touch "$ctl/freed"
                fi
                sleep 0.1
              done ) &
            exec "$@"
            """;

    @TempDir
    Path dir;

    @Test
    void aFullDiskFailsTheStoreButNotTheStreamAndTheStoreRecoversWhenSpaceReturns() throws Exception {
        Assumptions.assumeTrue(userNamespacesWork(), "needs unshare --user --map-root-user --mount (Linux user namespaces)");
        Path mount = Files.createDirectories(dir.resolve("mnt"));
        Path control = Files.createDirectories(dir.resolve("control"));
        Path config = StoredServer.config(dir, "disk", 20_000, ", queueCapacity: 8192, retryInterval: 500ms");
        List<String> command = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--mount", "bash", "-c",
                SCRIPT, "full-disk", mount.toString(), control.toString()));
        command.addAll(Distribution.javaCommand("serve", "--config", config.toString(), "--data",
                mount.resolve("data").toString()));
        try (Distribution server = Distribution.run(command)) {
            int port = StoredServer.awaitPort(server);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> StoredServer.health(port).path("store").path("committed").asLong() >= 5_000);
            long storedBefore = btcTrades(port);
            assertThat(storedBefore).isPositive();

            try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/v1/ws"),
                    Map.of("Authorization", "Bearer " + StoredServer.TOKEN))) {
                client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"]}");

                Files.createFile(control.resolve("fill"));
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(control.resolve("filled")));
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> StoredServer.health(port).path("store").path("status").asText().equals("failed"));
                JsonNode failed = StoredServer.health(port);
                assertThat(failed.path("status").asText()).isEqualTo("degraded");
                assertThat(failed.path("store").path("lastError").asText()).isNotBlank();
                long committedWhileFull = failed.path("store").path("committed").asLong();

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> StoredServer.health(port).path("store").path("dropped").asLong() > 0);
                // the live stream goes on while the disk is full: past everything received so far
                // (the store has been dropping records by now), another trade arrives
                while (client.pollText(Duration.ZERO) != null) {
                    // received before the store dropped anything
                }
                JsonNode trade;
                do {
                    String text = client.pollText(Duration.ofSeconds(10));
                    assertThat(text).as("a live message while the store is failed").isNotNull();
                    trade = JSON.readTree(text);
                } while (!trade.path("type").asText().equals("trade"));
                assertThat(StoredServer.health(port).path("store").path("committed").asLong()).isEqualTo(committedWhileFull);

                Files.createFile(control.resolve("free"));
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(control.resolve("freed")));
                try {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                            .until(() -> StoredServer.health(port).path("store").path("status").asText().equals("ok")
                                    && StoredServer.health(port).path("store").path("committed").asLong() > committedWhileFull);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    List<String> lines = server.lines();
                    throw new AssertionError("the store did not recover; health " + StoredServer.health(port)
                            + "; the server's last lines:\n" + String.join("\n",
                            lines.subList(Math.max(0, lines.size() - 40), lines.size())), e);
                }
                assertThat(StoredServer.health(port).path("status").asText()).isEqualTo("ok");
                server.awaitLine(l -> l.contains("were not stored (write_failed); recorded in table gaps"),
                        Duration.ofSeconds(30));
                assertThat(btcTrades(port)).as("what was stored before the disk filled is still there")
                        .isGreaterThanOrEqualTo(storedBefore);
                JsonNode first = StoredServer.get(port, "/v1/history/trades?symbol=BTCUSDT&from=0&limit=5");
                assertThat(first.path("trades").findValuesAsText("seq")).containsExactly("1", "2", "3", "4", "5");
            }
        }
    }

    private static long btcTrades(int port) throws Exception {
        return StoredServer.get(port, "/v1/instruments").path("instruments").get(0).path("trades").path("count").asLong();
    }

    private static boolean userNamespacesWork() throws Exception {
        Process probe = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "true")
                .redirectErrorStream(true).start();
        return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }
}
