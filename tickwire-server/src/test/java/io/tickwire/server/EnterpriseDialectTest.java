package io.tickwire.server;

import static io.tickwire.server.dialect.SeedShapes.assertLike;
import static io.tickwire.server.dialect.SeedShapes.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickwire.model.Clock;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.protocol.CloseCode;
import io.tickwire.testkit.OidcProvider;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The enterprise compact dialect end to end: seed 003's OAuth2 flow against a real OpenID Connect
 * provider, the session token in X-ZUMO-AUTH, e-mail registration, "ping"/"pong", and quotes,
 * series and ticks checked against the seed's examples.
 */
@Timeout(60)
class EnterpriseDialectTest {

    static final String SEED_QUOTE = "{\"c\": \"NASDAQ:AAPL\",\"lt\": 1733432340.0,\"v\": 533779.0,\"lp\": 243.08,"
            + "\"a\": 243.09,\"b\": 243.08,\"as\": 520.0,\"bs\": 430.0}";
    static final String SEED_SERIES = "{\"c\": \"NASDAQ:AAPL\",\"be\": 1733432399.0,\"lu\": 1733432399820,\"bt\": \"1m\","
            + "\"s\": [{\"t\": 1733432340.0,\"o\": 242.89,\"h\": 243.09,\"l\": 242.82,\"c\": 243.08,\"v\": 533779.0}]}";
    static final String SEED_TICK = "{\"c\": \"NASDAQ:AAPL\",\"t\": 1749462520.177003,\"p\": 242.89,\"v\": 200.0}";
    static final String SEED_EMAIL = "{\"email\": \"your-engineering-team@example.com\"}";
    static final String SEED_ERROR = "{\"error\":\"code\",\"message\":\"text\"}";

    private static OidcProvider provider;
    private static TestServer server;
    private static String sessionToken;

    @BeforeAll
    static void start() throws Exception {
        provider = OidcProvider.start();
        Clock clock = Clock.system();
        server = TestServer.start(ServerConfig.defaults(), clock, new AuthFixture(clock).serverAuth(provider.issuer("corp")));
        String accessToken = provider.clientCredentialsToken("corp", "enterprise-client", "tickwire");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.server.port() + "/.auth/login/aad"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"access_token\":\"" + accessToken + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        sessionToken = parse(response.body()).get("authenticationToken").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    private static RawWebSocketClient connect() {
        return RawWebSocketClient.connect(server.uri("/enterprise/ws"), Map.of("X-ZUMO-AUTH", sessionToken));
    }

    @Test
    void theSeedsSessionRegistersItsEmailPingsAndReceivesQuotesSeriesAndTicksInTheCompactShapes() {
        try (RawWebSocketClient client = connect()) {
            client.send(SEED_EMAIL);
            assertThat(parse(client.nextText())).isEqualTo(parse("{\"email\":\"your-engineering-team@example.com\",\"registered\":true}"));
            client.send("\"ping\"");
            assertThat(client.nextText()).isEqualTo("\"pong\"");
            client.send("ping");
            assertThat(client.nextText()).isEqualTo("pong");

            client.send("{\"subscribe\":[\"NASDAQ:AAPL\"],\"data\":[\"quotes\",\"series\",\"ticks\"],\"bt\":[\"1m\"]}");
            assertThat(parse(client.nextText())).isEqualTo(parse(
                    "{\"subscribed\":[\"AAPL\"],\"data\":[\"quotes\",\"series\",\"ticks\"],\"bt\":[\"1m\"]}"));
            server.publish(new Trade(TestServer.CATALOG.find("AAPL").id(), 0, 1_749_462_520_177_003L, 242_89, 200, Side.BUY, 0));
            server.publish(new Quote(TestServer.CATALOG.find("AAPL").id(), 0, 1_749_462_521_000_000L, 243_08, 430, 243_09, 520, 0, 0));
            await().until(() -> client.history().stream().anyMatch(t -> t.contains("\"lt\""))
                    && client.history().stream().anyMatch(t -> t.contains("\"be\""))
                    && client.history().stream().anyMatch(t -> t.contains("\"p\"")));
            JsonNode tick = find(client, "p");
            assertLike(SEED_TICK, tick.toString(), "c");
            assertThat(tick.get("c").asText()).isEqualTo("AAPL");
            assertThat(tick.get("t").decimalValue()).isEqualByComparingTo("1749462520.177003");
            assertThat(raw(client, "\"p\"")).contains("\"t\":1749462520.177003,").contains("\"v\":200.0}");
            JsonNode quote = find(client, "lt");
            assertLike(SEED_QUOTE, quote.toString(), "c");
            assertThat(raw(client, "\"lt\"")).contains("\"lt\":1749462521.0,").contains("\"as\":520.0,");
            assertThat(quote.get("lp").decimalValue()).isEqualByComparingTo("242.89");
            JsonNode series = find(client, "be");
            assertLike(SEED_SERIES, series.toString(), "c");
            assertThat(series.get("be").decimalValue()).isEqualByComparingTo("1749462539");
            assertThat(series.at("/s/0/t").decimalValue()).isEqualByComparingTo("1749462480");
            assertThat(series.at("/s/0/c").decimalValue()).isEqualByComparingTo("242.89");

            client.send("{\"unsubscribe\":[\"AAPL\"]}");
            String answer = client.nextText();
            while (!answer.contains("unsubscribed")) {
                answer = client.nextText(); // data sent before the unsubscribe was read
            }
            assertThat(parse(answer)).isEqualTo(parse("{\"unsubscribed\":[\"AAPL\"]}"));
        }
    }

    /** The raw text of the first message holding {@code marker}: numbers exactly as sent. */
    private static String raw(RawWebSocketClient client, String marker) {
        return client.history().stream().filter(t -> t.contains(marker)).findFirst().orElseThrow();
    }

    private static JsonNode find(RawWebSocketClient client, String field) {
        return client.history().stream().filter(t -> t.startsWith("{")).map(io.tickwire.server.dialect.SeedShapes::parse)
                .filter(m -> m.has(field)).findFirst().orElseThrow();
    }

    @Test
    void pingsAreChargedLikeEveryOtherRequestSoAPingFloodIsRateLimitedThenClosedWith4005() {
        try (RawWebSocketClient client = connect()) {
            // the plan's burst (100), then 200 refusals (server.floodLimit) within the window
            client.sendAll(java.util.Collections.nCopies(1_000, "\"ping\""));
            assertThat(client.awaitClose().code()).isEqualTo(CloseCode.REQUEST_FLOOD.code());
            List<String> received = client.history();
            assertThat(received).contains("\"pong\"");
            assertThat(received).anySatisfy(t -> assertThat(t).contains("\"error\":\"rate_limited\""));
            assertThat(received.stream().filter("\"pong\""::equals).count()).isLessThan(1_000);
        }
    }

    @Test
    void aMissingOrInvalidSessionTokenIsAnErrorAndTheConnectionCloses() {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("X-ZUMO-AUTH", "not-a-session-token"))) {
            try (RawWebSocketClient client = RawWebSocketClient.connect(server.uri("/enterprise/ws"), headers)) {
                assertLike(SEED_ERROR, client.nextText(), "error", "message");
                assertThat(client.awaitClose().code()).isEqualTo(CloseCode.AUTH_FAILED.code());
            }
        }
    }

    @Test
    void malformedUnknownAndInvalidMessagesAreErrorsAndTheSessionGoesOn() {
        try (RawWebSocketClient client = connect()) {
            Map<String, String> cases = new java.util.LinkedHashMap<>();
            cases.put("not json", "malformed_json");
            cases.put("[1]", "invalid_message");
            cases.put("{\"teleport\":true}", "unknown_op");
            cases.put("{\"email\":\"not an address\"}", "invalid_field");
            cases.put("{\"email\":42}", "invalid_field");
            cases.put("{\"subscribe\":[\"NOPE\"]}", "unknown_symbol");
            cases.put("{\"subscribe\":[]}", "invalid_field");
            cases.put("{\"subscribe\":[\"AAPL\"],\"data\":[\"candles\"]}", "unknown_channel");
            cases.put("{\"subscribe\":[\"AAPL\"],\"data\":[\"series\"],\"bt\":[\"7m\"]}", "unknown_period");
            cases.put("{\"unsubscribe\":\"AAPL\"}", "invalid_field");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                client.send(c.getKey());
                JsonNode error = parse(client.nextText());
                assertLike(SEED_ERROR, error.toString(), "error", "message");
                assertThat(error.get("error").asText()).as(c.getKey()).isEqualTo(c.getValue());
            }
            // codes are refused one by one: one error naming the first, the others subscribed
            client.send("{\"subscribe\":[\"NASDAQ:AAPL\",\"NOPE\"],\"data\":[\"quotes\"]}");
            JsonNode error = parse(client.nextText());
            assertThat(error.get("error").asText()).isEqualTo("unknown_symbol");
            assertThat(error.get("message").asText()).contains("NOPE");
            JsonNode subscribed = parse(client.nextText());
            assertThat(subscribed.get("subscribed").toString()).isEqualTo("[\"AAPL\"]");
            client.send("\"ping\"");
            String next;
            do {
                next = client.nextText(); // AAPL's quotes may come first
            } while (!next.startsWith("\""));
            assertThat(next).isEqualTo("\"pong\"");
        }
    }
}
