package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Automatic failover on the built distribution, each part its own process: {@code tickwire kafka},
 * two candidates with {@code cluster.failover: true} (one elected ingest node fed by the
 * simulator, one standby), and a gateway whose client stays connected while the elected node is
 * killed with SIGKILL: the standby is elected after the failover timeout and numbers on; and
 * {@code tickwire publish}, whose every line reaches the gateway's client once, in order, through
 * a pause of the node it publishes to.
 */
class AutomaticFailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void whenTheElectedIngestNodeIsKilledTheStandbyTakesOverAndTheGatewaysClientGetsTheNextNumbers() throws Exception {
        try (Cluster cluster = new Cluster();
             RawWebSocketClient client = cluster.tradesOnTheGateway()) {
            long last = consecutiveTrades(client, TradeStream.next(client, 0).path("seq").asLong(), 20);
            cluster.first.kill9(); // no goodbye to the election: its session runs out after the failover timeout
            // every trade the killed node got to Kafka reaches the client, then the new node's, numbered on
            last = consecutiveTrades(client, last, 40);
            assertThat(client.isOpen()).as("the gateway's client stayed connected").isTrue();
            awaitElected(cluster.secondPort, true);
            JsonNode promoted = health(cluster.secondPort);
            assertThat(promoted.path("cluster").path("role").asText()).isEqualTo("ingest");
            assertThat(promoted.path("cluster").path("term").asLong()).as("the first node's term was 1").isEqualTo(2);
            assertThat(health(cluster.port).path("cluster").path("term").asLong()).isEqualTo(2);
            assertThat(metric(cluster.port, "tickwire_cluster_numbering_restarts")).isZero();

            // the killed node, started again, stands by: the office stays where it is
            cluster.first.close();
            cluster.first = Distribution.start("serve", "--config", cluster.config("first").toString());
            int againPort = StoredServer.awaitPort(cluster.first);
            awaitStatusOk(againPort);
            assertThat(health(againPort).path("failover").path("elected").asBoolean()).isFalse();
            assertThat(health(cluster.secondPort).path("failover").path("elected").asBoolean()).isTrue();

            // and takes the office back when the second is killed in turn: on from the second's last
            // number, not past what it had reserved itself before it was killed (8,192 per stream)
            cluster.second.kill9();
            last = consecutiveTradesUntil(client, last, () -> health(againPort).path("failover").path("elected").asBoolean());
            consecutiveTrades(client, last, 40);
            assertThat(health(againPort).path("cluster").path("term").asLong()).isEqualTo(3);
            assertThat(metric(cluster.port, "tickwire_cluster_numbering_restarts")).isZero();
        }
    }

    @Test
    void aStalledElectedNodeIsDeposedAndWhatItAppendsOnWakingReachesNoClientWhileAPublishersLinesAllDo()
            throws Exception {
        try (Cluster cluster = new Cluster();
             RawWebSocketClient client = cluster.tradesOnTheGateway();
             RawWebSocketClient checker = cluster.tradesOnTheGateway();
             Distribution publisher = Distribution.start("publish", "--token", StoredServer.TOKEN, "--silence", "3s",
                     "--url", "ws://127.0.0.1:" + cluster.firstPort + "/v1/publish",
                     "--url", "ws://127.0.0.1:" + cluster.secondPort + "/v1/publish")) {
            publisher.write(feedLines(1, 20));
            await().atMost(Duration.ofSeconds(60)).until(() -> published(checker).size() == 20);
            long last = consecutiveTrades(client, TradeStream.next(client, 0).path("seq").asLong(), 20);
            signal(cluster.first, "STOP"); // a pause as long as a stuck VM's: it cannot tell it was deposed
            publisher.write(feedLines(21, 40)); // written to the paused node: it takes none of them
            last = consecutiveTrades(client, last, 40);
            awaitElected(cluster.secondPort, true);
            signal(cluster.first, "CONT");
            // it wakes as the ingest node it was, appends what its simulator makes meanwhile, then
            // learns from the group that it lost the office and stands by; none of that reaches the
            // gateway's client, whose numbers go on from the new node's
            awaitElected(cluster.firstPort, false);
            awaitStatusOk(cluster.firstPort);
            assertThat(health(cluster.firstPort).path("cluster").path("role").asText()).isEqualTo("gateway");
            consecutiveTrades(client, last, 40);
            assertThat(metric(cluster.port, "tickwire_cluster_numbering_restarts")).isZero();
            assertThat(health(cluster.secondPort).path("failover").path("elected").asBoolean()).isTrue();
            assertThat(health(cluster.firstPort).path("failover").path("demotions").asLong()).isEqualTo(1);
            // the publisher left the paused node for the elected one and sent it what the paused one never took
            publisher.write(feedLines(41, 60));
            publisher.closeInput();
            assertThat(publisher.awaitExit(Duration.ofSeconds(90))).as(String.join("\n", publisher.lines()))
                    .isEqualTo(3); // every line sent; a connection ended under the feed
            await().atMost(Duration.ofSeconds(60)).until(() -> published(checker).size() >= 60);
            assertThat(published(checker)).as("every line once, in order").isEqualTo(
                    java.util.stream.LongStream.rangeClosed(1, 60).boxed().toList());
        }
    }

    /** JSON lines for {@code tickwire publish}: BTCUSDT trades whose price, 50,000 + i/100, says which line i each is. */
    private static String feedLines(int from, int to) {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i <= to; i++) {
            lines.append("{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"")
                    .append(java.math.BigDecimal.valueOf(5_000_000 + i, 2).toPlainString())
                    .append("\",\"size\":\"0.001\",\"side\":\"buy\"}\n");
        }
        return lines.toString();
    }

    /** The lines of {@link #feedLines} a client has received, in the order received. */
    private static java.util.List<Long> published(RawWebSocketClient client) throws IOException {
        java.util.List<Long> lines = new java.util.ArrayList<>();
        for (String text : client.history()) {
            JsonNode message = JSON.readTree(text);
            if (message.path("type").asText().equals("trade")) {
                long cents = Math.round(message.path("price").asDouble() * 100);
                if (cents > 5_000_000 && cents <= 5_100_000) {
                    lines.add(cents - 5_000_000);
                }
            }
        }
        return lines;
    }

    /**
     * {@code tickwire kafka}, the first candidate (elected, as it starts alone), the second (a
     * standby) and a gateway, each its own process; all caught up when the constructor returns.
     */
    private final class Cluster implements AutoCloseable {
        final int kafkaPort = Ports.free();
        final Distribution kafka;
        Distribution first;
        final int firstPort;
        Distribution second;
        int secondPort;
        Distribution gateway;
        int port;

        Cluster() throws Exception {
            kafka = Distribution.start("kafka", "--port", Integer.toString(kafkaPort), "--controller-port",
                    Integer.toString(Ports.free()), "--data", dir.resolve("kafka").toString());
            try {
                kafka.awaitLine(l -> l.contains("Kafka is running"), Duration.ofSeconds(90));
                first = Distribution.start("serve", "--config", config("first").toString());
                firstPort = StoredServer.awaitPort(first);
                awaitElected(firstPort, true);
                second = Distribution.start("serve", "--config", config("second").toString());
                gateway = Distribution.start("serve", "--config", config("gateway").toString());
                secondPort = StoredServer.awaitPort(second);
                port = StoredServer.awaitPort(gateway);
                awaitStatusOk(port); // caught up: admitting clients
                awaitStatusOk(secondPort);
            } catch (Exception | AssertionError e) {
                close();
                throw e;
            }
            JsonNode standby = health(secondPort);
            assertThat(standby.path("failover").path("elected").asBoolean()).isFalse();
            assertThat(standby.path("cluster").path("role").asText()).isEqualTo("gateway");
            assertThat(standby.path("store").isMissingNode()).as("a standby keeps its store").isFalse();
        }

        /** A client of the gateway subscribed to BTCUSDT's trades. */
        RawWebSocketClient tradesOnTheGateway() throws IOException {
            RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/v1/ws"),
                    Map.of("Authorization", "Bearer " + StoredServer.TOKEN));
            client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"]}");
            return client;
        }

        Path config(String name) throws IOException {
            return AutomaticFailoverTest.this.config(name, kafkaPort);
        }

        @Override
        public void close() {
            for (Distribution process : new Distribution[] {gateway, second, first, kafka}) {
                if (process != null) {
                    process.close();
                }
            }
        }
    }

    private static long consecutiveTrades(RawWebSocketClient client, long after, int count) throws Exception {
        long last = after;
        for (int i = 0; i < count; i++) {
            last = TradeStream.nextConsecutive(client, last, "no gap, across the failover too");
        }
        return last;
    }

    /** Reads trades, each one past the one before, until {@code done} holds; the last one's number. */
    private static long consecutiveTradesUntil(RawWebSocketClient client, long after,
                                               java.util.concurrent.Callable<Boolean> done) throws Exception {
        long last = after;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!holds(done)) {
            assertThat(System.nanoTime() - deadline).as("the condition within 90 s").isNegative();
            last = TradeStream.nextConsecutive(client, last, "no gap, across the failover too");
        }
        return last;
    }

    /** Whether {@code condition} holds; not while its node cannot answer (changing role). */
    private static boolean holds(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            return condition.call();
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) to a node's process. */
    private static void signal(Distribution process, String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    /** The port closes for a moment while a node changes role: connection failures are retried. */
    private static void awaitElected(int port, boolean elected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> health(port).path("failover").path("elected").asBoolean() == elected);
    }

    private static void awaitStatusOk(int port) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> health(port).path("status").asText().equals("ok"));
    }

    private Path config(String name, int kafkaPort) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        boolean candidate = !name.equals("gateway");
        Files.writeString(file, """
                server: {host: 127.0.0.1, port: 0, publishers: [%s]}
                simulator: {enabled: %s, eventsPerSecond: 3000, respectMarketHours: false}
                store: {enabled: %s, dataDir: %s, commitInterval: 200ms}
                cluster: {role: %s, failover: %s, failoverTimeout: 6s, bootstrapServers: '127.0.0.1:%d',
                          topic: tickwire.failover}
                plans:
                  tests: {maxConnections: 10, onConnectionLimit: reject-new, maxSymbols: 100, channels: [quote, trade],
                          requestsPerSecond: 1000, requestBurst: 1000}
                accounts:
                  - {name: tests, plan: tests, tokens: ["%s"]}
                """.formatted(candidate ? "tests" : "", candidate, candidate, dir.resolve(name + "-data"), candidate ? "ingest" : "gateway",
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
