package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import io.tickwire.testkit.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Restoring subscriptions on a new connection: pacing within the plan's budget, and held requests' outcomes. */
@ExtendWith(NoLeaks.class)
class RestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "EURUSD", "AAPL");

    private ServerFixture server;
    private TcpProxy proxy;
    private TickwireClient client;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private TickwireClient.Builder builder(String token, int port) {
        return recorder.attach(TickwireClient.builder(server.uri(port))
                .credentials(Credentials.token(token))
                .connectTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
    }

    @Test
    void shouldRestoreMoreBatchesThanThePlansBurstWithinItsRateOnOneConnection() throws Exception {
        server = ServerFixture.start();
        proxy = TcpProxy.start("127.0.0.1", server.port());
        client = builder(ServerFixture.TINY, proxy.port()).build();
        // four depths are four restore batches; the plan allows a burst of 3, then 2 a second
        List<CompletableFuture<SubscriptionResult>> held = new java.util.ArrayList<>();
        for (int i = 0; i < SYMBOLS.size(); i++) {
            held.add(client.subscribe(List.of(SYMBOLS.get(i)), SubscribeOptions.defaults().withDepth(5 + i), Channel.BOOK));
        }
        client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<SubscriptionResult> f : held) {
            assertThat(f.join().accepted()).hasSize(1);
        }

        proxy.cutAll();
        await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);

        ConnectionEvent.Connected again = recorder.events(ConnectionEvent.Connected.class).get(1);
        assertThat(again.notRestored()).isEmpty();
        assertThat(recorder.count(ConnectionEvent.Disconnected.class)).as("only the cut, no restore loop").isEqualTo(1);
    }

    @Test
    void batchesWithinThePlansBurstGoAtOnceAndOnlyTheRestWaitForItsRate() throws Exception {
        server = ServerFixture.start();
        // the client's clock stands still: only what the burst allows can go, nothing paced ever does
        client = builder(ServerFixture.BURSTY, server.port()).clock(new io.tickwire.testkit.ManualClock()).build();
        List<CompletableFuture<SubscriptionResult>> held = new java.util.ArrayList<>();
        for (int i = 0; i < SYMBOLS.size(); i++) { // four restore batches; 1 request a second, a burst of 10
            held.add(client.subscribe(List.of(SYMBOLS.get(i)), SubscribeOptions.defaults().withDepth(5 + i), Channel.BOOK));
        }
        client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<SubscriptionResult> f : held) {
            assertThat(f.join().accepted()).hasSize(1);
        }
    }

    @Test
    void aHeldSubscribeTheServerRefusesAsAWholeFailsAsWhenConnected() throws Exception {
        server = ServerFixture.start();
        client = builder(ServerFixture.QUOTES_ONLY, server.port()).build();
        CompletableFuture<SubscriptionResult> quotes = client.subscribe(List.of("BTCUSDT"), Channel.QUOTE);
        CompletableFuture<SubscriptionResult> trades = client.subscribe(List.of("ETHUSDT"), Channel.TRADE); // not in the plan

        client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(quotes.join().accepted()).hasSize(1);
        assertThat(trades).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ServerErrorException.class,
                        e -> assertThat(e.code()).isEqualTo("channel_not_allowed"));
        // the same request while connected fails the same way
        assertThat(client.subscribe(List.of("ETHUSDT"), Channel.TRADE)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(ServerErrorException.class);
    }

    @Test
    void aRestoreLargerThanTheServersFrameLimitGoesOutInParts() throws Exception {
        // 120 symbols, subscribed ten at a time: each request fits 1 KiB, the restore of all of them does not
        List<io.tickwire.model.Instrument> instruments = new java.util.ArrayList<>();
        List<String> symbols = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String symbol = "SYM" + (1000 + i) + "USDT";
            symbols.add(symbol);
            instruments.add(new io.tickwire.model.Instrument(0, symbol, io.tickwire.model.AssetClass.CRYPTO, symbol,
                    "SYM", "USDT", 2, 4, 20));
        }
        io.tickwire.model.InstrumentCatalog catalog = io.tickwire.model.InstrumentCatalog.of(instruments);
        io.tickwire.auth.Plan wide = new io.tickwire.auth.Plan("wide", 5, io.tickwire.auth.ConnectionPolicy.REJECT_NEW,
                500, java.util.EnumSet.allOf(Channel.class), 200, 200);
        io.tickwire.auth.token.TokenAuthenticator auth = io.tickwire.auth.token.TokenAuthenticator.builder()
                .add(io.tickwire.auth.token.TokenHash.of("wide-token"), new io.tickwire.auth.Account("wide", wide)).build();
        io.tickwire.engine.bus.InProcessBus bus = new io.tickwire.engine.bus.InProcessBus(catalog,
                io.tickwire.model.Clock.system(), 1, 1 << 12);
        io.tickwire.server.TickwireServer small = io.tickwire.server.TickwireServer.start(
                io.tickwire.server.ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0).maxFrameBytes(1_024).build(),
                catalog, bus, auth, io.tickwire.model.Clock.system());
        try (TcpProxy cut = TcpProxy.start("127.0.0.1", small.port())) {
            client = recorder.attach(TickwireClient.builder("ws://127.0.0.1:" + cut.port() + "/v1/ws")
                    .credentials(Credentials.token("wide-token"))
                    .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))).build();
            client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < symbols.size(); i += 10) {
                client.subscribe(symbols.subList(i, i + 10), Channel.QUOTE).join();
            }

            cut.cutAll();
            await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);

            assertThat(recorder.events(ConnectionEvent.Connected.class).get(1).notRestored()).isEmpty();
            assertThat(recorder.count(ConnectionEvent.Disconnected.class)).as("no 1009, no loop").isEqualTo(1);
            client.close();
            client = null;
        } finally {
            small.close();
            bus.close();
        }
    }
}
