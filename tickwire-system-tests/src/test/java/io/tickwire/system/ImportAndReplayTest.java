package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickwire import} and {@code tickwire replay} on the built distribution: a file with bad
 * rows is refused with line numbers (or its good rows kept on request), imported trades come back
 * exactly over REST (a CSV export re-imports), an import into a directory a server holds is
 * refused, and a replay publishes everything stored.
 */
class ImportAndReplayTest {

    @TempDir
    Path dir;

    @Test
    void importServeAndReplay() throws Exception {
        Path data = dir.resolve("data");
        Instant start = Instant.parse("2025-11-20T10:00:00Z");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(start.plusMillis(250L * i) + ",BTCUSDT," + (104_000 + i) + ".25,0.0" + (10 + i % 80) + ","
                    + (i % 2 == 0 ? "buy" : "sell"));
        }
        List<String> withBad = new ArrayList<>(rows);
        withBad.add(3, "2025-11-20T10:00:01Z,BTCUSDT,abc,1,buy");
        withBad.add(100, "2025-11-20T10:00:02Z,NOPE,1,1,buy");
        Path file = dir.resolve("trades.csv");
        Files.writeString(file, "time,symbol,price,size,side\n" + String.join("\n", withBad) + "\n");

        try (Distribution refused = Distribution.start("import", file.toString(), "--data", data.toString())) {
            assertThat(refused.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
            String out = String.join("\n", refused.lines());
            assertThat(out).contains("line 5: price 'abc'").contains("line 102: unknown symbol 'NOPE'")
                    .contains("refused, nothing imported (2 bad of 202 rows");
        }
        try (Distribution kept = Distribution.start("import", file.toString(), "--data", data.toString(), "--skip-bad-rows")) {
            assertThat(kept.awaitExit(Duration.ofSeconds(90))).isZero();
            assertThat(String.join("\n", kept.lines())).contains("imported 200 trades, skipped 2 bad rows");
        }

        Path quiet = StoredServer.config(dir, "quiet", 0, "");
        try (Distribution server = Distribution.start("serve", "--config", quiet.toString(), "--data", data.toString())) {
            int port = StoredServer.awaitPort(server);
            JsonNode first = StoredServer.get(port, "/v1/history/trades?symbol=BTCUSDT&from=2025-11-20&limit=1");
            assertThat(first.path("trades").get(0).path("price").toString()).isEqualTo("104000.25");
            HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port + "/v1/history/trades?symbol=BTCUSDT&from=2025-11-20&format=csv&token=" + StoredServer.TOKEN))
                    .build(), HttpResponse.BodyHandlers.ofString());
            List<String> exported = csv.body().lines().skip(1).toList();
            assertThat(exported).hasSize(200);
            for (int i = 0; i < 200; i++) { // same trades, written back with the instrument's decimal places
                String[] in = rows.get(i).split(",");
                String[] out = exported.get(i).split(",");
                assertThat(Instant.parse(out[0])).isEqualTo(Instant.parse(in[0]));
                assertThat(new java.math.BigDecimal(out[2])).isEqualByComparingTo(in[2]);
                assertThat(new java.math.BigDecimal(out[3])).isEqualByComparingTo(in[3]);
                assertThat(out[4]).isEqualTo(in[4]);
            }
            try (Distribution busy = Distribution.start("import", file.toString(), "--data", data.toString())) {
                assertThat(busy.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
                assertThat(String.join("\n", busy.lines())).contains("is in use by another Tickwire process (pid");
            }
        }

        try (Distribution replay = Distribution.start("replay", "--config", quiet.toString(), "--data", data.toString(),
                "--from", "2025-11-20", "--to", "2025-11-21", "--speed", "max", "--symbols", "BTCUSDT", "--exit")) {
            assertThat(replay.awaitExit(Duration.ofSeconds(90))).isZero();
            assertThat(String.join("\n", replay.lines())).contains("Tickwire is replaying")
                    .contains("replay finished: 200 events");
        }
    }
}
