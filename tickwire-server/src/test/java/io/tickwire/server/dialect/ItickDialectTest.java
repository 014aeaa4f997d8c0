package io.tickwire.server.dialect;

import static io.tickwire.server.dialect.SeedShapes.assertLike;
import static io.tickwire.server.dialect.SeedShapes.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.AssetClass;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import io.tickwire.server.session.auth.ServerAuth;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The iTick dialect end to end over real sockets, every message checked against seed 001's
 * examples (field names, JSON types, texts).
 */
@Timeout(60)
class ItickDialectTest {

    // ---- the seed's examples, verbatim ----
    static final String SEED_CONNECTED = "{\"code\":1,\"msg\": \"Connected Successfully\"}";
    static final String SEED_AUTHENTICATED = "{\"code\":1,\"resAc\":\"auth\",\"msg\": \"authenticated\"}";
    static final String SEED_AUTH_FAILED = "{\"code\":0,\"resAc\":\"auth\",\"msg\": \"auth failed\"}";
    static final String SEED_SUBSCRIBE = "{\"ac\":\"subscribe\",\"params\":\"BTCUSDT,ETHUSDT\",\"types\":\"quote\"}";
    static final String SEED_SUBSCRIBED = "{\"code\":1,\"resAc\":\"subscribe\",\"msg\": \"subscribe Successfully\"}";
    static final String SEED_OVER_LIMIT = "{\"code\":0,\"resAc\":\"subscribe\",\"msg\": \"exceeding the maximum subscription limit\"}";
    static final String SEED_UNRESOLVED = "{\"code\":0,\"resAc\":\"subscribe\",\"msg\": \"cannot be resolved action\"}";
    static final String SEED_TICK = "{\"code\": 1,\"data\": {\"s\": \"ETH_USDT\",\"ld\": 225.215,\"v\": 16742235,"
            + "\"t\": 1731689407000,\"type\": \"tick\"}}";
    static final String SEED_QUOTE = "{\"code\": 1,\"data\": {\"s\": \"ETH_USDT\",\"ld\": 3034,\"t\": 1731690011321,"
            + "\"v\": 0.6186,\"tu\": 1876.832564,\"ts\": 0,\"type\": \"quote\"}}";
    static final String SEED_DEPTH = "{\"code\": 1,\"data\": {\"s\": \"ETH_USDT\",\"a\": [{\"po\": 1,\"p\": 3034.01,"
            + "\"v\": 10.6023,\"o\": 10.6023}],\"b\": [{\"po\": 1,\"p\": 3034,\"v\": 20.9758,\"o\": 20.9758}],\"type\": \"depth\"}}";
    static final String SEED_KLINE = "{\"code\": 0,\"msg\": null,\"data\": {\"s\":\"ETH_USDT\",\"t\":1,\"k\": {\"tu\": 157513,"
            + "\"c\": 3059.39,\"t\": 1731660060000,\"v\": 28,\"h\": 3061.41,\"l\": 3055.24,\"o\": 3055.36}}}";
    static final String SEED_PING = "{\"ac\":\"ping\",\"params\":\"1731688569840\"}";
    static final String SEED_PONG = "{\"resAc\":\"pong\",\"data\": {\"params\":\"1731688569840\"}}";

    static final String TOKEN = "itick-token";
    static final String SINGLE = "itick-single";
    static final Plan ADVANCED = new Plan("advanced", 5, ConnectionPolicy.REJECT_NEW, 3, EnumSet.allOf(Channel.class), 50, 100);
    /** The seed's advanced plan: one connection per cluster, a newer one replaces it; one symbol. */
    static final Plan SINGLE_PLAN = new Plan("single", 1, ConnectionPolicy.REPLACE_OLDEST, 1, EnumSet.allOf(Channel.class), 50, 100);
    static final String CRYPTO_ONE = "itick-crypto-one";
    /** One connection, no replacing, crypto instruments only. */
    static final Plan CRYPTO_ONE_PLAN = new Plan("crypto-one", 1, ConnectionPolicy.REJECT_NEW, 3, EnumSet.allOf(Channel.class), 50, 100,
            java.util.Set.of(AssetClass.CRYPTO), io.tickwire.auth.SlowConsumerPolicy.DISCONNECT);
    static final InstrumentCatalog CATALOG = InstrumentCatalog.of(List.of(
            new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, "Bitcoin vs Tether", "BTC", "USDT", 2, 6, 50),
            new Instrument(0, "ETHUSDT", AssetClass.CRYPTO, "Ether vs Tether", "ETH", "USDT", 2, 4, 50),
            new Instrument(0, "SOLUSDT", AssetClass.CRYPTO, "Solana vs Tether", "SOL", "USDT", 2, 4, 50),
            new Instrument(0, "XRPUSDT", AssetClass.CRYPTO, "XRP vs Tether", "XRP", "USDT", 4, 1, 50),
            new Instrument(0, "AAPL", AssetClass.EQUITY, "Apple Inc.", "AAPL", "USD", 2, 0, 20)));

    private InProcessBus bus;
    private TickwireServer server;

    @BeforeEach
    void start() {
        bus = new InProcessBus(CATALOG, Clock.system(), 2, 1 << 14);
        TokenAuthenticator tokens = TokenAuthenticator.builder()
                .add(TokenHash.of(TOKEN), new Account("trader", ADVANCED))
                .add(TokenHash.of(SINGLE), new Account("solo", SINGLE_PLAN))
                .add(TokenHash.of(CRYPTO_ONE), new Account("alice", CRYPTO_ONE_PLAN))
                .build();
        server = TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), CATALOG, bus,
                ServerAuth.of(tokens), Clock.system());
    }

    @AfterEach
    void stop() {
        server.close();
        bus.close();
    }

    private URI uri(String cluster) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/itick/" + cluster);
    }

    private RawWebSocketClient connected(String cluster, String token) {
        RawWebSocketClient client = RawWebSocketClient.connect(uri(cluster), Map.of("token", token));
        assertLike(SEED_CONNECTED, client.nextText());
        assertLike(SEED_AUTHENTICATED, client.nextText());
        return client;
    }

    private static JsonNode awaitData(RawWebSocketClient client, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String text = client.pollText(Duration.ofNanos(deadline - System.nanoTime()));
            if (text != null && matching.test(parse(text))) {
                return parse(text);
            }
        }
        throw new AssertionError("no matching message; received " + client.history());
    }

    private void publish(MarketEvent event) {
        while (!bus.offer(event)) {
            Thread.onSpinWait();
        }
    }

    private static int id(String symbol) {
        return CATALOG.find(symbol).id();
    }

    @Test
    void theSeedsSubscribeIsAcceptedAndQuotesComeInTheSeedsShapeWithIticksSpelling() {
        try (RawWebSocketClient client = connected("crypto", TOKEN)) {
            client.send(SEED_SUBSCRIBE);
            assertLike(SEED_SUBSCRIBED, client.nextText());
            publish(new Trade(id("ETHUSDT"), 0, 0, 3_034_00, 6_186, Side.BUY, 0));
            publish(new Quote(id("ETHUSDT"), 0, 0, 3_033_00, 10, 3_035_00, 20, 0, 0));
            JsonNode quote = awaitData(client, m -> m.path("data").path("ld").asDouble() == 3034);
            assertLike(SEED_QUOTE, quote.toString(), "data.type");
            assertThat(quote.path("data").path("s").asText()).isEqualTo("ETH_USDT");
            assertThat(quote.path("data").path("v").decimalValue()).isEqualByComparingTo("0.6186");
            assertThat(quote.path("data").path("tu").decimalValue()).isEqualByComparingTo("1876.8324");
        }
    }

    @Test
    void aQuoteThatWouldRepeatThePreviousButForItsTimeIsNotSentYetEverySubscriberGetsItsFirst() {
        try (RawWebSocketClient first = connected("crypto", TOKEN); RawWebSocketClient second = connected("crypto", TOKEN)) {
            publish(new Trade(id("ETHUSDT"), 0, 0, 3_034_00, 6_186, Side.BUY, 0));
            publish(new Quote(id("ETHUSDT"), 0, 0, 3_033_00, 10, 3_035_00, 20, 0, 0));
            first.send("{\"ac\":\"subscribe\",\"params\":\"ETH_USDT\",\"types\":\"quote\"}");
            assertLike(SEED_SUBSCRIBED, first.nextText());
            awaitData(first, m -> m.path("data").path("ld").asDouble() == 3034); // the current quote, on subscribing
            // book changes only: each is a quote in the engine, the same last price and volume in iTick
            for (int i = 1; i <= 5; i++) {
                publish(new Quote(id("ETHUSDT"), 0, 0, 3_033_00 - i, 10 + i, 3_035_00 + i, 20 + i, 0, 0));
            }
            // a subscriber arriving now still gets the current quote, unchanged as it is
            second.send("{\"ac\":\"subscribe\",\"params\":\"ETH_USDT\",\"types\":\"quote\"}");
            assertLike(SEED_SUBSCRIBED, second.nextText());
            awaitData(second, m -> m.path("data").path("ld").asDouble() == 3034);
            for (int i = 1; i <= 5; i++) {
                publish(new Quote(id("ETHUSDT"), 0, 0, 3_032_00 - i, 10 + i, 3_036_00 + i, 20 + i, 0, 0));
            }
            publish(new Trade(id("ETHUSDT"), 0, 0, 3_040_00, 1_000, Side.SELL, 0));
            publish(new Quote(id("ETHUSDT"), 0, 0, 3_039_00, 10, 3_041_00, 20, 0, 0));
            // a stream keeps its order: when the changed quote arrives, every earlier one has
            for (RawWebSocketClient client : List.of(first, second)) {
                awaitData(client, m -> m.path("data").path("ld").asDouble() == 3040);
                assertThat(client.history().stream().filter(t -> t.contains("\"type\":\"quote\"")).count())
                        .as(String.join("\n", client.history())).isEqualTo(2);
            }
        }
    }

    @Test
    void ticksDepthAndKlinesComeInTheSeedsShapes() {
        try (RawWebSocketClient client = connected("crypto", TOKEN)) {
            client.send("{\"ac\":\"subscribe\",\"params\":\"ETH_USDT\",\"types\":\"tick,depth,kline@1\"}");
            assertLike(SEED_SUBSCRIBED, client.nextText());
            BookUpdate.Builder book = BookUpdate.builder(id("ETHUSDT"), 0);
            for (int i = 0; i < 7; i++) {
                book.set(BookSide.BID, 3_034_00 - i, 10_000 + i).set(BookSide.ASK, 3_034_01 + i, 20_000 + i);
            }
            publish(book.build());
            JsonNode depth = awaitData(client, m -> "depth".equals(m.path("data").path("type").asText())
                    && m.path("data").path("a").size() == 5);
            assertLike(SEED_DEPTH, depth.toString());
            assertThat(depth.path("data").path("a").get(0).path("p").decimalValue()).isEqualByComparingTo("3034.01");
            assertThat(depth.path("data").path("b").get(4).path("po").asInt()).isEqualTo(5);
            assertThat(depth.path("data").path("b").get(4).path("p").decimalValue()).isEqualByComparingTo("3033.96");
            // a change inside the top five: the whole five levels come again, the change applied
            publish(BookUpdate.builder(id("ETHUSDT"), 0).set(BookSide.BID, 3_034_00, 0).build());
            JsonNode after = awaitData(client, m -> "depth".equals(m.path("data").path("type").asText())
                    && m.path("data").path("b").get(0).path("p").decimalValue().compareTo(new java.math.BigDecimal("3033.99")) == 0);
            assertThat(after.path("data").path("b")).hasSize(5);
            assertThat(after.path("data").path("b").get(4).path("p").decimalValue()).isEqualByComparingTo("3033.95");

            publish(new Trade(id("ETHUSDT"), 0, 0, 3_059_39, 28_0000, Side.SELL, 0));
            // the tick and the kline come on two streams: either may be first
            await().until(() -> client.history().stream().anyMatch(t -> t.contains("\"type\":\"tick\""))
                    && client.history().stream().anyMatch(t -> t.contains("\"k\":")));
            JsonNode tick = client.history().stream().map(SeedShapes::parse)
                    .filter(m -> "tick".equals(m.path("data").path("type").asText())).findFirst().orElseThrow();
            assertLike(SEED_TICK, tick.toString());
            assertThat(tick.path("data").path("v").asInt()).isEqualTo(28);
            JsonNode kline = client.history().stream().map(SeedShapes::parse).filter(m -> m.path("data").has("k"))
                    .findFirst().orElseThrow();
            assertLike(SEED_KLINE, kline.toString());
            assertThat(kline.path("data").path("t").asInt()).isEqualTo(1);
            assertThat(kline.path("data").path("k").path("t").asLong() % 60_000).isZero();
            assertThat(kline.path("data").path("k").path("c").decimalValue()).isEqualByComparingTo("3059.39");
        }
    }

    @Test
    void everyKlinePeriodCodeOfTheSeedIsAccepted() {
        try (RawWebSocketClient client = connected("crypto", TOKEN)) {
            for (int code : new int[] {1, 2, 3, 4, 5, 8, 9, 10}) {
                client.send("{\"ac\":\"subscribe\",\"params\":\"BTCUSDT\",\"types\":\"kline@" + code + "\"}");
                assertLike(SEED_SUBSCRIBED, client.nextText());
            }
            for (String bad : new String[] {"kline@6", "kline@0", "kline@x", "kline"}) {
                client.send("{\"ac\":\"subscribe\",\"params\":\"BTCUSDT\",\"types\":\"" + bad + "\"}");
                assertLike(SEED_UNRESOLVED, client.nextText());
            }
        }
    }

    @Test
    void pingIsAnsweredWithTheIdenticalTimestampForAsLongAsTheClientKeepsItUp() {
        try (RawWebSocketClient client = connected("crypto", TOKEN)) {
            client.send(SEED_PING);
            String pong = client.nextText();
            assertLike(SEED_PONG, pong);
            assertThat(parse(pong)).isEqualTo(parse(SEED_PONG));
            for (int i = 0; i < 50; i++) {
                String ts = Long.toString(1_731_688_569_840L + i);
                client.send("{\"ac\":\"ping\",\"params\":\"" + ts + "\"}");
                assertThat(parse(client.nextText()).path("data").path("params").asText()).isEqualTo(ts);
            }
            client.send("{\"ac\":\"ping\",\"params\":1731688569840}"); // a number comes back as the same number
            assertThat(client.nextText()).isEqualTo("{\"resAc\":\"pong\",\"data\":{\"params\":1731688569840}}");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void aWrongOrMissingTokenGetsAuthFailedAndTheConnectionIsClosed() {
        for (Map<String, String> headers : List.of(Map.of("token", "wrong"), Map.<String, String>of())) {
            try (RawWebSocketClient client = RawWebSocketClient.connect(uri("crypto"), headers)) {
                assertLike(SEED_CONNECTED, client.nextText());
                assertLike(SEED_AUTH_FAILED, client.nextText());
                assertThat(client.awaitClose().code()).isEqualTo(CloseCode.AUTH_FAILED.code());
            }
        }
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri("moon"), Map.of("token", TOKEN))) {
            assertLike(SEED_CONNECTED, client.nextText());
            assertLike(SEED_AUTH_FAILED, client.nextText());
            assertThat(client.awaitClose().code()).isEqualTo(CloseCode.AUTH_FAILED.code());
        }
    }

    @Test
    void subscribingBeyondThePlansLimitIsRefusedWithTheSeedsText() {
        try (RawWebSocketClient client = connected("crypto", TOKEN)) {
            client.send("{\"ac\":\"subscribe\",\"params\":\"BTCUSDT,ETHUSDT,SOLUSDT,XRPUSDT\",\"types\":\"quote\"}");
            assertLike(SEED_OVER_LIMIT, client.nextText());
            client.send("{\"ac\":\"subscribe\",\"params\":\"BTCUSDT,ETHUSDT,SOLUSDT\",\"types\":\"quote,tick\"}");
            assertLike(SEED_SUBSCRIBED, client.nextText());
            client.send("{\"ac\":\"subscribe\",\"params\":\"XRPUSDT\",\"types\":\"tick\"}");
            assertLike(SEED_OVER_LIMIT, client.nextText());
            client.send("{\"ac\":\"unsubscribe\",\"params\":\"SOLUSDT\"}");
            assertThat(parse(client.nextText())).isEqualTo(parse("{\"code\":1,\"resAc\":\"unsubscribe\",\"msg\":\"unsubscribe Successfully\"}"));
            client.send("{\"ac\":\"subscribe\",\"params\":\"XRPUSDT\",\"types\":\"tick\"}");
            assertLike(SEED_SUBSCRIBED, client.nextText());
        }
    }

    @Test
    void badParametersMalformedAndUnknownRequestsAreAnsweredInIticksStyle() {
        try (RawWebSocketClient client = connected("crypto", TOKEN)) {
            for (String bad : List.of(
                    "{\"ac\":\"subscribe\",\"params\":\"NOPE\",\"types\":\"quote\"}",
                    "{\"ac\":\"subscribe\",\"params\":\"BTCUSDT,AAPL\",\"types\":\"quote\"}", // AAPL is not in the crypto cluster
                    "{\"ac\":\"subscribe\",\"params\":\"BTCUSDT\",\"types\":\"candles\"}",
                    "{\"ac\":\"subscribe\",\"params\":\"BTCUSDT\"}",
                    "{\"ac\":\"subscribe\",\"types\":\"quote\"}",
                    "{\"ac\":\"subscribe\",\"params\":[\"BTCUSDT\"],\"types\":\"quote\"}")) {
                client.send(bad);
                assertLike(SEED_UNRESOLVED, client.nextText());
            }
            client.send("{\"ac\":\"teleport\"}");
            assertThat(parse(client.nextText())).isEqualTo(parse("{\"code\":0,\"resAc\":\"teleport\",\"msg\":\"cannot be resolved action\"}"));
            for (String malformed : List.of("not json", "{\"ac\":", "[1,2]", "{\"params\":\"BTCUSDT\"}")) {
                client.send(malformed);
                assertThat(parse(client.nextText())).isEqualTo(parse("{\"code\":0,\"msg\":\"cannot be resolved action\"}"));
            }
            client.send(SEED_PING); // the connection is still good
            assertLike(SEED_PONG, client.nextText());
        }
    }

    @Test
    void aSecondConnectionToTheSameClusterReplacesTheFirstWhereThePlanSaysSo() {
        try (RawWebSocketClient first = connected("crypto", SINGLE);
             RawWebSocketClient stocks = connected("stock", SINGLE)) {
            try (RawWebSocketClient second = connected("crypto", SINGLE)) {
                assertThat(first.awaitClose().code()).isEqualTo(CloseCode.REPLACED.code());
                second.send(SEED_PING);
                assertLike(SEED_PONG, second.nextText());
                stocks.send(SEED_PING); // another cluster: not replaced
                assertLike(SEED_PONG, stocks.nextText());
                assertThat(stocks.isOpen()).isTrue();
            }
        }
    }

    @Test
    void aClusterOutsideThePlanIsRefusedAtAuthenticationAndTheClustersItHasCountApartFromNative() {
        URI nativeUri = URI.create("ws://127.0.0.1:" + server.port() + server.config().nativePath());
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + CRYPTO_ONE);
        try (RawWebSocketClient nativeClient = RawWebSocketClient.connect(nativeUri, bearer);
             RawWebSocketClient crypto = connected("crypto", CRYPTO_ONE)) {
            nativeClient.expect(ServerMessage.Welcome.class);
            nativeClient.expect(ServerMessage.Authenticated.class);
            // a crypto-only plan has nothing on the forex and stock clusters: refused like a bad token;
            // forex and fx are one cluster, so each refusal must have given its slot back by its close
            for (String cluster : List.of("forex", "fx", "stock", "fx", "forex")) {
                try (RawWebSocketClient refused = RawWebSocketClient.connect(uri(cluster), Map.of("token", CRYPTO_ONE))) {
                    assertLike(SEED_CONNECTED, refused.nextText());
                    assertLike(SEED_AUTH_FAILED, refused.nextText());
                    RawWebSocketClient.Close close = refused.awaitClose();
                    assertThat(close.code()).as(cluster).isEqualTo(CloseCode.AUTH_FAILED.code());
                    assertThat(close.reason()).contains("not entitled");
                }
            }
            // the plan's one connection holds per cluster, and apart from it for native: a second of either is refused
            try (RawWebSocketClient second = RawWebSocketClient.connect(uri("crypto"), Map.of("token", CRYPTO_ONE))) {
                assertLike(SEED_CONNECTED, second.nextText());
                assertLike(SEED_AUTH_FAILED, second.nextText());
                assertThat(second.awaitClose().code()).isEqualTo(CloseCode.CONNECTION_LIMIT.code());
            }
            try (RawWebSocketClient second = RawWebSocketClient.connect(nativeUri, bearer)) {
                assertThat(second.awaitClose().code()).isEqualTo(CloseCode.CONNECTION_LIMIT.code());
            }
            await().untilAsserted(() -> assertThat(server.registry().total()).isEqualTo(2));
            crypto.send(SEED_PING);
            assertLike(SEED_PONG, crypto.nextText());
            nativeClient.send(io.tickwire.protocol.v1.CommandWriter.ping("alive", null));
            assertThat(nativeClient.expect(ServerMessage.Pong.class).id()).isEqualTo("alive");
        }
    }

    @Test
    void aConsumerTooSlowForTooLongIsDisconnected() {
        ServerConfig small = ServerConfig.defaults().toBuilder().ioThreads(2).host("127.0.0.1").port(0)
                .heartbeatInterval(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(20))
                .writeBufferLowWater(8 * 1024).writeBufferHighWater(32 * 1024).maxOutboundBytes(128 * 1024)
                .slowConsumerGrace(Duration.ofSeconds(30)).build(); // the backlog cap decides, not time
        server.close();
        bus.close();
        bus = new InProcessBus(CATALOG, Clock.system(), 2, 1 << 14);
        server = TickwireServer.start(small, CATALOG, bus, ServerAuth.of(TokenAuthenticator.builder()
                .add(TokenHash.of(TOKEN), new Account("trader", ADVANCED)).build()), Clock.system());
        try (RawWebSocketClient stalled = RawWebSocketClient.connect(uri("crypto"), Map.of("token", TOKEN), 4 * 1024)) {
            assertLike(SEED_CONNECTED, stalled.nextText());
            assertLike(SEED_AUTHENTICATED, stalled.nextText());
            stalled.send("{\"ac\":\"subscribe\",\"params\":\"BTCUSDT\",\"types\":\"tick\"}");
            assertLike(SEED_SUBSCRIBED, stalled.nextText());
            stalled.pauseReading();
            int published = 0;
            while (server.registry().total() > 0 && published < 5_000_000) {
                for (int i = 0; i < 1_000; i++) {
                    publish(new Trade(id("BTCUSDT"), 0, 0, 1_000 + (++published), 5, Side.BUY, 0));
                }
            }
            await().untilAsserted(() -> assertThat(server.registry().total()).isZero());
            stalled.resumeReading();
            assertThat(stalled.awaitClose().code()).isEqualTo(CloseCode.SLOW_CONSUMER.code());
        }
    }
}
