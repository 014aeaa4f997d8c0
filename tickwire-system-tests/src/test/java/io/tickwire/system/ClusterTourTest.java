package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.auth.token.TokenHash;
import io.tickwire.testkit.Ports;
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
 * The README's cluster tour on the built distribution, each part its own process: {@code tickwire
 * kafka}, an ingest node fed by the simulator, a gateway, and a client of the gateway that stays
 * connected while the ingest node is killed with SIGKILL and started again on its store.
 */
class ClusterTourTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aGatewaysClientKeepsItsTradesInOrderThroughAKilledAndRestartedIngestNode() throws Exception {
        int kafkaPort = Ports.free();
        try (Distribution kafka = Distribution.start("kafka", "--port", Integer.toString(kafkaPort), "--controller-port",
                Integer.toString(Ports.free()), "--data", dir.resolve("kafka").toString())) {
            kafka.awaitLine(l -> l.contains("Kafka is running"), Duration.ofSeconds(90));
            Path ingestConfig = config("ingest", kafkaPort);
            Distribution ingest = Distribution.start("serve", "--config", ingestConfig.toString());
            try (Distribution gateway = Distribution.start("serve", "--config", config("gateway", kafkaPort).toString())) {
                StoredServer.awaitPort(ingest);
                int port = StoredServer.awaitPort(gateway);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> health(port).statusCode() == 200); // caught up: admitting clients
                try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/v1/ws"),
                        Map.of("Authorization", "Bearer " + StoredServer.TOKEN))) {
                    client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"]}");
                    long last = TradeStream.next(client, 0).path("seq").asLong();
                    for (int i = 0; i < 20; i++) {
                        last = TradeStream.nextConsecutive(client, last, "no gap within one ingest run");
                    }
                    ingest.kill9();
                    ingest.close();
                    ingest = Distribution.start("serve", "--config", ingestConfig.toString());
                    StoredServer.awaitPort(ingest);
                    // what the killed run had sent to Kafka comes first, one past another; the restarted
                    // run continues past the numbers the killed one had reserved: a jump, of at most
                    // the reservation (8,192) and what the killed run had numbered but not sent
                    long next = TradeStream.next(client, last).path("seq").asLong();
                    while (next == last + 1) {
                        last = next;
                        next = TradeStream.next(client, last).path("seq").asLong();
                    }
                    assertThat(next - last).isLessThanOrEqualTo(8_192 + 1_000);
                    last = next;
                    for (int i = 0; i < 20; i++) {
                        last = TradeStream.nextConsecutive(client, last, "no gap within one ingest run");
                    }
                    assertThat(client.isOpen()).as("the gateway's client stayed connected").isTrue();
                }
                assertThat(String.join("\n", ingest.lines())).contains("continues past numbers a previous server handed out");
            } finally {
                ingest.close();
            }
        }
    }

    private Path config(String role, int kafkaPort) throws IOException {
        Path file = dir.resolve(role + ".yaml");
        boolean ingest = role.equals("ingest");
        Files.writeString(file, """
                server: {host: 127.0.0.1, port: 0}
                simulator: {enabled: %s, eventsPerSecond: 3000, respectMarketHours: false}
                store: {enabled: %s, dataDir: %s, commitInterval: 200ms}
                cluster: {role: %s, bootstrapServers: '127.0.0.1:%d', topic: tickwire.tour}
                plans:
                  tests: {maxConnections: 10, onConnectionLimit: reject-new, maxSymbols: 100, channels: [quote, trade],
                          requestsPerSecond: 1000, requestBurst: 1000}
                accounts:
                  - {name: tests, plan: tests, tokens: ["%s"]}
                """.formatted(ingest, ingest, dir.resolve("ingest-data"), role, kafkaPort, TokenHash.of(StoredServer.TOKEN)));
        return file;
    }

    private static HttpResponse<String> health(int port) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
