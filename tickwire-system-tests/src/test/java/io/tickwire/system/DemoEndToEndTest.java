package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tickwire.system.readme.QuotePrinter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's tour on the built distribution: {@code tickwire demo} as one process,
 * {@code tickwire tail} as another, and the README's SDK program; then a clean SIGTERM.
 */
class DemoEndToEndTest {

    private static final Pattern URL = Pattern.compile("WebSocket\\s+(ws://127\\.0\\.0\\.1:(\\d+)/v1/ws)");
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path data;

    private static Distribution demo;
    private static String url;
    private static int port;

    @BeforeAll
    static void startDemo() throws Exception {
        demo = Distribution.start("demo", "--port", "0", "--data", data.resolve("demo").toString());
        Matcher m = URL.matcher(demo.awaitLine(l -> URL.matcher(l).find(), Duration.ofSeconds(60)));
        assertThat(m.find()).isTrue();
        url = m.group(1);
        port = Integer.parseInt(m.group(2));
        demo.awaitLine(l -> l.contains("Token") && l.contains("demo-token"), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopDemo() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void tailPrintsLiveQuotesAndTradesOfEverySymbol() throws Exception {
        try (Distribution tail = Distribution.start("tail", "BTCUSDT", "EURUSD", "AAPL", "--json", "--count", "300",
                "--url", url)) {
            assertThat(tail.awaitExit(Duration.ofSeconds(60))).as(String.join("\n", tail.lines())).isZero();
            ObjectMapper json = new ObjectMapper();
            Set<String> quoted = new HashSet<>();
            int trades = 0;
            List<JsonNode> messages = new ArrayList<>();
            for (String line : tail.lines()) {
                if (line.startsWith("{")) {
                    messages.add(json.readTree(line));
                } else {
                    assertThat(line).as("no errors in tail's output").doesNotContain("ERROR").doesNotContain("Exception");
                }
            }
            assertThat(messages).hasSize(300);
            for (JsonNode m : messages) {
                if (m.get("type").asText().equals("quote")) {
                    quoted.add(m.get("symbol").asText());
                    assertThat(m.get("bid").decimalValue()).isLessThan(m.get("ask").decimalValue());
                } else {
                    trades++;
                    assertThat(m.get("price").decimalValue()).isPositive();
                }
            }
            assertThat(quoted).containsExactlyInAnyOrder("BTCUSDT", "EURUSD", "AAPL");
            assertThat(trades).isPositive();
        }
    }

    @Test
    void tailShowsTheSimulatedBookAsJsonLinesWhoseChecksumsMatchTheirLevels() throws Exception {
        try (Distribution tail = Distribution.start("tail", "BTCUSDT", "--channels", "book", "--depth", "5", "--json",
                "--count", "40", "--url", url)) {
            assertThat(tail.awaitExit(Duration.ofSeconds(60))).as(String.join("\n", tail.lines())).isZero();
            ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
            List<JsonNode> books = new ArrayList<>();
            for (String line : tail.lines()) {
                if (line.startsWith("{")) {
                    books.add(json.readTree(line));
                }
            }
            assertThat(books).hasSize(40);
            for (JsonNode b : books) {
                assertThat(b.get("type").asText()).isEqualTo("book");
                assertThat(b.get("depth").asInt()).isEqualTo(5);
                assertThat(b.get("inSync").asBoolean()).as("no loss on a healthy link: %s", b).isTrue();
                List<JsonNode> bids = new ArrayList<>();
                b.get("bids").forEach(bids::add);
                List<JsonNode> asks = new ArrayList<>();
                b.get("asks").forEach(asks::add);
                assertThat(bids).hasSize(5);
                assertThat(asks).hasSize(5);
                assertThat(bids.get(0).get(0).decimalValue()).isLessThan(asks.get(0).get(0).decimalValue());
                StringBuilder text = new StringBuilder(); // docs/protocol.md: asks best first, then bids best first
                for (JsonNode level : asks) {
                    text.append(level.get(0).decimalValue().toPlainString()).append(':')
                            .append(level.get(1).decimalValue().toPlainString()).append(';');
                }
                for (JsonNode level : bids) {
                    text.append(level.get(0).decimalValue().toPlainString()).append(':')
                            .append(level.get(1).decimalValue().toPlainString()).append(';');
                }
                CRC32 crc = new CRC32();
                crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
                assertThat(b.get("checksum").asLong()).as("checksum of %s", text).isEqualTo(crc.getValue());
            }
            assertThat(books.get(39).get("seq").asLong()).isGreaterThan(books.get(0).get("seq").asLong());
        }
    }

    @Test
    void theReadmeSdkProgramReceivesQuotes() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream(); // synchronized: written by the client's thread
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        // the program streams until it is stopped, as a reader of the README would run it: stop it
        // (interrupt its sleep, which closes the client) once every symbol has printed a quote
        Thread program = new Thread(() -> {
            try {
                QuotePrinter.main(new String[] {url});
            } catch (InterruptedException stopped) {
                // what ends it
            } catch (Exception e) {
                e.printStackTrace(original);
            }
        }, "readme-quote-printer");
        try {
            program.start();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(captured.toString(StandardCharsets.UTF_8))
                    .contains("BTCUSDT  bid ").contains("EURUSD   bid ").contains("AAPL     bid "));
        } finally {
            program.interrupt();
            program.join(Duration.ofSeconds(30));
            System.setOut(original);
        }
        assertThat(program.isAlive()).as("the program ends when stopped").isFalse();
    }

    @Test
    void aTradePublishedAsTheReadmeShowsReachesTail() throws Exception {
        try (Distribution tail = Distribution.start("tail", "BTCUSDT", "--channels", "trade", "--json", "--url", url)) {
            tail.awaitLine(l -> l.startsWith("{\"type\":\"trade\""), Duration.ofSeconds(60)); // subscribed
            java.nio.file.Path line = java.nio.file.Files.writeString(data.resolve("published.jsonl"),
                    "{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"12345.67\",\"size\":\"0.5\",\"side\":\"buy\"}\n");
            try (Distribution publish = Distribution.start("publish", line.toString(), "--url",
                    url.replace("/v1/ws", "/v1/publish"))) {
                assertThat(publish.awaitExit(Duration.ofSeconds(60))).as(String.join("\n", publish.lines())).isZero();
                assertThat(publish.lines()).contains("1 line(s) sent, 0 refused by the server");
            }
            assertThat(tail.awaitLine(l -> l.contains("\"price\":12345.67"), Duration.ofSeconds(30)))
                    .contains("\"side\":\"buy\"").contains("\"size\":0.5");
        }
    }

    @Test
    void healthAnswersOverHttp() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
    }

    @Test
    void aWrongTokenFailsTailWithAClearMessage() throws Exception {
        try (Distribution tail = Distribution.start("tail", "BTCUSDT", "--token", "wrong", "--url", url)) {
            assertThat(tail.awaitExit(Duration.ofSeconds(60))).isEqualTo(3);
            assertThat(String.join("\n", tail.lines())).contains("auth_failed");
        }
    }

    @Test
    void sigtermStopsTheServerCleanly() throws Exception {
        try (Distribution second = Distribution.start("demo", "--port", "0", "--data", data.resolve("second").toString())) {
            second.awaitLine(l -> URL.matcher(l).find(), Duration.ofSeconds(60));
            second.terminate();
            int exit = second.awaitExit(Duration.ofSeconds(30));
            assertThat(exit).as("SIGTERM exit status").isIn(0, 143);
            assertThat(String.join("\n", second.lines())).contains("stopped").doesNotContain("Exception");
        }
    }
}
