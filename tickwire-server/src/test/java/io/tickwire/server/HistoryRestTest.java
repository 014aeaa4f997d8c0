package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickwire.model.Clock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REST history over real HTTP against a real store: the native request's parameters, JSON or CSV, the same codes. */
class HistoryRestTest {

    private static final long T0 = Instant.parse("2025-11-20T10:00:00Z").getEpochSecond() * 1_000_000L;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static HistoryFixture fixture;

    @BeforeAll
    static void store() throws Exception {
        fixture = new HistoryFixture(dir, Clock.system(), true);
        for (int i = 0; i < 5; i++) {
            fixture.trade("BTCUSDT", T0 + i * 30_000_000L, 100_000_00 + i * 100, 2_500_000);
        }
        fixture.awaitStored(5);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.port() + pathAndQuery));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> authed(String pathAndQuery) throws Exception {
        return get(pathAndQuery, "Authorization", "Bearer " + HistoryFixture.ALICE);
    }

    @Test
    void tradesAsJsonPageWithTheNextCursor() throws Exception {
        List<String> prices = new ArrayList<>();
        String query = "/v1/history/trades?symbol=BTCUSDT&from=2025-11-20T10:00:00Z&limit=2";
        while (true) {
            HttpResponse<String> response = authed(query);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
            JsonNode page = HistoryFixture.json(response.body());
            page.path("trades").forEach(t -> prices.add(t.path("price").toString()));
            if (page.path("next").isNull()) {
                break;
            }
            query = "/v1/history/trades?cursor=" + page.path("next").asText();
        }
        assertThat(prices).containsExactly("100000.00", "100001.00", "100002.00", "100003.00", "100004.00");
    }

    @Test
    void barsAsCsvOnRequest() throws Exception {
        HttpResponse<String> csv = authed("/v1/history/bars?symbol=BTCUSDT&period=1m&from=" + T0 + "&to="
                + (T0 + 600_000_000L) + "&format=csv");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.body()).isEqualTo("""
                time,open,high,low,close,volume,trades
                2025-11-20T10:00:00.000000Z,100000.00,100001.00,100000.00,100001.00,5.000000,2
                2025-11-20T10:01:00.000000Z,100002.00,100003.00,100002.00,100003.00,5.000000,2
                2025-11-20T10:02:00.000000Z,100004.00,100004.00,100004.00,100004.00,2.500000,1
                """);
        HttpResponse<String> paged = get("/v1/history/trades?symbol=BTCUSDT&from=" + T0 + "&limit=3&token="
                + HistoryFixture.ALICE, "Accept", "text/csv");
        assertThat(paged.body()).startsWith("time,symbol,price,size,side,trade_id,seq\n"
                + "2025-11-20T10:00:00.000000Z,BTCUSDT,100000.00,2.500000,buy,1,1\n");
        assertThat(paged.body().lines()).hasSize(4);
        String next = paged.headers().firstValue("X-Next-Cursor").orElseThrow();
        HttpResponse<String> rest = get("/v1/history/trades?format=csv&cursor=" + next, "token", HistoryFixture.ALICE);
        assertThat(rest.body().lines()).hasSize(3);
        assertThat(rest.headers().firstValue("X-Next-Cursor")).isEmpty();
    }

    @Test
    void instrumentsAndHealth() throws Exception {
        JsonNode instruments = HistoryFixture.json(authed("/v1/instruments").body());
        assertThat(instruments.path("instruments").get(0).path("trades").path("count").asLong()).isEqualTo(5);
        JsonNode health = HistoryFixture.json(get("/health").body());
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("store").path("status").asText()).isEqualTo("ok");
        assertThat(health.path("store").path("committed").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(health.path("store").path("dropped").asLong()).isZero();
    }

    @Test
    void historyOutsideThePlanIsForbiddenAndLeftOutOfTheInstrumentList() throws Exception {
        String[] crypto = {"Authorization", "Bearer " + HistoryFixture.CRYPTO};
        expectError(get("/v1/history/bars?symbol=AAPL&period=1m&count=-5", crypto), 403, "not_entitled");
        expectError(get("/v1/history/trades?symbol=EURUSD&from=" + T0, crypto), 403, "not_entitled");
        expectError(get("/v1/history/quotes?symbol=MSFT&from=" + T0 + "&format=csv", crypto), 403, "not_entitled");
        assertThat(get("/v1/history/trades?symbol=BTCUSDT&from=" + T0, crypto).statusCode()).isEqualTo(200);
        JsonNode instruments = HistoryFixture.json(get("/v1/instruments", crypto).body());
        assertThat(instruments.path("instruments").findValuesAsText("symbol")).containsExactly("BTCUSDT", "ETHUSDT");
    }

    @Test
    void badRequestsGetJsonErrorsWithTheProtocolsCodesAndProperStatuses() throws Exception {
        String base = "/v1/history/bars?symbol=BTCUSDT&period=1m";
        expectError(get(base + "&from=" + T0), 401, "not_authenticated");
        expectError(get(base + "&from=" + T0, "Authorization", "Bearer wrong"), 401, "auth_failed");
        expectError(authed(base + "&from=" + (T0 + 1) + "&to=" + T0), 400, "invalid_time_range");
        expectError(authed(base + "&from=" + URLEncoder.encode("2025-11-20 10:00", StandardCharsets.UTF_8)), 400,
                "invalid_timestamp");
        expectError(authed(base + "&count=-1001"), 400, "count_out_of_range");
        expectError(authed("/v1/history/bars?symbol=NOPE&period=1m&count=-5"), 404, "unknown_symbol");
        expectError(authed("/v1/history/bars?cursor=garbage"), 400, "invalid_cursor");
        expectError(authed(base + "&from=" + T0 + "&format=xml"), 400, "invalid_field");
        expectError(authed("/v1/history/ticks?symbol=BTCUSDT"), 404, "not_found");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.port()
                + "/v1/history/trades")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        expectError(post, 405, "method_not_allowed");
        assertThat(authed(base + "&from=" + T0).statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void requestsAreChargedToTheAccountsBudget() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 8; i++) { // burst 3, then 1 per second
            HttpResponse<String> r = get("/v1/instruments", "Authorization", "Bearer " + HistoryFixture.THRIFTY);
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertThat(statuses.subList(0, 3)).containsOnly(200);
        assertThat(limited).as("statuses %s", statuses).isNotNull();
        expectError(limited, 429, "rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void wrongTokensCountTowardsTheAddressesBanAsWebSocketLoginsDo() throws Exception {
        // a server of its own: the ban would otherwise hold for every other test of this class
        try (HistoryFixture own = new HistoryFixture(dir.resolve("ban"), Clock.system(), false)) {
            java.util.function.Function<String, HttpResponse<String>> instruments = token -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + own.port() + "/v1/instruments"))
                            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            assertThat(instruments.apply(HistoryFixture.ALICE).statusCode()).isEqualTo(200);
            for (int i = 0; i < 10; i++) { // auth.maxFailures
                expectError(instruments.apply("guess-" + i), 401, "auth_failed");
            }
            HttpResponse<String> banned = instruments.apply(HistoryFixture.ALICE); // even the right token, for now
            expectError(banned, 429, "too_many_failures");
            assertThat(banned.headers().firstValue("Retry-After")).isPresent();
            assertThat(banned.body()).containsPattern("\"retryAfterMs\":[1-9][0-9]*}");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyWereSent() throws Exception {
        // the history query is answered from a query thread, /health at once: the second must
        // still wait for the first, or a client pairs each answer with the wrong request
        String history = "GET /v1/history/trades?symbol=BTCUSDT&from=2025-11-20T10:00:00Z&limit=2 HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: Bearer " + HistoryFixture.ALICE + "\r\n\r\n";
        String health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fixture.port())) {
            socket.setSoTimeout(10_000); // a guard against a hang, not the verdict
            socket.getOutputStream().write((history + health + history.replace("limit=2", "limit=1") + health)
                    .getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int first = answers.indexOf("\"trades\"");
            int second = answers.indexOf("\"status\"");
            assertThat(first).as(answers).isGreaterThan(0);
            assertThat(second).as(answers).isGreaterThan(first);
            // Connection: close on the second request ends the connection: the third is never answered
            assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(3);
        }
    }

    @Test
    void aServerWithoutAStoreSaysHistoryIsUnavailable() throws Exception {
        try (HistoryFixture none = new HistoryFixture(dir.resolve("unused"), Clock.system(), false)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + none.port()
                    + "/v1/history/trades?symbol=BTCUSDT&from=0")).header("Authorization", "Bearer " + HistoryFixture.ALICE)
                    .build(), HttpResponse.BodyHandlers.ofString());
            expectError(r, 503, "history_unavailable");
            JsonNode health = HistoryFixture.json(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + none.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(health.path("store").path("status").asText()).isEqualTo("disabled");
        }
    }

    private static void expectError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        JsonNode body = HistoryFixture.json(response.body());
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
    }
}
