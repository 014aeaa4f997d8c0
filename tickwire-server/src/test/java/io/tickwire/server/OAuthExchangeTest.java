package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.OidcProvider;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's enterprise flow end to end: a client-credentials token from a real OpenID Connect
 * provider on loopback, exchanged over HTTP for a session token, which opens a WebSocket in the
 * X-ZUMO-AUTH header.
 */
class OAuthExchangeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OidcProvider provider;

    @BeforeAll
    static void startProvider() {
        provider = OidcProvider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(System.currentTimeMillis()));
    private final HttpClient http = HttpClient.newHttpClient();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAccessTokenBecomesASessionTokenThatOpensTheWebSocketUntilItExpires() throws Exception {
        server = TestServer.start(ServerConfig.defaults().toBuilder().heartbeatInterval(Duration.ofMinutes(5))
                .idleTimeout(Duration.ofHours(1)).build(), clock, new AuthFixture(clock).serverAuth(provider.issuer("corp")));
        String accessToken = provider.clientCredentialsToken("corp", "corp-client", "tickwire");
        HttpResponse<String> response = post("/.auth/login/aad", "{\"access_token\":\"" + accessToken + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        String sessionToken = body.get("authenticationToken").asText();
        assertThat(body.at("/user/userId").asText()).matches("sid:[0-9a-f]{32}");

        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri(), Map.of("X-ZUMO-AUTH", sessionToken))) {
            assertThat(client.expect(ServerMessage.Welcome.class).account()).isEqualTo("corp");
            ServerMessage.Authenticated ok = client.expect(ServerMessage.Authenticated.class);
            assertThat(ok.scheme()).isEqualTo("session");
            assertThat(ok.expiresAt()).isEqualTo(body.get("expiresAt").asLong())
                    .isEqualTo(clock.epochMicros() + Duration.ofDays(30).toNanos() / 1_000);
            // seconds for clients that count down: expiresAt is in microseconds, unlike the dialect's times
            assertThat(body.get("expiresIn").asLong()).isEqualTo(Duration.ofDays(30).toSeconds());
        }
        clock.advance(Duration.ofDays(30));
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri(), Map.of("X-ZUMO-AUTH", sessionToken))) {
            client.expect(ServerMessage.Welcome.class);
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.CREDENTIAL_EXPIRED);
            assertThat(client.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4006, CloseCode.CREDENTIAL_EXPIRED.reason()));
        }
    }

    @Test
    void oneAccessTokenExchangedOverAndOverKeepsTwentySessionTokensAndTheOldestsSessionIsClosed() throws Exception {
        server = TestServer.start(ServerConfig.defaults().toBuilder().heartbeatInterval(Duration.ofMinutes(5))
                .idleTimeout(Duration.ofHours(1)).build(), clock, new AuthFixture(clock).serverAuth(provider.issuer("corp")));
        String exchange = "{\"access_token\":\"" + provider.clientCredentialsToken("corp", "corp-client", "tickwire") + "\"}";
        String first = JSON.readTree(post("/.auth/login/aad", exchange).body()).get("authenticationToken").asText();
        try (RawWebSocketClient oldest = RawWebSocketClient.connect(server.nativeUri(), Map.of("X-ZUMO-AUTH", first))) {
            oldest.expect(ServerMessage.Welcome.class);
            oldest.expect(ServerMessage.Authenticated.class);
            for (int i = 1; i < 20; i++) {
                assertThat(post("/.auth/login/aad", exchange).statusCode()).isEqualTo(200);
            }
            oldest.send(CommandWriter.ping("p", null));
            assertThat(oldest.expect(ServerMessage.Pong.class).id()).as("twenty live: all kept").isEqualTo("p");

            String newest = JSON.readTree(post("/.auth/login/aad", exchange).body()).get("authenticationToken").asText();
            assertThat(oldest.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
            assertThat(oldest.awaitClose().code()).isEqualTo(4002);
            try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri(), Map.of("X-ZUMO-AUTH", newest))) {
                client.expect(ServerMessage.Welcome.class);
                assertThat(client.expect(ServerMessage.Authenticated.class).account()).isEqualTo("corp");
            }
        }
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri(), Map.of("X-ZUMO-AUTH", first))) {
            client.expect(ServerMessage.Welcome.class);
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).as("the oldest token is gone").isEqualTo(ErrorCode.AUTH_FAILED);
        }
    }

    @Test
    void repeatedRefusalsBanTheAddressAndAnUnreachableProviderIs503() throws Exception {
        server = TestServer.start(ServerConfig.defaults(), clock, new AuthFixture(clock).serverAuth(provider.issuer("corp")));
        String stranger = "{\"access_token\":\"" + provider.clientCredentialsToken("corp", "stranger", "tickwire") + "\"}";
        for (int i = 0; i < 10; i++) { // auth.maxFailures
            assertThat(JSON.readTree(post("/.auth/login/aad", stranger).body()).get("error").asText()).isEqualTo("auth_failed");
        }
        String good = "{\"access_token\":\"" + provider.clientCredentialsToken("corp", "corp-client", "tickwire") + "\"}";
        HttpResponse<String> banned = post("/.auth/login/aad", good); // even a good token, while the ban lasts
        assertThat(banned.statusCode()).isEqualTo(429);
        JsonNode body = JSON.readTree(banned.body());
        assertThat(body.get("error").asText()).isEqualTo("too_many_failures");
        assertThat(body.get("retryAfterMs").asLong()).isPositive();
        server.close();

        // a provider that cannot be reached: the client is told to retry, not that its token is bad
        server = TestServer.start(ServerConfig.defaults(), clock, new AuthFixture(clock).serverAuth(
                URI.create("http://127.0.0.1:" + unusedPort() + "/corp")));
        HttpResponse<String> unreachable = post("/.auth/login/aad", good);
        assertThat(unreachable.statusCode()).as(unreachable.body()).isEqualTo(503);
        assertThat(JSON.readTree(unreachable.body()).get("error").asText()).isEqualTo("server_busy");
    }

    private static int unusedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort(); // closed again at once: nothing listens there
        }
    }

    @Test
    void shouldRefuseBadRequestsAndBadTokensWithStableCodes() throws Exception {
        server = TestServer.start(ServerConfig.defaults(), clock, new AuthFixture(clock).serverAuth(provider.issuer("corp")));
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.port()
                + "/.auth/login/aad")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(post("/.auth/login/aad", "not json").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = post("/.auth/login/aad", "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).get("error").asText()).isEqualTo("invalid_field");

        HttpResponse<String> wrongAudience = post("/.auth/login/aad", "{\"access_token\":\""
                + provider.clientCredentialsToken("corp", "corp-client", "someone-else") + "\"}");
        assertThat(wrongAudience.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrongAudience.body()).get("error").asText()).isEqualTo("jwt_invalid");
        HttpResponse<String> unmapped = post("/.auth/login/aad", "{\"access_token\":\""
                + provider.clientCredentialsToken("corp", "stranger", "tickwire") + "\"}");
        assertThat(JSON.readTree(unmapped.body()).get("error").asText()).isEqualTo("auth_failed");

        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri(), Map.of("X-ZUMO-AUTH", "tws_forged"))) {
            client.expect(ServerMessage.Welcome.class);
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.AUTH_FAILED);
            assertThat(client.awaitClose().code()).isEqualTo(4002);
        }
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri())) {
            client.expect(ServerMessage.Welcome.class);
            client.send(CommandWriter.authSession("s", "tws_forged"));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.AUTH_FAILED);
        }
    }
}
