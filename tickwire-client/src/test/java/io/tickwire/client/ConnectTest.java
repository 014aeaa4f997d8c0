package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class ConnectTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ServerFixture server;
    private TickwireClient client;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() {
        server = ServerFixture.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private TickwireClient client(String token) {
        return recorder.attach(TickwireClient.builder(server.uri())
                        .credentials(Credentials.token(token))
                        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)))
                .build();
    }

    @Test
    void shouldConnectAndAuthenticate() {
        client = client(ServerFixture.ALICE);

        SessionInfo session = client.connect().join();

        assertThat(session.account()).isEqualTo("alice");
        assertThat(session.plan()).isEqualTo("pro");
        assertThat(session.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(session.channels()).containsExactlyInAnyOrder(Channel.QUOTE, Channel.TRADE, Channel.BOOK, Channel.BAR);
        assertThat(session.maxSymbols()).isEqualTo(10);
        assertThat(session.sessionId()).hasSize(24);
        assertThat(recorder.events).containsExactly(
                new ConnectionEvent.Connecting(server.uri(), 1),
                new ConnectionEvent.Connected(session, List.of()));
        assertThat(client.connect()).as("a later call reports the same outcome").succeedsWithin(WAIT).isEqualTo(session);
        await().atMost(WAIT).until(() -> server.server().registry().connections("alice") == 1);
    }

    @Test
    void shouldFailWithAuthFailedForAWrongTokenAndNotReconnect() {
        client = client("not-a-token");

        assertThat(client.connect()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo("auth_failed");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTH_FAILED);
                    assertThat(e.getMessage()).doesNotContain("not-a-token");
                });

        // Closed is the last event a client ever emits, so the list is final once it is there
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Closed.class) == 1);
        assertThat(recorder.events).containsExactly(
                new ConnectionEvent.Connecting(server.uri(), 1),
                new ConnectionEvent.Disconnected(4002, "authentication failed"),
                new ConnectionEvent.Closed(4002, "authentication failed"));
        assertThat(client.subscribe(List.of("BTCUSDT"), Channel.QUOTE)).as("the client has stopped").failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TickwireException.class);
    }

    @Test
    void shouldStopAtTheConnectionLimitInsteadOfRetrying() {
        try (RawWebSocketClient first = RawWebSocketClient.connect(server.uri(),
                Map.of("Authorization", "Bearer " + ServerFixture.SINGLE))) {
            first.expect(io.tickwire.protocol.v1.ServerMessage.Welcome.class);
            first.expect(io.tickwire.protocol.v1.ServerMessage.Authenticated.class);
            client = client(ServerFixture.SINGLE);

            assertThat(client.connect()).failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_LIMIT);
                        assertThat(e.limit()).isEqualTo(1);
                    });
            await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Closed.class) == 1);
            assertThat(recorder.count(ConnectionEvent.Reconnecting.class)).isZero();
            assertThat(recorder.events(ConnectionEvent.Closed.class)).singleElement()
                    .extracting(ConnectionEvent.Closed::closeCode).isEqualTo(4007);
        }
    }

    @Test
    void shouldStopWhenTheServerEndsTheSessionNormallyAsAFinishedReplayDoes() {
        client = client(ServerFixture.ALICE);
        assertThat(client.connect()).succeedsWithin(WAIT);
        server.server().close(io.tickwire.protocol.CloseCode.NORMAL, "replay finished");
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Closed.class) == 1);
        assertThat(recorder.count(ConnectionEvent.Reconnecting.class)).isZero();
        assertThat(recorder.events(ConnectionEvent.Closed.class)).singleElement()
                .extracting(ConnectionEvent.Closed::closeCode).isEqualTo(1000);
    }

    @Test
    void shouldStopWhenTheServerRefusesTheUpgradeWithA4xx() {
        client = recorder.attach(TickwireClient.builder("ws://127.0.0.1:" + server.port() + "/v0/nothing-here")
                        .credentials(Credentials.token(ServerFixture.ALICE)))
                .build();

        assertThat(client.connect()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(ConnectionException.class,
                        e -> assertThat(e.getMessage()).contains("HTTP 404"));
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Closed.class) == 1);
        assertThat(recorder.count(ConnectionEvent.Reconnecting.class)).isZero();
    }

    @Test
    void shouldKeepTryingWhileNoServerListensThenConnect() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort(); // free once closed; nothing listens there
        }
        client = recorder.attach(TickwireClient.builder(server.uri(port))
                        .credentials(Credentials.token(ServerFixture.ALICE))
                        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(20)))
                .build();

        var connecting = client.connect();

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Reconnecting.class) >= 3);
        assertThat(connecting).isNotDone();
        // each attempt says what is wrong, so a user who started no server (or mistyped the port)
        // reads it from the first Disconnected rather than a 1006 "closed during the handshake"
        assertThat(recorder.events(ConnectionEvent.Disconnected.class)).isNotEmpty()
                .allSatisfy(d -> assertThat(d).isEqualTo(new ConnectionEvent.Disconnected(ConnectionEvent.ABNORMAL_CLOSURE,
                        "connection refused: is a server running at " + server.uri(port) + "?")));
        assertThat(recorder.events(ConnectionEvent.Reconnecting.class))
                .allSatisfy(r -> assertThat(r.delay()).isBetween(Duration.ofMillis(10), Duration.ofMillis(20)));
    }

    @Test
    void shouldMeasureAPingRoundTrip() {
        client = client(ServerFixture.ALICE);
        client.connect().join();

        assertThat(client.ping()).succeedsWithin(WAIT).satisfies(rtt -> assertThat(rtt).isPositive());
    }

    @Test
    void pingFailsWhenNotConnected() {
        client = client(ServerFixture.ALICE);

        assertThat(client.ping()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionException.class);
    }
}
