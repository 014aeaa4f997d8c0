package io.tickwire.server;

import io.tickwire.server.session.auth.ServerAuth;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.server.history.ServerHistory;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.questdb.QuestDbStore;
import io.tickwire.testkit.RawWebSocketClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real server whose engine taps into a real embedded QuestDB store in a temporary directory:
 * what tests publish into the bus is streamed and stored, and history is queried over real
 * sockets. With {@code store == false} the server has no history at all.
 */
final class HistoryFixture implements AutoCloseable {

    static final String ALICE = TestServer.ALICE;
    /** An account whose plan allows few requests, for budget tests. */
    static final String THRIFTY = "thrifty-token";
    static final Plan THRIFTY_PLAN = new Plan("thrifty", 5, ConnectionPolicy.REJECT_NEW, 3,
            EnumSet.of(Channel.QUOTE, Channel.TRADE), 1, 3);
    /** An account whose plan includes crypto instruments only, for entitlement tests. */
    static final String CRYPTO = "crypto-only-token";
    static final Plan CRYPTO_PLAN = new Plan("crypto", 5, ConnectionPolicy.REJECT_NEW, 3,
            EnumSet.of(Channel.QUOTE, Channel.TRADE, Channel.BAR), 50, 100, java.util.Set.of(AssetClass.CRYPTO),
            io.tickwire.auth.SlowConsumerPolicy.DISCONNECT);

    /** Keeps decimals exactly as written, trailing zeros included. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();

    final QuestDbStore store;
    final InProcessBus bus;
    final TickwireServer server;

    HistoryFixture(Path dir, Clock clock, boolean withStore) {
        TokenAuthenticator auth = TokenAuthenticator.builder()
                .add(TokenHash.of(ALICE), new Account("alice", TestServer.PRO))
                .add(TokenHash.of(THRIFTY), new Account("thrifty", THRIFTY_PLAN))
                .add(TokenHash.of(CRYPTO), new Account("cryptofan", CRYPTO_PLAN))
                .build();
        this.store = withStore ? QuestDbStore.open(StoreSettings.defaults(dir), TestServer.CATALOG, clock) : null;
        this.bus = withStore ? new InProcessBus(TestServer.CATALOG, clock, 2, 1 << 14, store)
                : new InProcessBus(TestServer.CATALOG, clock, 2, 1 << 14);
        ServerHistory history = withStore
                ? new ServerHistory(store.queries(), store::stats, false, 2, 64) : ServerHistory.NONE;
        this.server = TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), TestServer.CATALOG,
                bus, ServerAuth.of(auth), clock, history);
    }

    int port() {
        return server.port();
    }

    RawWebSocketClient connect(String token) {
        RawWebSocketClient client = RawWebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"), Map.of("Authorization", "Bearer " + token));
        client.expect(io.tickwire.protocol.v1.ServerMessage.Welcome.class);
        client.expect(io.tickwire.protocol.v1.ServerMessage.Authenticated.class);
        return client;
    }

    void publish(MarketEvent event) {
        while (!bus.offer(event)) {
            Thread.onSpinWait();
        }
    }

    Trade trade(String symbol, long time, long price, long size) {
        Trade t = new Trade(TestServer.CATALOG.find(symbol).id(), 0, time, price, size, Side.BUY, 0);
        publish(t);
        return t;
    }

    Quote quote(String symbol, long time, long bid, long ask) {
        Quote q = new Quote(TestServer.CATALOG.find(symbol).id(), 0, time, bid, 100, ask, 200, 0, 0);
        publish(q);
        return q;
    }

    /** Waits until the engine handed {@code records} records to the store and they are committed. */
    void awaitStored(long records) throws InterruptedException {
        await().atMost(Duration.ofSeconds(20)).until(() -> store.stats().received() >= records);
        if (!store.flush(Duration.ofSeconds(20))) {
            throw new AssertionError("store did not commit: " + store.stats());
        }
    }

    /** Reads frames until a JSON message satisfying {@code matching} arrives (heartbeats and others are skipped). */
    static JsonNode awaitJson(RawWebSocketClient client, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + RawWebSocketClient.DEFAULT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = client.pollText(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (text == null) {
                break;
            }
            JsonNode node = json(text);
            if (matching.test(node)) {
                return node;
            }
        }
        throw new AssertionError("no matching message; received " + client.history());
    }

    /** The answer to the request with this id. */
    static JsonNode answer(RawWebSocketClient client, String id) {
        return awaitJson(client, n -> n.path("id").asText().equals(id));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        bus.close();
        if (store != null) {
            store.close();
        }
    }
}
