package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import io.tickwire.testkit.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failover between the servers of a cluster ({@link TickwireClient.Builder#alternateUris}): which
 * address each attempt goes to, with real servers on 127.0.0.1 (each its own connection registry,
 * as the gateways of a cluster), ports nothing listens on and a proxy that cuts connections. The
 * verdicts rest on the addresses of the attempts and on the events, never on how long anything took.
 */
@ExtendWith(NoLeaks.class)
class FailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private TickwireClient client;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    private ServerFixture server() {
        ServerFixture s = ServerFixture.start();
        resources.add(s);
        return s;
    }

    private static URI nowhere() throws Exception {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            return URI.create("ws://127.0.0.1:" + probe.getLocalPort() + "/v1/ws"); // closed again: nothing listens
        }
    }

    /** Holds the only connection the plan {@link ServerFixture#ONE} allows on that server. */
    private RawWebSocketClient fill(ServerFixture s) {
        RawWebSocketClient raw = RawWebSocketClient.connect(s.uri(), Map.of("Authorization", "Bearer " + ServerFixture.SINGLE));
        resources.add(raw);
        raw.expect(ServerMessage.Welcome.class);
        raw.expect(ServerMessage.Authenticated.class);
        return raw;
    }

    private TickwireClient client(String token, URI first, URI... alternates) {
        return recorder.attach(TickwireClient.builder(first)
                        .alternateUris(Arrays.stream(alternates).map(URI::toString).toArray(String[]::new))
                        .credentials(Credentials.token(token))
                        .connectTimeout(Duration.ofSeconds(10))
                        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)))
                .build();
    }

    private List<URI> attempts() {
        return recorder.events(ConnectionEvent.Connecting.class).stream().map(ConnectionEvent.Connecting::uri).toList();
    }

    // ---- rotation -------------------------------------------------------------------------------

    @Test
    void failedAttemptsGoRoundTheAddressesInTurn() throws Exception {
        URI a = nowhere();
        URI b = nowhere();
        client = client(ServerFixture.ALICE, a, b);

        var connecting = client.connect();

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connecting.class) >= 5);
        assertThat(attempts().subList(0, 5)).containsExactly(a, b, a, b, a);
        assertThat(connecting).isNotDone();
        assertThat(recorder.count(ConnectionEvent.Closed.class)).isZero();
    }

    @Test
    void anAddressWhereNothingListensIsPassedOverForTheNext() throws Exception {
        ServerFixture live = server();
        URI dead = nowhere();
        client = client(ServerFixture.ALICE, dead, live.uri());

        assertThat(client.connect()).succeedsWithin(WAIT);

        assertThat(attempts()).containsExactly(dead, live.uri());
        assertThat(recorder.events(ConnectionEvent.Disconnected.class)).singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("connection refused"));
    }

    @Test
    void aDroppedConnectionGoesBackToItsServerFirst() {
        ServerFixture a = server();
        ServerFixture b = server();
        TcpProxy proxy = TcpProxy.start("127.0.0.1", a.port());
        resources.add(proxy);
        client = client(ServerFixture.ALICE, a.uri(proxy.port()), b.uri());
        client.connect().join();

        proxy.cutAll(); // a break of the link, not of the server: it still takes connections

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        assertThat(attempts()).containsExactly(a.uri(proxy.port()), a.uri(proxy.port()));
    }

    // ---- refusals -------------------------------------------------------------------------------

    @Test
    void aServerAtItsConnectionLimitIsPassedOverForTheNext() {
        ServerFixture full = server();
        ServerFixture free = server();
        fill(full);
        client = client(ServerFixture.SINGLE, full.uri(), free.uri());

        assertThat(client.connect()).succeedsWithin(WAIT)
                .satisfies(session -> assertThat(session.account()).isEqualTo("single"));

        assertThat(attempts()).containsExactly(full.uri(), free.uri());
        assertThat(recorder.events(ConnectionEvent.Disconnected.class)).singleElement()
                .satisfies(d -> assertThat(d.closeCode()).isEqualTo(4007));
        assertThat(recorder.count(ConnectionEvent.Closed.class)).isZero();
    }

    @Test
    void anAddressWhoseUpgradeIsRefusedWith404IsPassedOverForTheNext() {
        ServerFixture live = server();
        URI wrongPath = URI.create("ws://127.0.0.1:" + live.port() + "/no-such-path");
        client = client(ServerFixture.ALICE, wrongPath, live.uri());

        assertThat(client.connect()).succeedsWithin(WAIT);

        assertThat(attempts()).containsExactly(wrongPath, live.uri());
        assertThat(recorder.events(ConnectionEvent.Disconnected.class)).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("HTTP 404"));
    }

    @Test
    void aRefusedCredentialEndsTheClientAtOnceWhateverTheAlternates() {
        ServerFixture a = server();
        ServerFixture b = server();
        client = client("not-a-token", a.uri(), b.uri());

        assertThat(client.connect()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(ServerErrorException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTH_FAILED));

        // Closed is the last event a client ever emits, so the list is final once it is there
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Closed.class) == 1);
        assertThat(recorder.events).containsExactly(
                new ConnectionEvent.Connecting(a.uri(), 1),
                new ConnectionEvent.Disconnected(4002, "authentication failed"),
                new ConnectionEvent.Closed(4002, "authentication failed"));
    }

    @Test
    void theClientGivesUpOnceEveryAddressHasRefusedItInARow() {
        ServerFixture a = server();
        ServerFixture b = server();
        fill(a);
        fill(b);
        client = client(ServerFixture.SINGLE, a.uri(), b.uri());

        assertThat(client.connect()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(ServerErrorException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_LIMIT));

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Closed.class) == 1);
        assertThat(attempts()).containsExactly(a.uri(), b.uri());
        assertThat(recorder.events(ConnectionEvent.Disconnected.class)).extracting(ConnectionEvent.Disconnected::closeCode)
                .containsExactly(4007, 4007);
        assertThat(recorder.events(ConnectionEvent.Closed.class)).singleElement()
                .extracting(ConnectionEvent.Closed::closeCode).isEqualTo(4007);
        assertThat(recorder.events.getLast()).isInstanceOf(ConnectionEvent.Closed.class);
    }

    @Test
    void aConnectionInBetweenStartsTheCountOfRefusalsAfresh() {
        ServerFixture live = server();
        URI refusing = URI.create("ws://127.0.0.1:" + live.port() + "/no-such-path"); // 404 every time
        client = client(ServerFixture.ALICE, refusing, live.uri());
        client.connect().join(); // refused at the first address, taken at the second

        live.server().handover(0, null); // the client leaves for the next address: the refusing one again

        // a second refusal there is not "every address in a row": the other one took the client in between
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2
                || recorder.count(ConnectionEvent.Closed.class) > 0);
        assertThat(recorder.count(ConnectionEvent.Closed.class)).isZero();
        assertThat(attempts()).containsExactly(refusing, live.uri(), refusing, live.uri());
    }

    // ---- a server that leaves -------------------------------------------------------------------

    @Test
    void aReconnectHintWithoutAUrlMovesToTheNextAddressAtOnce() {
        ServerFixture a = server();
        ServerFixture b = server();
        client = client(ServerFixture.ALICE, a.uri(), b.uri());
        client.connect().join();

        a.server().handover(0, null); // as a draining gateway does; this one would still take the client

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        assertThat(attempts()).containsExactly(a.uri(), b.uri());
        assertThat(recorder.events(ConnectionEvent.Disconnected.class)).singleElement()
                .satisfies(d -> assertThat(d.closeCode()).isEqualTo(1000));
    }

    @Test
    void aReconnectHintWithAUrlStillGoesThere() {
        ServerFixture a = server();
        ServerFixture b = server();
        ServerFixture named = server();
        client = client(ServerFixture.ALICE, a.uri(), b.uri());
        client.connect().join();

        a.server().handover(0, named.uri().toString());

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        assertThat(attempts()).containsExactly(a.uri(), named.uri());
    }

    @Test
    void aServerGoingAwayIsLeftForTheNextAddressAtOnce() {
        ServerFixture a = server();
        ServerFixture b = server();
        client = client(ServerFixture.ALICE, a.uri(), b.uri());
        client.connect().join();

        a.close(); // 1001, and its port takes no connection any more

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        assertThat(attempts()).as("no attempt at the server that went away").containsExactly(a.uri(), b.uri());
        assertThat(recorder.events(ConnectionEvent.Disconnected.class)).singleElement()
                .satisfies(d -> assertThat(d.closeCode()).isEqualTo(1001));
    }
}
