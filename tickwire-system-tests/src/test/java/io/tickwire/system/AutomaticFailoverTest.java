package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.testkit.RawWebSocketClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic failover on the built distribution, each part its own process: {@code tickwire kafka},
 * two candidates with {@code cluster.failover: true} (one elected ingest node fed by the
 * simulator, one standby), and a gateway whose client stays connected while the elected node is
 * killed with SIGKILL: the standby is elected after the failover timeout and numbers on.
 */
class AutomaticFailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void whenTheElectedIngestNodeIsKilledTheStandbyTakesOverAndTheGatewaysClientGetsTheNextNumbers() throws Exception {
        int kafkaPort = TradeStream.freePort();
        try (Distribution kafka = Distribution.start("kafka", "--port", Integer.toString(kafkaPort), "--controller-port",
                Integer.toString(TradeStream.freePort()), "--data", dir.resolve("kafka").toString())) {
            kafka.awaitLine(l -> l.contains("Kafka is running"), Duration.ofSeconds(90));
            Distribution first = Distribution.start("serve", "--config", config("first", kafkaPort).toString());
            int firstPort = StoredServer.awaitPort(first);
            // the port closes for a moment as the node changes from standby to ingest node
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> health(firstPort).path("failover").path("elected").asBoolean());
            try (Distribution second = Distribution.start("serve", "--config", config("second", kafkaPort).toString());
                 Distribution gateway = Distribution.start("serve", "--config", config("gateway", kafkaPort).toString())) {
                int secondPort = StoredServer.awaitPort(second);
                int port = StoredServer.awaitPort(gateway);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> health(port).path("status").asText().equals("ok")); // caught up: admitting clients
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> health(secondPort).path("status").asText().equals("ok"));
                JsonNode standby = health(secondPort);
                assertThat(standby.path("failover").path("elected").asBoolean()).isFalse();
                assertThat(standby.path("cluster").path("role").asText()).isEqualTo("gateway");
                assertThat(standby.path("store").isMissingNode()).as("a standby keeps its store").isFalse();
                try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/v1/ws"),
                        Map.of("Authorization", "Bearer " + StoredServer.TOKEN))) {
                    client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"]}");
                    long last = TradeStream.next(client, 0).path("seq").asLong();
                    for (int i = 0; i < 20; i++) {
                        last = TradeStream.nextConsecutive(client, last, "no gap, across the failover too");
                    }
                    first.kill9(); // no goodbye to the election: its session runs out after the failover timeout
                    // every trade the killed node got to Kafka reaches the client, then the new node's, numbered on
                    for (int i = 0; i < 40; i++) {
                        last = TradeStream.nextConsecutive(client, last, "no gap, across the failover too");
                    }
                    assertThat(client.isOpen()).as("the gateway's client stayed connected").isTrue();
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> health(secondPort).path("failover").path("elected").asBoolean());
                JsonNode promoted = health(secondPort);
                assertThat(promoted.path("cluster").path("role").asText()).isEqualTo("ingest");
                assertThat(promoted.path("cluster").path("term").asLong()).as("the first node's term was 1").isEqualTo(2);
                assertThat(health(port).path("cluster").path("term").asLong()).isEqualTo(2);
                assertThat(metric(port, "tickwire_cluster_numbering_restarts")).isZero();

                // the killed node, started again, stands by: the office stays where it is
                first.close();
                first = Distribution.start("serve", "--config", config("first", kafkaPort).toString());
                int againPort = StoredServer.awaitPort(first);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> health(againPort).path("status").asText().equals("ok"));
                assertThat(health(againPort).path("failover").path("elected").asBoolean()).isFalse();
                assertThat(health(secondPort).path("failover").path("elected").asBoolean()).isTrue();
            } finally {
                first.close();
            }
        }
    }

    private Path config(String name, int kafkaPort) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        boolean candidate = !name.equals("gateway");
        Files.writeString(file, """
                server: {host: 127.0.0.1, port: 0}
                simulator: {enabled: %s, eventsPerSecond: 3000, respectMarketHours: false}
                store: {enabled: %s, dataDir: %s, commitInterval: 200ms}
                cluster: {role: %s, failover: %s, failoverTimeout: 6s, bootstrapServers: '127.0.0.1:%d',
                          topic: tickwire.failover}
                plans:
                  tests: {maxConnections: 10, onConnectionLimit: reject-new, maxSymbols: 100, channels: [quote, trade],
                          requestsPerSecond: 1000, requestBurst: 1000}
                accounts:
                  - {name: tests, plan: tests, tokens: ["%s"]}
                """.formatted(candidate, candidate, dir.resolve(name + "-data"), candidate ? "ingest" : "gateway",
                candidate, kafkaPort, TokenHash.of(StoredServer.TOKEN)));
        return file;
    }

    /** {@code /health}'s body, whatever its status (a standby catching up answers 503 with its sections). */
    private static JsonNode health(int port) throws IOException, InterruptedException {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static double metric(int port, String name) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " in /metrics:\n" + text);
    }
}
