package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import io.tickwire.testkit.TcpProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Network failures, dead links and server restarts, with a real server and a fault-injecting proxy. */
@ExtendWith(NoLeaks.class)
class ReconnectTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private ServerFixture server;
    private TcpProxy proxy;
    private TickwireClient client;
    private RawWebSocketClient observer;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (observer != null) {
            observer.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private TickwireClient.Builder builder(int port) {
        return recorder.attach(TickwireClient.builder(server.uri(port))
                .credentials(Credentials.token(ServerFixture.ALICE))
                .connectTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
    }

    @Test
    void shouldResumeTradesMissedWhileDisconnectedWithoutAGapOrADuplicate() {
        server = ServerFixture.start();
        proxy = TcpProxy.start("127.0.0.1", server.port());
        observer = server.observer(List.of("BTCUSDT"), List.of(Channel.TRADE));
        client = builder(proxy.port()).build();
        client.connect().join();
        client.subscribe(List.of("BTCUSDT"), Channel.TRADE).join();
        for (int i = 1; i <= 3; i++) {
            server.trade("BTCUSDT", 6_700_000 + i);
        }
        await().atMost(WAIT).until(() -> recorder.trades.size() == 3);

        // cut the connection; a frozen proxy holds the reconnect attempts until we let them through
        proxy.freeze();
        proxy.cutAll();
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Disconnected.class) == 1);
        for (int i = 4; i <= 6; i++) {
            server.trade("BTCUSDT", 6_700_000 + i);
        }
        observer.awaitMessage(ServerMessage.Trade.class, t -> t.seq() == 6); // sequenced while the client was away
        proxy.unfreeze();
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        server.trade("BTCUSDT", 6_700_007);

        await().atMost(WAIT).until(() -> recorder.trades.size() == 7);
        assertThat(recorder.tradeSeqs("BTCUSDT")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L); // the break replayed
        assertThat(recorder.gaps).isEmpty();
        assertThat(recorder.events(ConnectionEvent.Resumed.class))
                .containsExactly(new ConnectionEvent.Resumed("BTCUSDT", Channel.TRADE, "exact", 3, 0, 0));
        assertThat(client.droppedDuplicates()).isZero();
        assertThat(recorder.events(ConnectionEvent.Reconnecting.class)).isNotEmpty();
        assertThat(recorder.events(ConnectionEvent.Connected.class).get(1).notRestored()).isEmpty();
    }

    @Test
    void shouldReconnectAndResubscribeByItselfWhenTheServerRestarts() {
        server = ServerFixture.start();
        client = builder(server.port()).build();
        client.connect().join();
        client.subscribe(List.of("BTCUSDT"), Channel.QUOTE, Channel.TRADE).join();
        server.quote("BTCUSDT", 6_700_000, 6_700_100);
        server.trade("BTCUSDT", 6_700_100);
        await().atMost(WAIT).until(() -> recorder.quotes.size() == 1 && recorder.trades.size() == 1);

        server.restart();
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        server.quote("BTCUSDT", 6_800_000, 6_800_100);
        server.trade("BTCUSDT", 6_800_100);

        await().atMost(WAIT).until(() -> recorder.quotes.size() == 2 && recorder.trades.size() == 2);
        List<ConnectionEvent> events = recorder.events.stream()
                .filter(e -> !(e instanceof ConnectionEvent.Resumed)).toList();
        List<ConnectionEvent> afterFirstConnect = events.subList(2, events.size());
        assertThat(afterFirstConnect.get(0)).isEqualTo(new ConnectionEvent.Disconnected(1001, "server shutting down"));
        assertThat(afterFirstConnect.get(1)).isInstanceOf(ConnectionEvent.Reconnecting.class);
        assertThat(afterFirstConnect.get(afterFirstConnect.size() - 1)).isInstanceOf(ConnectionEvent.Connected.class);
        assertThat(afterFirstConnect).noneMatch(e -> e instanceof ConnectionEvent.Closed);
        // the new server numbers its streams from 1 again: reported, and the new numbering adopted
        assertThat(recorder.tradeSeqs("BTCUSDT")).containsExactly(1L, 1L);
        assertThat(recorder.quoteSeqs("BTCUSDT")).containsExactly(1L, 1L);
        assertThat(recorder.gaps).containsExactlyInAnyOrder(
                new Gap("BTCUSDT", Channel.QUOTE, 2, 1), new Gap("BTCUSDT", Channel.TRADE, 2, 1));
        assertThat(recorder.gaps).allMatch(Gap::restarted);
        // the new server cannot know the old numbers: it says so rather than pretend the resume was exact
        assertThat(recorder.events(ConnectionEvent.Resumed.class)).extracting(ConnectionEvent.Resumed::mode)
                .containsExactlyInAnyOrder("gap", "snapshot");
    }

    @Test
    void shouldDeclareASilentLinkDeadAndReconnect() {
        server = ServerFixture.start(Duration.ofMillis(100));
        proxy = TcpProxy.start("127.0.0.1", server.port());
        client = builder(proxy.port()).heartbeatTolerance(20).build(); // 2 s: long enough for a stalled machine
        client.connect().join();
        client.subscribe(List.of("AAPL"), Channel.QUOTE).join();

        proxy.freeze();

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Disconnected.class) == 1);
        ConnectionEvent.Disconnected dead = recorder.events(ConnectionEvent.Disconnected.class).get(0);
        assertThat(dead.closeCode()).isEqualTo(ConnectionEvent.ABNORMAL_CLOSURE);
        assertThat(dead.reason()).startsWith("heartbeat timeout: nothing received for 2000 ms");

        proxy.unfreeze();
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        server.quote("AAPL", 22_500, 22_510);
        await().atMost(WAIT).until(() -> recorder.quotes.size() == 1);
        assertThat(recorder.quotes.get(0).symbol()).isEqualTo("AAPL");
    }

    @Test
    void aStreamBehindTheServersHeartbeatIsReportedStaleAndResumed() {
        server = ServerFixture.start(Duration.ofMillis(100));
        java.util.concurrent.atomic.AtomicInteger tradeFrames = new java.util.concurrent.atomic.AtomicInteger();
        client = builder(server.port())
                .heartbeatTolerance(50) // the dead-link timeout out of the way: one connection throughout unless stale
                // the link loses the third trade, and nothing follows it: only the heartbeat can tell
                .inboundFrames(f -> f.startsWith("{\"type\":\"trade\"") && tradeFrames.incrementAndGet() == 3 ? null : f)
                .build();
        client.connect().join();
        client.subscribe(List.of("BTCUSDT"), Channel.TRADE).join();
        for (int i = 1; i <= 3; i++) {
            server.trade("BTCUSDT", 6_700_000 + i);
        }
        await().atMost(WAIT).until(() -> recorder.trades.size() == 3);
        assertThat(recorder.tradeSeqs("BTCUSDT")).containsExactly(1L, 2L, 3L);
        assertThat(recorder.events(ConnectionEvent.StreamStatus.class))
                .containsExactly(new ConnectionEvent.StreamStatus("BTCUSDT", Channel.TRADE, true,
                        recorder.trades.get(1).eventTimeMicros()));
        assertThat(recorder.events(ConnectionEvent.Resumed.class)).extracting(ConnectionEvent.Resumed::mode)
                .containsExactly("exact");
        assertThat(recorder.gaps).isEmpty();
    }

    @Test
    void shouldFollowAHandoverToTheUrlItNamesAndLeaveWithACleanClose() {
        server = ServerFixture.start();
        try (ServerFixture next = ServerFixture.start()) {
            client = builder(server.port()).build();
            client.connect().join();
            client.subscribe(List.of("BTCUSDT"), Channel.TRADE).join();

            server.server().handover(0, next.uri().toString());

            await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
            assertThat(recorder.events(ConnectionEvent.Connecting.class).get(1).uri()).isEqualTo(next.uri());
            assertThat(recorder.events(ConnectionEvent.Disconnected.class))
                    .as("the client left as asked, with a close handshake, not an aborted socket")
                    .singleElement().satisfies(d -> assertThat(d.closeCode()).isEqualTo(1000));
            next.trade("BTCUSDT", 6_700_001);
            await().atMost(WAIT).until(() -> recorder.trades.size() == 1); // subscribed again on the new server
            client.close();
        }
    }

    @Test
    void aHandoverToAnAddressThatRefusesTheClientFallsBackToTheConfiguredOneInsteadOfGivingUp() {
        server = ServerFixture.start();
        client = builder(server.port()).build();
        client.connect().join();
        client.subscribe(List.of("BTCUSDT"), Channel.TRADE).join();

        java.net.URI nowhere = java.net.URI.create("ws://127.0.0.1:" + server.port() + "/no-such-path");
        server.server().handover(0, nowhere.toString()); // answered 404: a refusal that would end the client

        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        List<ConnectionEvent.Connecting> attempts = recorder.events(ConnectionEvent.Connecting.class);
        assertThat(attempts.get(1).uri()).isEqualTo(nowhere);
        assertThat(attempts.getLast().uri()).isEqualTo(server.uri());
        assertThat(recorder.count(ConnectionEvent.Closed.class)).isZero();
        server.trade("BTCUSDT", 6_700_001);
        await().atMost(WAIT).until(() -> recorder.trades.size() == 1);
        client.close();
    }

    @Test
    void aServerRestartedWithoutAStoreIsNotTrustedToResumeByNumberAlone() {
        server = ServerFixture.start();
        proxy = TcpProxy.start("127.0.0.1", server.port());
        client = builder(proxy.port()).build();
        client.connect().join();
        client.subscribe(List.of("BTCUSDT"), Channel.TRADE).join();
        for (int i = 1; i <= 3; i++) {
            server.trade("BTCUSDT", 6_700_000 + i);
        }
        await().atMost(WAIT).until(() -> recorder.trades.size() == 3);

        proxy.freeze(); // the client's reconnects wait while the new server numbers its own trades from 1
        proxy.cutAll();
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Disconnected.class) == 1);
        server.restart();
        observer = server.observer(List.of("BTCUSDT"), List.of(Channel.TRADE));
        for (int i = 1; i <= 5; i++) {
            server.trade("BTCUSDT", 6_800_000 + i);
        }
        observer.awaitMessage(ServerMessage.Trade.class, t -> t.seq() == 5);
        proxy.unfreeze();

        // its trades 1..5 are all after the client's last one: none of them is lost, and the break is a gap
        await().atMost(WAIT).until(() -> recorder.trades.size() == 8);
        assertThat(recorder.tradeSeqs("BTCUSDT")).containsExactly(1L, 2L, 3L, 1L, 2L, 3L, 4L, 5L);
        assertThat(recorder.gaps).containsExactly(new Gap("BTCUSDT", Channel.TRADE, 4, 1));
        assertThat(recorder.events(ConnectionEvent.Resumed.class)).singleElement()
                .satisfies(r -> assertThat(r.mode()).isEqualTo("gap"));
    }

    @Test
    void tradesOfAStreamThatHadNoneYetAreNotLostAcrossAReconnect() {
        server = ServerFixture.start();
        proxy = TcpProxy.start("127.0.0.1", server.port());
        observer = server.observer(List.of("ETHUSDT"), List.of(Channel.TRADE));
        client = builder(proxy.port()).build();
        client.connect().join();
        client.subscribe(List.of("ETHUSDT"), Channel.TRADE).join(); // a quiet market: no trade yet

        proxy.freeze();
        proxy.cutAll();
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Disconnected.class) == 1);
        server.trade("ETHUSDT", 300_001);
        server.trade("ETHUSDT", 300_002);
        observer.awaitMessage(ServerMessage.Trade.class, t -> t.seq() == 2); // the first trades, while away
        proxy.unfreeze();
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
        server.trade("ETHUSDT", 300_003);

        await().atMost(WAIT).until(() -> recorder.trades.size() == 3);
        assertThat(recorder.tradeSeqs("ETHUSDT")).containsExactly(1L, 2L, 3L);
        assertThat(recorder.gaps).isEmpty();
    }

    @Test
    void slowCallbacksPauseReadsOnlyBrieflyThenTheClientLeavesAndResumesOnceTheyCaughtUp() throws Exception {
        server = ServerFixture.start(Duration.ofMillis(200)); // idle timeout 20 s
        java.util.concurrent.ExecutorService callbacks = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger quotes = new java.util.concurrent.atomic.AtomicInteger();
        try {
            client = recorder.attach(TickwireClient.builder(server.uri())
                    .credentials(Credentials.token(ServerFixture.ALICE))
                    .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)))
                    .heartbeatTolerance(20) // a busy machine: silence is not what this test is about
                    .callbackExecutor(callbacks)
                    .onQuote(q -> {
                        if (quotes.incrementAndGet() == 1) {
                            try {
                                stuck.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    })
                    .build();
            client.connect().join();
            client.subscribe(List.of("BTCUSDT"), Channel.QUOTE).join();
            for (int i = 0; i < Callbacks.HIGH_WATER + 2_000; i++) {
                server.quote("BTCUSDT", 6_700_000 + i, 6_800_000 + i);
            }

            // reads pause behind the stuck callback; the client leaves within a few heartbeats
            // rather than leave the server to time the link out (20 s) while it looks connected
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().openConnections() == 0);
            stuck.countDown();
            await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
            assertThat(recorder.events(ConnectionEvent.Disconnected.class)).singleElement()
                    .satisfies(d -> assertThat(d.reason()).contains("callbacks behind"));
        } finally {
            stuck.countDown();
            client.close();
            callbacks.shutdownNow();
        }
    }

    @Test
    void shouldIgnoreAReconnectUrlThatIsNotAWebSocketAddress() {
        assertThat(ConnectionSupervisor.reconnectTarget("http://example.com/v1/ws", PLAIN)).isNull();
        assertThat(ConnectionSupervisor.reconnectTarget("not a url", PLAIN)).isNull();
        assertThat(ConnectionSupervisor.reconnectTarget("wss://feed.example.com/v1/ws", PLAIN))
                .isEqualTo(java.net.URI.create("wss://feed.example.com/v1/ws"));
        java.net.URI tls = java.net.URI.create("wss://feed.example.com/v1/ws");
        assertThat(ConnectionSupervisor.reconnectTarget("ws://other.example.com/v1/ws", tls))
                .as("a hint must not move the credentials off TLS").isNull();
        assertThat(ConnectionSupervisor.reconnectTarget("wss://other.example.com/v1/ws", tls))
                .isEqualTo(java.net.URI.create("wss://other.example.com/v1/ws"));
    }

    private static final java.net.URI PLAIN = java.net.URI.create("ws://127.0.0.1:8080/v1/ws");
}
