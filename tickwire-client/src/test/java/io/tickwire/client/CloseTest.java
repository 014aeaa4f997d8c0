package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class CloseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ServerFixture server;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() {
        server = ServerFixture.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TickwireClient client() {
        return recorder.attach(TickwireClient.builder(server.uri()).credentials(Credentials.token(ServerFixture.ALICE)))
                .build();
    }

    @Test
    void closeEndsTheSessionCleanlyReleasesThreadsAndIsIdempotent() {
        TickwireClient client = client();
        client.connect().join();
        client.subscribe(List.of("BTCUSDT"), Channel.QUOTE).join();
        await().atMost(WAIT).until(() -> server.server().openConnections() == 1);

        client.close();
        client.close();

        assertThat(recorder.events.get(recorder.events.size() - 1))
                .isEqualTo(new ConnectionEvent.Closed(1000, "closed by the client"));
        assertThat(recorder.count(ConnectionEvent.Closed.class)).isEqualTo(1);
        assertThat(recorder.count(ConnectionEvent.Reconnecting.class)).isZero();
        await().atMost(WAIT).until(() -> server.server().openConnections() == 0);
        await().atMost(WAIT).until(() -> server.server().registry().connections("alice") == 0);
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("tickwire-client") && t.isAlive()));
        assertThat(client.subscribe(List.of("BTCUSDT"), Channel.QUOTE)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionException.class);
        assertThat(client.connect()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionException.class);
    }

    @Test
    void closeFailsPendingFutures() {
        TickwireClient client = client();
        var waiting = client.subscribe(List.of("BTCUSDT"), Channel.QUOTE); // held until connected, which never happens

        client.close();

        assertThat(waiting).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.closeCode()).isEqualTo(1000));
        assertThat(recorder.events).containsExactly(new ConnectionEvent.Closed(1000, "closed by the client"));
    }

    @Test
    void closeDuringConnectFailsTheConnectFuture() {
        TickwireClient client = client();
        var connecting = client.connect();

        client.close();

        assertThat(connecting).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionException.class);
    }

    @Test
    void closeLeavesAGroupPassedInRunning() {
        var group = new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory());
        try {
            TickwireClient client = recorder.attach(TickwireClient.builder(server.uri())
                    .credentials(Credentials.token(ServerFixture.ALICE))
                    .eventLoopGroup(group)).build();
            client.connect().join();

            client.close();

            assertThat(group.isShuttingDown()).isFalse();
            assertThat(recorder.events.get(recorder.events.size() - 1)).isInstanceOf(ConnectionEvent.Closed.class);
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void closeFromACallbackDoesNotDeadlock() {
        TickwireClient[] holder = new TickwireClient[1];
        TickwireClient client = TickwireClient.builder(server.uri())
                .credentials(Credentials.token(ServerFixture.ALICE))
                .onConnectionEvent(e -> {
                    recorder.events.add(e);
                    if (e instanceof ConnectionEvent.Connected) {
                        holder[0].close();
                    }
                })
                .build();
        holder[0] = client;

        client.connect();

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Closed.class) == 1);
        client.close();
        await().atMost(WAIT).until(() -> server.server().openConnections() == 0);
    }
}
