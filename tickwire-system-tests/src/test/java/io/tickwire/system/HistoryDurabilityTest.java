package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.util.Map;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of history on the built distribution: a server killed with SIGKILL (kill -9) keeps
 * everything it reported as committed, and what it lost is only the end of each stream (never a
 * hole); a server stopped cleanly (SIGTERM) loses nothing at all.
 */
class HistoryDurabilityTest {

    private static final Pattern CLOSED = Pattern.compile("history store in .* closed; StoreStats\\[status=closed, queued=(\\d+),"
            + " queueCapacity=\\d+, received=(\\d+), committed=(\\d+), committedTicks=\\d+, dropped=(\\d+).*committed rows: trades=(\\d+),"
            + " quotes=(\\d+),");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aKilledServerKeepsEverythingItHadCommittedAndLosesOnlyTheEndOfStreams() throws Exception {
        Path data = dir.resolve("data");
        long committed;
        long committedThrough;
        try (Distribution server = Distribution.start("serve", "--config",
                StoredServer.config(dir, "live", 5_000, "").toString(), "--data", data.toString())) {
            int port = StoredServer.awaitPort(server);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> StoredServer.health(port).path("store").path("committed").asLong() >= 10_000);
            JsonNode store = StoredServer.health(port).path("store");
            committed = store.path("committedTicks").asLong(); // trades and quotes: the rows counted below
            committedThrough = store.path("committedThrough").asLong();
            server.kill9();
            assertThat(String.join("\n", server.lines())).doesNotContain("history store in"); // no clean close ran
        }
        try (Distribution restarted = Distribution.start("serve", "--config",
                StoredServer.config(dir, "quiet", 0, "").toString(), "--data", data.toString())) {
            int port = StoredServer.awaitPort(restarted);
            assertThat(StoredServer.health(port).path("store").path("status").asText()).isEqualTo("ok");
            JsonNode instruments = StoredServer.get(port, "/v1/instruments").path("instruments");
            long stored = 0;
            long latest = 0;
            for (JsonNode i : instruments) {
                for (String kind : new String[] {"trades", "quotes"}) {
                    JsonNode span = i.path(kind);
                    if (!span.isNull()) {
                        stored += span.path("count").asLong();
                        latest = Math.max(latest, span.path("to").asLong());
                        assertSeqIsOneToCount(port, i.path("symbol").asText(), kind, span);
                    }
                }
            }
            assertThat(stored).as("rows after the restart vs committed before the kill").isGreaterThanOrEqualTo(committed);
            assertThat(latest).isGreaterThanOrEqualTo(committedThrough);
        }
    }

    @Test
    void numbersAKilledServerHandedOutAreNeverGivenToOtherEventsAfterTheRestart() throws Exception {
        Path data = dir.resolve("data");
        Path live = StoredServer.config(dir, "live", 5_000, "");
        JsonNode lastSeen;
        try (Distribution server = Distribution.start("serve", "--config", live.toString(), "--data", data.toString())) {
            int port = StoredServer.awaitPort(server);
            try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/v1/ws"),
                    Map.of("Authorization", "Bearer " + StoredServer.TOKEN))) {
                client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"quote\"]}");
                lastSeen = nextQuote(client, 0);
                for (int i = 0; i < 300; i++) {
                    lastSeen = nextQuote(client, lastSeen.path("seq").asLong());
                }
                server.kill9(); // the quotes seen within the last commit interval are not stored
            }
        }
        long seq = lastSeen.path("seq").asLong();
        long ts = lastSeen.path("ts").asLong();
        try (Distribution restarted = Distribution.start("serve", "--config", live.toString(), "--data", data.toString())) {
            int port = StoredServer.awaitPort(restarted);
            String query = "/v1/history/quotes?symbol=BTCUSDT&from=" + (ts - 5_000_000) + "&limit=1000";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> storedQuotes(port, query).stream().anyMatch(q -> q.path("seq").asLong() > seq));
            for (JsonNode stored : storedQuotes(port, query)) {
                if (stored.path("seq").asLong() == seq) {
                    assertThat(stored.path("ts").asLong()).as("quote %d: the one the client saw, or none", seq).isEqualTo(ts);
                }
            }
            assertThat(String.join("\n", restarted.lines())).contains("continues past numbers a previous server handed out");
        }
    }

    /** Every stored quote the REST query names, all its pages. */
    private static java.util.List<JsonNode> storedQuotes(int port, String query) throws Exception {
        java.util.List<JsonNode> quotes = new java.util.ArrayList<>();
        String next = query;
        while (next != null) {
            JsonNode page = StoredServer.get(port, next);
            page.path("quotes").forEach(quotes::add);
            next = page.path("next").isNull() ? null : "/v1/history/quotes?cursor=" + page.path("next").asText();
        }
        return quotes;
    }

    /** The next live quote (not a snapshot) with a {@code seq} after {@code after}. */
    private static JsonNode nextQuote(RawWebSocketClient client, long after) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String text = client.pollText(Duration.ofMillis(500));
            if (text == null) {
                continue;
            }
            JsonNode m = JSON.readTree(text);
            if (m.path("type").asText().equals("quote") && !m.path("snapshot").asBoolean() && m.path("seq").asLong() > after) {
                return m;
            }
        }
        throw new AssertionError("no quote after " + after);
    }

    /** Stored sequence numbers of a stream are exactly 1..count: nothing in the middle went missing. */
    private static void assertSeqIsOneToCount(int port, String symbol, String kind, JsonNode span) throws Exception {
        long expected = 1;
        String query = "/v1/history/" + kind + "?symbol=" + symbol + "&from=" + span.path("from").asLong() + "&to="
                + (span.path("to").asLong() + 1);
        while (true) {
            JsonNode page = StoredServer.get(port, query);
            for (JsonNode row : page.path(kind)) {
                assertThat(row.path("seq").asLong()).as("%s %s", symbol, kind).isEqualTo(expected++);
            }
            if (page.path("next").isNull()) {
                break;
            }
            query = "/v1/history/" + kind + "?cursor=" + page.path("next").asText();
        }
        assertThat(expected - 1).as("%s %s rows", symbol, kind).isEqualTo(span.path("count").asLong());
    }

    @Test
    void aCleanShutdownLosesNothing() throws Exception {
        Path data = dir.resolve("data");
        long ticks;
        try (Distribution server = Distribution.start("serve", "--config",
                StoredServer.config(dir, "live", 5_000, "").toString(), "--data", data.toString())) {
            int port = StoredServer.awaitPort(server);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> StoredServer.health(port).path("store").path("committed").asLong() >= 5_000);
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isIn(0, 143);
            Matcher closed = server.lines().stream().map(CLOSED::matcher).filter(Matcher::find).findFirst()
                    .orElseThrow(() -> new AssertionError("no store close line in:\n" + String.join("\n", server.lines())));
            assertThat(closed.group(1)).as("queued at close").isEqualTo("0");
            assertThat(Long.parseLong(closed.group(3))).as("committed = received")
                    .isEqualTo(Long.parseLong(closed.group(2)));
            assertThat(closed.group(4)).as("dropped").isEqualTo("0");
            ticks = Long.parseLong(closed.group(5)) + Long.parseLong(closed.group(6)); // bars and book snapshots aside
            assertThat(ticks).isPositive();
        }
        try (Distribution restarted = Distribution.start("serve", "--config",
                StoredServer.config(dir, "quiet", 0, "").toString(), "--data", data.toString())) {
            int port = StoredServer.awaitPort(restarted);
            long stored = 0;
            for (JsonNode i : StoredServer.get(port, "/v1/instruments").path("instruments")) {
                stored += i.path("trades").path("count").asLong() + i.path("quotes").path("count").asLong();
            }
            assertThat(stored).isEqualTo(ticks);
        }
    }
}
