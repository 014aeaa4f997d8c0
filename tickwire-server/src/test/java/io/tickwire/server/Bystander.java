package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Channel;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.util.List;

/**
 * A well-behaved native client, subscribed to MSFT trades, next to the connections a bad-input test
 * misbehaves on: {@link #assertStillServed} checks that it still gets its data and its answers.
 */
final class Bystander implements AutoCloseable {

    private final TestServer server;
    private final RawWebSocketClient client;

    private Bystander(TestServer server) {
        this.server = server;
        this.client = server.connectAuthenticated(TestServer.ALICE);
        client.send(CommandWriter.subscribe("b", List.of("MSFT"), List.of(Channel.TRADE)));
        client.expect(ServerMessage.Subscribed.class);
    }

    /** Connects and subscribes a bystander to {@code server}. */
    static Bystander on(TestServer server) {
        return new Bystander(server);
    }

    /** A trade published now reaches the bystander, and a ping is answered. */
    void assertStillServed() {
        server.trade("MSFT", 4_200_00);
        assertThat(nextBesidesHeartbeats()).isInstanceOfSatisfying(ServerMessage.Trade.class,
                t -> assertThat(t.symbol()).isEqualTo("MSFT"));
        client.send(CommandWriter.ping("alive", null));
        assertThat(nextBesidesHeartbeats()).isInstanceOfSatisfying(ServerMessage.Pong.class,
                p -> assertThat(p.id()).isEqualTo("alive"));
        assertThat(client.isOpen()).isTrue();
    }

    /** The next message other than a heartbeat (one comes every few seconds in a longer test). */
    private ServerMessage nextBesidesHeartbeats() {
        ServerMessage message;
        do {
            message = client.next();
        } while (message instanceof ServerMessage.Heartbeat);
        return message;
    }

    @Override
    public void close() {
        client.close();
    }
}
