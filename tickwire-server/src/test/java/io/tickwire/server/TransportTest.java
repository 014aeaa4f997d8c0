package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every socket transport the server offers carries the same session: answers, snapshots, live trades, in order. */
class TransportTest {

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring", "nio"})
    void aSubscriberGetsItsSnapshotAndEveryTradeInOrderOnEachTransport(String transport) {
        assumeTrue(!transport.equals("epoll") || Epoll.isAvailable(), "epoll does not load here: " + Epoll.unavailabilityCause());
        assumeTrue(!transport.equals("io_uring") || IoUring.isAvailable(),
                "io_uring does not load here: " + IoUring.unavailabilityCause());
        ServerConfig config = ServerConfig.defaults().toBuilder().transport(transport).build();
        try (TestServer server = TestServer.start(config, Clock.system())) {
            assertThat(server.server.transportName()).isEqualTo(transport);
            server.quote("BTCUSDT", 6_700_000, 6_700_100);
            try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
                client.send(CommandWriter.subscribe("s1", List.of("BTCUSDT"), List.of(Channel.QUOTE, Channel.TRADE)));
                assertThat(client.expect(ServerMessage.Subscribed.class).id()).isEqualTo("s1");
                assertThat(client.expect(ServerMessage.Quote.class).snapshot()).isTrue();
                for (int i = 1; i <= 200; i++) {
                    server.trade("BTCUSDT", 6_700_000 + i);
                }
                for (int i = 1; i <= 200; i++) { // quote updates and heartbeats may come between trades
                    assertThat(client.awaitMessage(ServerMessage.Trade.class, t -> true).seq()).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void anUnknownTransportIsRefusedByName() {
        assertThatThrownBy(() -> ServerConfig.defaults().toBuilder().transport("kqueue").build())
                .hasMessageContaining("transport must be one of [auto, epoll, io_uring, nio], was kqueue");
    }
}
