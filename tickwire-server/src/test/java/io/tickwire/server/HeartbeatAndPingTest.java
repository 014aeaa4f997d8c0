package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Clock;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatAndPingTest {

    @Test
    void pingEchoesAnyJsonPayloadAndHeartbeatsArriveOnAQuietLink() {
        try (TestServer server = TestServer.start(ServerConfig.defaults().withTimings(Duration.ofSeconds(10), Duration.ofMillis(100)),
                Clock.system());
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
}
