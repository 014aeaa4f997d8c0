package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Clock;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Admission control for reconnect storms, and the planned handover on shutdown. */
class AdmissionAndDrainTest {

    @Test
    void connectionsBeyondTheAdmissionRateAreToldWhenToRetry() throws Exception {
        ServerConfig config = ServerConfig.defaults().toBuilder().admissionRate(1).admissionBurst(2).build();
        try (TestServer server = TestServer.start(config, new ManualClock()); // frozen: the bucket does not refill mid-test
             RawWebSocketClient first = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient second = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient third = RawWebSocketClient.connect(server.nativeUri())) {
            RawWebSocketClient.Close close = third.awaitClose();
            assertThat(close.code()).isEqualTo(CloseCode.TRY_AGAIN_LATER.code());
            assertThat(close.reason()).matches("server busy admitting connections: retry after \\d+ ms");
            long hint = Long.parseLong(close.reason().replaceAll("\\D+", ""));
            assertThat(hint).isBetween(1L, 2_000L);
            first.send("{\"op\":\"ping\",\"id\":\"p\"}"); // the admitted ones are served as before
            assertThat(first.awaitMessage(ServerMessage.Pong.class, p -> true)).isNotNull();
            assertThat(metrics(server)).contains("tickwire_connections_turned_away_total 1.0");
        }
    }

    @Test
    void aServerStartedHeldTurnsEveryoneAwayAndReportsStartingUntilItAdmits() throws Exception {
        try (TestServer server = TestServer.startHeld("catching up with the cluster topic")) {
            try (RawWebSocketClient early = RawWebSocketClient.connect(server.nativeUri())) {
                RawWebSocketClient.Close close = early.awaitClose();
                assertThat(close.code()).isEqualTo(CloseCode.TRY_AGAIN_LATER.code());
                assertThat(close.reason()).matches("catching up with the cluster topic: retry after \\d+ ms");
            }
            java.net.http.HttpResponse<String> starting = health(server);
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.body()).contains("\"status\":\"starting\"", "\"starting\":\"catching up with the cluster topic\"");

            server.server.admitConnections();
            try (RawWebSocketClient admitted = server.connectAuthenticated(TestServer.ALICE)) {
                admitted.send("{\"op\":\"ping\",\"id\":\"p\"}");
                assertThat(admitted.awaitMessage(ServerMessage.Pong.class, p -> true)).isNotNull();
            }
            java.net.http.HttpResponse<String> ok = health(server);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"status\":\"ok\"").doesNotContain("\"starting\"");
        }
    }

    private static java.net.http.HttpResponse<String> health(TestServer server) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.server.port() + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static String metrics(TestServer server) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.server.port() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aTurnedAwayClientThatNeverAnswersTheCloseIsCutAnyway() throws Exception {
        ServerConfig config = ServerConfig.defaults().toBuilder().admissionRate(1).admissionBurst(1).build();
        try (TestServer server = TestServer.start(config, new ManualClock()); // frozen: the bucket does not refill mid-test
             RawWebSocketClient first = server.connectAuthenticated(TestServer.ALICE);
             java.net.Socket silent = new java.net.Socket("127.0.0.1", server.server.port())) {
            silent.setSoTimeout(30_000); // a guard against a hang, not the verdict
            silent.getOutputStream().write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // it reads the 101 and the 1013 close frame, never answers, and must still see the end of the stream
            byte[] all = silent.getInputStream().readAllBytes();

            String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 101").contains("retry after");
            first.send("{\"op\":\"ping\",\"id\":\"p\"}");
            assertThat(first.awaitMessage(ServerMessage.Pong.class, p -> true)).isNotNull();
        }
    }

    @Test
    void aDrainingServerAsksClientsToMoveThenClosesWithGoingAway() {
        ServerConfig config = ServerConfig.defaults().toBuilder().drainPeriod(Duration.ofMillis(600)).build();
        try (TestServer server = TestServer.start(config, Clock.system());
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> server.server.drain("ws://elsewhere:8080/v1/ws"));
            ServerMessage.Reconnect hint = client.awaitMessage(ServerMessage.Reconnect.class, r -> true);
            assertThat(hint.afterMs()).isBetween(0L, 300L);
            assertThat(hint.url()).isEqualTo("ws://elsewhere:8080/v1/ws");
            assertThat(hint.reason()).isEqualTo("server draining: reconnect and resume");
            drained.join(); // this client did not leave: the drain period ran out
            server.server.close();
            RawWebSocketClient.Close close = client.awaitClose();
            assertThat(close.code()).isEqualTo(CloseCode.GOING_AWAY.code());
        }
    }

    @Test
    void theHandoverEndpointWantsTheAdminTokenAndAValidSpread() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (TestServer plain = TestServer.start()) { // no admin token configured: no such resource
            assertThat(post(http, plain, "/admin/handover", "anything").statusCode()).isEqualTo(404);
        }
        ServerConfig config = ServerConfig.defaults().toBuilder()
                .adminTokenHash(io.tickwire.auth.token.TokenHash.of("the-admin")).build();
        try (TestServer server = TestServer.start(config, Clock.system());
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            java.net.http.HttpResponse<String> wrong = post(http, server, "/admin/handover", "not-the-admin");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("auth_failed");
            java.net.http.HttpResponse<String> bad = post(http, server, "/admin/handover?spreadMs=-3", "the-admin");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("invalid_field");
            java.net.http.HttpResponse<String> asked = post(http, server, "/admin/handover?spreadMs=0", "the-admin");
            assertThat(asked.statusCode()).isEqualTo(202);
            assertThat(asked.body()).isEqualTo("{\"connections\":1,\"spreadMs\":0}");
            ServerMessage.Reconnect hint = client.awaitMessage(ServerMessage.Reconnect.class, r -> true);
            assertThat(hint.afterMs()).isZero();
            assertThat(hint.reason()).as("the server is not draining").isEqualTo("handover requested by the operator: reconnect and resume");
        }
    }

    private static java.net.http.HttpResponse<String> post(java.net.http.HttpClient http, TestServer server, String path,
                                                           String token) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.server.port()
                        + path)).header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
