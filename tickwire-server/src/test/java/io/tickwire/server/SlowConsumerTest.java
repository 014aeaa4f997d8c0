package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowConsumerTest {

    @Test
    void aStalledReaderIsClosedWith4004AndOthersKeepEveryMessage() {
        ServerConfig small = ServerConfig.defaults().toBuilder().ioThreads(2)
                .heartbeatInterval(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(20))
                .writeBufferLowWater(16 * 1024).writeBufferHighWater(64 * 1024).maxOutboundBytes(256 * 1024)
                .slowConsumerGrace(Duration.ofSeconds(30)).build();
        try (TestServer server = TestServer.start(small, Clock.system());
             RawWebSocketClient healthy = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient stalled = RawWebSocketClient.connect(server.nativeUri(),
                     Map.of("Authorization", "Bearer " + TestServer.ALICE), 4 * 1024)) {
            stalled.expect(ServerMessage.Welcome.class);
            stalled.expect(ServerMessage.Authenticated.class);
            for (RawWebSocketClient c : List.of(healthy, stalled)) {
                c.send(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.TRADE)));
                c.expect(ServerMessage.Subscribed.class);
            }
            stalled.pauseReading();

            int published = 0;
            int received = 0;
            // Publish in rounds until the server gives up on the stalled reader; the healthy one reads along.
            while (server.server.registry().connections("alice") > 1 && published < 2_000_000) {
                for (int i = 0; i < 1_000; i++) {
                    server.trade("BTCUSDT", 1_000 + (++published));
                }
                for (; received < published; received++) {
                    assertThat(healthy.expect(ServerMessage.Trade.class).seq()).isEqualTo(received + 1);
                }
            }
            await().untilAsserted(() -> assertThat(server.server.registry().connections("alice")).isEqualTo(1));
            stalled.resumeReading();
            assertThat(stalled.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4004, CloseCode.SLOW_CONSUMER.reason()));
            healthy.send(CommandWriter.ping("p", null));
            assertThat(healthy.awaitMessage(ServerMessage.Pong.class, p -> true).id()).isEqualTo("p");
        }
    }
}
