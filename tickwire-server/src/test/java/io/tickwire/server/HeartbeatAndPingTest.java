package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Clock;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatAndPingTest {

    private static ServerConfig fastHeartbeats() {
        return ServerConfig.defaults().toBuilder().heartbeatInterval(Duration.ofMillis(100))
                .idleTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void pingEchoesAnyJsonPayloadAndHeartbeatsArriveOnAQuietLink() {
        try (TestServer server = TestServer.start(fastHeartbeats(), Clock.system());
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send("{\"op\":\"ping\",\"id\":\"p1\",\"payload\":{\"t\":1731688569840,\"tag\":[\"a\",1.50]}}");
            ServerMessage.Pong pong = client.awaitMessage(ServerMessage.Pong.class, p -> true);
            assertThat(pong.id()).isEqualTo("p1");
            assertThat(pong.payload()).isEqualTo("{\"t\":1731688569840,\"tag\":[\"a\",1.50]}");
            ServerMessage.Heartbeat first = client.awaitMessage(ServerMessage.Heartbeat.class, h -> true);
            ServerMessage.Heartbeat second = client.awaitMessage(ServerMessage.Heartbeat.class, h -> true);
            assertThat(second.time()).isGreaterThan(first.time());
        }
    }

    @Test
    void aClientThatAnswersPingsStaysConnectedPastTheIdleTimeout() {
        try (TestServer server = TestServer.start(fastHeartbeats(), Clock.system());
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            // 30 heartbeats outlast the 2 s idle timeout: the client only answers the server's WebSocket pings
            for (int i = 0; i < 30; i++) {
                client.awaitMessage(ServerMessage.Heartbeat.class, h -> true);
            }
            client.send(CommandWriter.ping("still", null));
            assertThat(client.awaitMessage(ServerMessage.Pong.class, p -> true).id()).isEqualTo("still");
        }
    }

    @Test
    void aSilentClientIsClosedAsDeadWith4008() {
        try (TestServer server = TestServer.start(fastHeartbeats(), Clock.system());
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.pauseReading(); // stops reading, so never sees nor answers the pings
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(server.server.registry().connections("alice")).isZero());
            client.resumeReading();
            assertThat(client.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4008, CloseCode.IDLE_TIMEOUT.reason()));
        }
    }

    @Test
    void aServerStallLongerThanTheIdleTimeoutDoesNotCloseHealthyClients() {
        // the clock stands still but for one jump: the jump is the server's stall (SIGSTOP, a GC
        // pause), seen by the next heartbeat tick as the time since the previous one
        ManualClock clock = new ManualClock();
        try (TestServer server = TestServer.start(fastHeartbeats(), clock);
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.awaitMessage(ServerMessage.Heartbeat.class, h -> true);
            clock.advance(Duration.ofSeconds(40)); // past the 2 s idle timeout, no pings sent meanwhile
            long resumed = clock.epochMicros();
            // a tick after the stall decided to keep the session: it sent a heartbeat, not a close
            client.awaitMessage(ServerMessage.Heartbeat.class, h -> h.time() >= resumed);
            client.send(CommandWriter.ping("after-stall", null));
            assertThat(client.awaitMessage(ServerMessage.Pong.class, p -> true).id()).isEqualTo("after-stall");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void aLoopLateAtEveryTickStillClosesAClientThatNeverAnswers() {
        ManualClock clock = new ManualClock();
        try (TestServer server = TestServer.start(fastHeartbeats(), clock);
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.awaitMessage(ServerMessage.Heartbeat.class, h -> true);
            client.pauseReading(); // dead from here: no pong, no request
            // every tick comes 40 s after the one before (past the 2 s idle timeout): a stall each time
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                clock.advance(Duration.ofSeconds(40));
                return server.server.openConnections() == 0;
            });
        }
    }
}
