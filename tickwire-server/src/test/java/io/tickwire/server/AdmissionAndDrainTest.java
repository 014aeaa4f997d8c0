package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Clock;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Admission control for reconnect storms, and the planned handover on shutdown. */
class AdmissionAndDrainTest {

    @Test
    void connectionsBeyondTheAdmissionRateAreToldWhenToRetry() {
        ServerConfig config = ServerConfig.defaults().toBuilder().admissionRate(1).admissionBurst(2).build();
        try (TestServer server = TestServer.start(config, Clock.system());
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
            drained.join(); // this client did not leave: the drain period ran out
            server.server.close();
            RawWebSocketClient.Close close = client.awaitClose();
            assertThat(close.code()).isEqualTo(CloseCode.GOING_AWAY.code());
        }
    }
}
