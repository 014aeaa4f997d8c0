package io.tickwire.server;

import static io.tickwire.server.dialect.SeedShapes.assertLike;
import static io.tickwire.server.dialect.SeedShapes.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickwire.auth.hmac.HmacSignatures;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.model.reference.CurrencyInfo;
import io.tickwire.model.reference.ReferenceData;
import io.tickwire.protocol.CloseCode;
import io.tickwire.server.history.ServerHistory;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.questdb.QuestDbStore;
import io.tickwire.testkit.RawWebSocketClient;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TickTrader Feed dialect end to end over real sockets: every request of seed 004 accepted,
 * every response and notification checked against the seed's examples (field names, JSON types,
 * texts), and the error paths in TickTrader's own error style.
 */
@Timeout(120)
class TickTraderDialectTest {

    // ---- the seed's examples (placeholders filled in), verbatim otherwise ----
    static final String SEED_LOGIN_OK = "{\"Id\":\"x\",\"Response\":\"Login\",\"Result\":{\"Info\":\"ok\",\"TwoFactorFlag\":true}}";
    static final String SEED_ERROR = "{\"Id\":\"x\",\"Response\":\"Error\",\"Error\":\"text\"}";
    static final String SEED_TWO_FACTOR_REQUIRED = "{\"Id\":\"x\",\"Response\":\"TwoFactor\",\"Result\":{\"Info\":\"Two-factor authentication is required.\"}}";
    static final String SEED_TWO_FACTOR_OK = "{\"Id\":\"x\",\"Response\":\"TwoFactor\",\"Result\":{\"Info\":\"Success\",\"ExpireTime\":1475157761354}}";
    static final String SEED_TWO_FACTOR_BAD = "{\"Id\":\"x\",\"Response\":\"TwoFactor\",\"Result\":{\"Info\":\"Invalid one-time password!\"}}";
    static final String SEED_SESSION_INFO = "{\"Id\":\"x\",\"Response\":\"SessionInfo\",\"Result\":{\"ClientSessionId\":"
            + "\"8165ADCC-5BFB-41B8-9A88-2F7CF0A0994B\",\"ClientSessionCreated\":1443722400000,\"TradeAllowed\":false}}";
    static final String SEED_CURRENCY_TYPES = "{\"Id\":\"x\",\"Response\":\"CurrencyTypes\",\"Result\":{\"CurrencyTypes\":[{"
            + "\"Name\":\"Default\",\"Description\":\"Default currency type\"},{\"Name\":\"Share\",\"Description\":\"Share\"}]}}";
    static final String SEED_CURRENCIES = "{\"Id\":\"x\",\"Response\":\"Currencies\",\"Result\":{\"Currencies\":[{\"Name\":\"USD\","
            + "\"Precision\":2,\"Description\":\"United States Dollar\"},{\"Name\":\"EUR\",\"Precision\":2,\"Description\":\"Euro\"}]}}";
    /** The seed's Symbols example with its missing comma after LimitsCommission put back and "StatusGroupId " without the stray space. */
    static final String SEED_SYMBOLS = "{\"Id\":\"x\",\"Response\":\"Symbols\",\"Result\":{\"Symbols\":[{\"Symbol\":\"EURUSD\","
            + "\"Precision\":5,\"IsTradeAllowed\":true,\"MarginMode\":\"Forex\",\"ProfitMode\":\"Forex\",\"ContractSize\":100000,"
            + "\"MarginHedged\":0.5,\"MarginFactor\":1,\"MarginCurrency\":\"EUR\",\"MarginCurrencyPrecision\":2,"
            + "\"ProfitCurrency\":\"USD\",\"ProfitCurrencyPrecision\":2,\"Description\":\"Euro vs US Dollar\",\"SwapEnabled\":true,"
            + "\"SwapSizeShort\":2.23,\"SwapSizeLong\":2.32,\"MinTradeAmount\":1000.00,\"MaxTradeAmount\":10000000,"
            + "\"TradeAmountStep\":1000.00,\"CommissionType\":\"Percentage\",\"CommissionChargeType\":\"PerLot\","
            + "\"CommissionChargeMethod\":\"RoundTurn\",\"Commission\":0.005,\"LimitsCommission\":0.005,\"MinCommission\":0.005,"
            + "\"MinCommissionCurrency\":0.005,\"DefaultSlippage\":0.005,\"StatusGroupId\":\"Default\",\"SecurityName\":\"Forex\","
            + "\"SecurityDescription\":\"Forex\",\"StopOrderMarginReduction\":0.005,\"HiddenLimitOrderMarginReduction\":0.005}]}}";
    static final String SEED_LEVEL_BID = "{\"Type\":\"Bid\",\"Price\":1.12912,\"Volume\":1000000}";
    static final String SEED_LEVEL_ASK = "{\"Type\":\"Ask\",\"Price\":1.12913,\"Volume\":1000000}";
    static final String SEED_TICK = "{\"Symbol\":\"EURUSD\",\"Timestamp\":1443789754160,\"BestBid\":" + SEED_LEVEL_BID
            + ",\"BestAsk\":" + SEED_LEVEL_ASK + ",\"Bids\":[" + SEED_LEVEL_BID + "],\"Asks\":[" + SEED_LEVEL_ASK + "]}";
    static final String SEED_FEED_SUBSCRIBED = "{\"Id\":\"x\",\"Response\":\"FeedSubscribe\",\"Result\":{\"Snapshot\":[" + SEED_TICK + "]}}";
    static final String SEED_FEED_UNSUBSCRIBED = "{\"Id\":\"x\",\"Response\":\"FeedSubscribe\",\"Result\":{\"Snapshot\":[]}}";
    static final String SEED_FEED_TICK = "{\"Response\":\"FeedTick\",\"Result\":" + SEED_TICK + "}";
    static final String SEED_BAR_UPDATE = "{\"Result\":{\"Updates\":[{\"Low\":1.13788,\"High\":1.13798,\"Time\":1643191200000,"
            + "\"Open\":1.13788,\"PriceType\":\"Ask\",\"Periodicity\":\"H1\"}],\"AskClose\":1.1379,\"SymbolAlias\":\"EURUSD\"},"
            + "\"Response\":\"FeedBarUpdate\"}";
    static final String SEED_BAR_UNSUBSCRIBED = "{\"Id\":\"x\",\"Response\":\"BarFeedSubscribe\",\"Result\":{}}";

    static final long T0 = 1_700_000_000_000_000L; // 2023-11-14T22:13:20Z, in microseconds

    @TempDir
    static Path dir;
    private static AuthFixture fixture;
    private static QuestDbStore store;
    private static InProcessBus bus;
    private static TickwireServer server;

    @BeforeAll
    static void start() throws Exception {
        Clock clock = Clock.system();
        fixture = new AuthFixture(clock);
        store = QuestDbStore.open(StoreSettings.defaults(dir), TestServer.CATALOG, clock);
        bus = new InProcessBus(TestServer.CATALOG, clock, 2, 1 << 14, store);
        ReferenceData reference = ReferenceData.derive(TestServer.CATALOG, List.of(
                new CurrencyInfo("USD", "Default", 2, "United States Dollar"), new CurrencyInfo("EUR", "Default", 2, "Euro")),
                List.of(new ReferenceData.RateEntry("USD", 1_000, new BigDecimal("5.25")),
                        new ReferenceData.RateEntry("USD", 2_000, new BigDecimal("5.00")),
                        new ReferenceData.RateEntry("EUR", 1_500, new BigDecimal("4.00")),
                        new ReferenceData.RateEntry("USD", 3_000, new BigDecimal("4.75"))));
        server = TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), TestServer.CATALOG, bus,
                fixture.serverAuth(null), clock, new ServerHistory(store.queries(), store::stats, false, 2, 64), reference);
        int eur = TestServer.CATALOG.find("EURUSD").id();
        for (int i = 0; i < 180; i++) { // three minutes of quotes, one a second, an hour before now-ish
            publish(new Quote(eur, 0, T0 + i * 1_000_000L, 1_12900 + i, 1_000_000, 1_12910 + i, 2_000_000, 0, 0));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> store.stats().received() >= 180);
        assertThat(store.flush(Duration.ofSeconds(20))).isTrue();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            bus.close();
            store.close();
        }
    }

    private static void publish(MarketEvent event) {
        while (!bus.offer(event)) {
            Thread.onSpinWait();
        }
    }

    static URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ticktrader");
    }

    /** The seed's login request, signed as the seed's CreateSignature does. */
    static String login(String id, String webApiId, String key, String secret, long timestamp) {
        return "{\"Id\":\"" + id + "\",\"Request\":\"Login\",\"Params\":{\"AuthType\":\"HMAC\",\"WebApiId\":\"" + webApiId
                + "\",\"WebApiKey\":\"" + key + "\",\"Timestamp\":" + timestamp + ",\"Signature\":\""
                + HmacSignatures.sign(timestamp, webApiId, key, secret) + "\",\"DeviceId\":\"WebBrowser\",\"AppSessionId\":\"123\"}}";
    }

    private static RawWebSocketClient loggedIn() {
        RawWebSocketClient client = RawWebSocketClient.connect(uri());
        client.send(login("8AF57382-DE83-49DC-9B4E-CF9FF4A4A798", AuthFixture.FEED_ID, AuthFixture.FEED_KEY,
                AuthFixture.FEED_SECRET, System.currentTimeMillis()));
        JsonNode ok = parse(client.nextText());
        assertLike(SEED_LOGIN_OK, ok.toString(), "Id");
        assertThat(ok.path("Id").asText()).isEqualTo("8AF57382-DE83-49DC-9B4E-CF9FF4A4A798");
        assertThat(ok.path("Result").path("TwoFactorFlag").asBoolean()).isFalse();
        return client;
    }

    private static JsonNode request(RawWebSocketClient client, String json) {
        client.send(json);
        return parse(client.nextText());
    }

    private static JsonNode awaitMessage(RawWebSocketClient client, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String text = client.pollText(Duration.ofNanos(deadline - System.nanoTime()));
            if (text != null && matching.test(parse(text))) {
                return parse(text);
            }
        }
        throw new AssertionError("no matching message; received " + client.history());
    }

    @Test
    void sessionInfoAndReferenceDataComeInTheSeedsShapes() {
        try (RawWebSocketClient client = loggedIn()) {
            JsonNode info = request(client, "{\"Id\":\"s1\",\"Request\":\"SessionInfo\"}");
            assertLike(SEED_SESSION_INFO, info.toString(), "Id", "Result.ClientSessionId");
            assertThat(info.path("Id").asText()).isEqualTo("s1");
            assertThat(info.path("Result").path("ClientSessionId").asText()).matches("[0-9A-F-]{36}");

            JsonNode types = request(client, "{\"Id\":2,\"Request\":\"CurrencyTypes\"}");
            assertThat(types.path("Id").asInt()).isEqualTo(2); // a number Id comes back a number
            assertLike(SEED_CURRENCY_TYPES, types.toString().replace("\"Id\":2", "\"Id\":\"x\""), "Result.CurrencyTypes[].Name",
                    "Result.CurrencyTypes[].Description");
            assertThat(types.path("Result").path("CurrencyTypes").findValuesAsText("Name")).contains("Default", "Share", "Crypto");

            JsonNode all = request(client, "{\"Id\":\"c\",\"Request\":\"Currencies\"}");
            assertLike(SEED_CURRENCIES, all.toString(), "Id", "Result.Currencies[].Name", "Result.Currencies[].Description");
            JsonNode named = request(client, "{\"Id\":\"x\",\"Request\":\"Currencies\",\"Params\":{\"Currency\":\"USD;EUR;XYZ\"}}");
            assertThat(named.path("Result").path("Currencies").findValuesAsText("Name")).containsExactlyInAnyOrder("USD", "EUR");
            assertThat(named.path("Result").path("Currencies").get(0).toString()).isIn(
                    "{\"Name\":\"USD\",\"Precision\":2,\"Description\":\"United States Dollar\"}",
                    "{\"Name\":\"EUR\",\"Precision\":2,\"Description\":\"Euro\"}");
            JsonNode shares = request(client, "{\"Id\":\"x\",\"Request\":\"Currencies\",\"Params\":{\"Type\":\"Share\"}}");
            assertThat(shares.path("Result").path("Currencies").findValuesAsText("Name")).containsExactlyInAnyOrder("AAPL", "MSFT");
            JsonNode none = request(client, "{\"Id\":\"x\",\"Request\":\"Currencies\",\"Params\":{\"Currency\":\"XYZ\"}}");
            assertThat(none.path("Result").path("Currencies")).isEmpty();

            JsonNode symbols = request(client, "{\"Id\":\"x\",\"Request\":\"Symbols\",\"Params\":{\"Symbol\":\"EURUSD\"}}");
            assertLike(SEED_SYMBOLS, symbols.toString());
            JsonNode forex = request(client, "{\"Id\":\"x\",\"Request\":\"Symbols\",\"Params\":{\"Security\":\"Forex\"}}");
            assertThat(forex.path("Result").path("Symbols").findValuesAsText("Symbol")).containsExactly("EURUSD");
            JsonNode every = request(client, "{\"Id\":\"x\",\"Request\":\"Symbols\"}");
            assertThat(every.path("Result").path("Symbols")).hasSize(TestServer.CATALOG.size());
            assertThat(request(client, "{\"Id\":\"x\",\"Request\":\"Symbols\",\"Params\":{\"Symbol\":\"NOPE\"}}")
                    .path("Result").path("Symbols")).isEmpty();
        }
    }

    @Test
    void feedSubscribeAnswersWithTheSnapshotThenFeedTicksFollowAtTheBookDepth() {
        int eur = TestServer.CATALOG.find("EURUSD").id();
        BookUpdate.Builder book = BookUpdate.builder(eur, 0);
        for (int i = 0; i < 5; i++) {
            book.set(BookSide.BID, 1_12912 - i, 1_000_000 + i).set(BookSide.ASK, 1_12913 + i, 1_000_000 + i);
        }
        publish(book.build());
        try (RawWebSocketClient client = loggedIn()) {
            await().untilAsserted(() -> {
                JsonNode response = request(client, "{\"Id\":\"f1\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":"
                        + "[{\"Symbol\":\"EURUSD\",\"BookDepth\":3}]}}");
                assertLike(SEED_FEED_SUBSCRIBED, response.toString(), "Id");
                assertThat(response.path("Result").path("Snapshot")).hasSize(1);
            });
            JsonNode snapshot = request(client, "{\"Id\":\"f2\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":"
                    + "[{\"Symbol\":\"EURUSD\",\"BookDepth\":3,\"FrequencyPriority\":0},{\"Symbol\":\"BTCUSDT\",\"BookDepth\":2}]}}");
            JsonNode eurTick = snapshot.path("Result").path("Snapshot").get(0);
            assertThat(eurTick.path("Bids")).hasSize(3);
            assertThat(eurTick.path("BestBid").path("Price").decimalValue()).isEqualByComparingTo("1.12912");
            assertThat(eurTick.path("Asks").get(2).path("Price").decimalValue()).isEqualByComparingTo("1.12915");
            JsonNode btc = snapshot.path("Result").path("Snapshot").get(1); // BTCUSDT's book is empty
            assertThat(btc.path("Symbol").asText()).isEqualTo("BTCUSDT");
            assertThat(btc.path("Bids")).isEmpty();
            assertThat(btc.has("BestBid")).isFalse();

            publish(BookUpdate.builder(eur, 0).set(BookSide.BID, 1_12912, 550_000).build());
            JsonNode tick = awaitMessage(client, m -> "FeedTick".equals(m.path("Response").asText()));
            assertLike(SEED_FEED_TICK, tick.toString());
            assertThat(tick.path("Result").path("BestBid").path("Volume").asLong()).isEqualTo(550_000);
            assertThat(tick.path("Result").path("Bids")).hasSize(3);

            JsonNode off = request(client, "{\"Id\":\"u\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Unsubscribe\":[\"EURUSD\",\"BTCUSDT\"]}}");
            assertLike(SEED_FEED_UNSUBSCRIBED, off.toString(), "Id");

            // requests overtaking each other's snapshots are all answered, in order
            client.sendAll(List.of(
                    "{\"Id\":\"r1\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BookDepth\":2}]}}",
                    "{\"Id\":\"r2\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BookDepth\":2}]}}",
                    "{\"Id\":\"r3\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Unsubscribe\":[\"EURUSD\"]}}"));
            List<String> ids = new java.util.ArrayList<>();
            while (ids.size() < 3) {
                JsonNode m = parse(client.nextText());
                if (m.has("Id")) {
                    ids.add(m.get("Id").asText());
                }
            }
            assertThat(ids).containsExactly("r1", "r2", "r3");
        }
    }

    @Test
    void malformedSubscribeAndUnsubscribeListsGetErrorsNamingTheirFault() {
        try (RawWebSocketClient client = loggedIn()) {
            for (String request : List.of("FeedSubscribe", "BarFeedSubscribe")) {
                String prefix = "{\"Id\":\"e\",\"Request\":\"" + request + "\",\"Params\":";
                assertThat(request(client, prefix + "{\"Unsubscribe\":\"EURUSD\"}}").path("Error").asText())
                        .isEqualTo("Invalid parameter 'Unsubscribe': must be a non-empty array of symbols");
                assertThat(request(client, prefix + "{\"Subscribe\":[]}}").path("Error").asText())
                        .isEqualTo("Invalid parameter 'Subscribe': must be a non-empty array");
                assertThat(request(client, prefix + "{}}").path("Error").asText())
                        .isEqualTo("Invalid parameters: 'Subscribe' or 'Unsubscribe' is required");
                assertThat(request(client, prefix + "{\"Unsubscribe\":[7]}}").path("Error").asText())
                        .startsWith("Invalid parameter 'Unsubscribe': each entry must be a symbol");
            }
        }
    }

    @Test
    void unsubscribeEntriesMayNameTheirSymbolAsSubscribeEntriesDo() {
        try (RawWebSocketClient client = loggedIn()) {
            assertThat(request(client, "{\"Id\":\"x\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Unsubscribe\":["
                    + "{\"Symbol\":\"EURUSD\"}]}}")).isEqualTo(parse(SEED_FEED_UNSUBSCRIBED));
            assertThat(request(client, "{\"Id\":\"x\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Unsubscribe\":["
                    + "{\"Symbol\":\"EURUSD\"}]}}")).isEqualTo(parse(SEED_BAR_UNSUBSCRIBED));
        }
    }

    @Test
    void subscribeAndUnsubscribeInOneRequestUnsubscribeFirstThenSubscribe() {
        try (RawWebSocketClient client = loggedIn()) {
            // three symbols: the plan's limit
            JsonNode full = request(client, "{\"Id\":\"f\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":["
                    + "{\"Symbol\":\"EURUSD\",\"BookDepth\":1},{\"Symbol\":\"BTCUSDT\",\"BookDepth\":1},"
                    + "{\"Symbol\":\"ETHUSDT\",\"BookDepth\":1}]}}");
            assertThat(full.path("Result").path("Snapshot")).as(full.toString()).hasSize(3);
            // one request swaps EURUSD for AAPL: the Unsubscribe first frees room for the Subscribe
            JsonNode swapped = request(client, "{\"Id\":\"s\",\"Request\":\"FeedSubscribe\",\"Params\":{"
                    + "\"Unsubscribe\":[\"EURUSD\"],\"Subscribe\":[{\"Symbol\":\"AAPL\",\"BookDepth\":1}]}}");
            assertThat(swapped.path("Response").asText()).as(swapped.toString()).isEqualTo("FeedSubscribe");
            assertThat(swapped.path("Result").path("Snapshot").findValuesAsText("Symbol")).containsExactly("AAPL");
            // both were applied: EURUSD is gone and AAPL holds its place
            JsonNode again = request(client, "{\"Id\":\"a\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":["
                    + "{\"Symbol\":\"EURUSD\",\"BookDepth\":1}]}}");
            assertThat(again.path("Error").asText()).as(again.toString()).contains("allows 3 symbols");
        }
    }

    @Test
    void barFeedSubscribeSendsFeedBarUpdatesAndUnsubscribes() {
        int eur = TestServer.CATALOG.find("EURUSD").id();
        try (RawWebSocketClient client = loggedIn()) {
            JsonNode ack = request(client, "{\"Id\":\"b\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Subscribe\":[{"
                    + "\"Symbol\":\"EURUSD\",\"BarParams\":[{\"Periodicity\":\"H1\",\"PriceType\":\"Ask\"},"
                    + "{\"Periodicity\":\"M1\",\"PriceType\":\"Bid\"}]}]}}");
            assertLike(SEED_BAR_UNSUBSCRIBED.replace("\"x\"", "\"b\""), ack.toString());
            publish(new Quote(eur, 0, 0, 1_13780, 1_000_000, 1_13790, 1_000_000, 0, 0));
            JsonNode ask = awaitMessage(client, m -> "FeedBarUpdate".equals(m.path("Response").asText())
                    && m.path("Result").has("AskClose") && m.path("Result").path("AskClose").decimalValue()
                    .compareTo(new BigDecimal("1.1379")) == 0);
            assertLike(SEED_BAR_UPDATE, ask.toString());
            assertThat(ask.path("Result").path("Updates").get(0).path("Periodicity").asText()).isEqualTo("H1");
            assertThat(ask.path("Result").path("Updates").get(0).path("Time").asLong() % 3_600_000).isZero();
            JsonNode bid = client.history().stream().map(io.tickwire.server.dialect.SeedShapes::parse)
                    .filter(m -> m.path("Result").has("BidClose")).findFirst().orElseThrow();
            assertLike(SEED_BAR_UPDATE.replace("Ask", "Bid").replace("H1", "M1"), bid.toString());
            client.send("{\"Id\":\"x\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Unsubscribe\":[\"EURUSD\"]}}");
            JsonNode off = awaitMessage(client, m -> m.has("Id")); // bar updates may still be on their way
            assertThat(off).isEqualTo(parse(SEED_BAR_UNSUBSCRIBED));
        }
    }

    @Test
    void aBarUpdateIdenticalToTheStreamsLastIsNotSentYetEverySubscriberGetsTheCurrentBar() {
        int msft = TestServer.CATALOG.find("MSFT").id();
        String subscribe = "{\"Id\":\"b\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Subscribe\":[{"
                + "\"Symbol\":\"MSFT\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Ask\"}]}]}}";
        Predicate<JsonNode> ask101 = m -> m.path("Result").path("AskClose").decimalValue().compareTo(new BigDecimal("101")) == 0;
        try (RawWebSocketClient first = loggedIn(); RawWebSocketClient second = loggedIn()) {
            assertThat(request(first, subscribe).path("Response").asText()).isEqualTo("BarFeedSubscribe");
            publish(new Quote(msft, 0, 0, 100_00, 10, 101_00, 10, 0, 0));
            awaitMessage(first, ask101);
            for (int i = 1; i <= 5; i++) { // trades add to the Ask bar's volume, which its frame does not show
                publish(new Trade(msft, 0, 0, 100_50, i, Side.BUY, 0));
            }
            // a subscriber arriving now gets the current bar though it has not changed
            assertThat(request(second, subscribe).path("Response").asText()).isEqualTo("BarFeedSubscribe");
            awaitMessage(second, ask101);
            for (int i = 1; i <= 5; i++) {
                publish(new Trade(msft, 0, 0, 100_50, i, Side.SELL, 0));
            }
            publish(new Quote(msft, 0, 0, 100_00, 10, 102_00, 10, 0, 0));
            for (RawWebSocketClient client : List.of(first, second)) {
                awaitMessage(client, m -> m.path("Result").path("AskClose").decimalValue().compareTo(new BigDecimal("102")) == 0);
                // a stream keeps its order: every earlier update is in; none repeats the one before
                // (a new minute between the quotes would add a bar, not a repeat)
                List<String> updates = client.history().stream().filter(t -> t.contains("FeedBarUpdate")).toList();
                for (int i = 1; i < updates.size(); i++) {
                    assertThat(updates.get(i)).as(String.join("\n", updates)).isNotEqualTo(updates.get(i - 1));
                }
            }
        }
    }

    @Test
    void quoteHistoryRequestsAnswerFromTheStore() {
        try (RawWebSocketClient client = loggedIn()) {
            JsonNode version = request(client, "{\"Id\":\"v\",\"Request\":\"QuoteHistoryVersion\"}");
            assertThat(version.path("Response").asText()).isEqualTo("QuoteHistoryVersion");
            assertThat(version.path("Result").path("Version").isTextual()).isTrue();
            JsonNode symbols = request(client, "{\"Id\":\"s\",\"Request\":\"QuoteHistorySymbols\"}");
            assertThat(symbols.path("Result").path("Symbols").findValuesAsText("Symbols")).isEmpty();
            assertThat(symbols.path("Result").path("Symbols").toString()).contains("EURUSD");
            JsonNode periods = request(client, "{\"Id\":\"p\",\"Request\":\"QuoteHistoryPeriodicities\",\"Params\":{\"Symbol\":\"EURUSD\"}}");
            assertThat(periods.path("Result").path("Periodicities").toString()).contains("\"M1\"", "\"MN1\"");
            JsonNode info = request(client, "{\"Id\":\"i\",\"Request\":\"QuoteHistoryBarsInfo\",\"Params\":{\"Symbol\":\"EURUSD\","
                    + "\"Periodicity\":\"M1\",\"PriceType\":\"bid\"}}");
            assertThat(info.path("Result").path("AvailableFrom").asLong()).isEqualTo(T0 / 1_000);

            JsonNode forward = request(client, "{\"Id\":\"f\",\"Request\":\"QuoteHistoryBars\",\"Params\":{\"Symbol\":\"EURUSD\","
                    + "\"Periodicity\":\"M1\",\"PriceType\":\"bid\",\"Timestamp\":" + T0 / 1_000 + ",\"Count\":2}}");
            assertThat(forward.path("Response").asText()).as(forward.toString()).isEqualTo("QuoteHistoryBars");
            JsonNode bars = forward.path("Result").path("Bars");
            assertThat(bars).hasSize(2);
            long firstMinute = (T0 / 60_000_000 + 1) * 60_000; // the first bar opening at or after Timestamp
            assertThat(bars.get(0).path("Time").asLong()).isEqualTo(firstMinute);
            assertThat(bars.get(0).path("Open").decimalValue()).isEqualByComparingTo("1.1294"); // the quote 40 s after T0
            JsonNode backward = request(client, "{\"Id\":\"b\",\"Request\":\"QuoteHistoryBars\",\"Params\":{\"Symbol\":\"EURUSD\","
                    + "\"Periodicity\":\"M1\",\"PriceType\":\"ask\",\"Timestamp\":" + (T0 / 1_000 + 3_600_000) + ",\"Count\":-1000}}");
            // the quotes span 22:13:20 to 22:16:19: four minutes, all opening before Timestamp
            assertThat(backward.path("Result").path("Bars").size()).isEqualTo(4);
            for (String count : List.of("0", "1001", "-1001", "\"ten\"")) {
                JsonNode refused = request(client, "{\"Id\":\"c\",\"Request\":\"QuoteHistoryBars\",\"Params\":{\"Symbol\":\"EURUSD\","
                        + "\"Periodicity\":\"M1\",\"PriceType\":\"bid\",\"Timestamp\":1,\"Count\":" + count + "}}");
                assertLike(SEED_ERROR, refused.toString(), "Id", "Error");
                assertThat(refused.path("Error").asText()).contains("Count");
            }
        }
    }

    @Test
    void quoteHistoryAndSymbolListsAreBoundByThePlanAsFeedsAre() {
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri())) {
            client.send(login("l", AuthFixture.CRYPTO_ID, AuthFixture.CRYPTO_KEY, AuthFixture.CRYPTO_SECRET,
                    System.currentTimeMillis()));
            assertThat(parse(client.nextText()).path("Result").path("Info").asText()).isEqualTo("ok");
            // EURUSD has stored quotes, but the crypto plan does not include it
            String refused = "Plan 'crypto' does not include EURUSD";
            for (String request : List.of(
                    "{\"Id\":\"x\",\"Request\":\"QuoteHistoryPeriodicities\",\"Params\":{\"Symbol\":\"EURUSD\"}}",
                    "{\"Id\":\"x\",\"Request\":\"QuoteHistoryBarsInfo\",\"Params\":{\"Symbol\":\"EURUSD\",\"Periodicity\":\"M1\","
                            + "\"PriceType\":\"bid\"}}",
                    "{\"Id\":\"x\",\"Request\":\"QuoteHistoryBars\",\"Params\":{\"Symbol\":\"EURUSD\",\"Periodicity\":\"M1\","
                            + "\"PriceType\":\"bid\",\"Timestamp\":" + T0 / 1_000 + ",\"Count\":2}}")) {
                JsonNode answer = request(client, request);
                assertLike(SEED_ERROR, answer.toString(), "Id", "Error");
                assertThat(answer.path("Error").asText()).as(request).isEqualTo(refused);
            }
            JsonNode symbols = request(client, "{\"Id\":\"s\",\"Request\":\"QuoteHistorySymbols\"}");
            assertThat(symbols.path("Result").path("Symbols").toString()).doesNotContain("EURUSD");
            JsonNode terms = request(client, "{\"Id\":\"t\",\"Request\":\"Symbols\"}");
            assertThat(terms.path("Result").path("Symbols").findValuesAsText("Symbol")).containsExactly("BTCUSDT", "ETHUSDT");
        }
    }

    @Test
    void interestRateHistoryPagesForwardAndBackward() {
        try (RawWebSocketClient client = loggedIn()) {
            JsonNode first = request(client, "{\"Id\":\"r\",\"Request\":\"InterestRateHistory\",\"Params\":{\"Currency\":\"USD\","
                    + "\"RequestPageSize\":2}}");
            JsonNode rates = first.path("Result").path("InterestRates");
            assertThat(rates.findValuesAsText("Rate")).containsExactly("5.25", "5");
            long last = first.path("Result").path("LastId").asLong();
            JsonNode next = request(client, "{\"Id\":\"r\",\"Request\":\"InterestRateHistory\",\"Params\":{\"Currency\":\"USD\","
                    + "\"RequestPageSize\":2,\"RequestLastId\":" + last + "}}");
            assertThat(next.path("Result").path("InterestRates").findValuesAsText("Rate")).containsExactly("4.75");
            JsonNode backward = request(client, "{\"Id\":\"r\",\"Request\":\"InterestRateHistory\",\"Params\":{\"Currency\":\"USD\","
                    + "\"TimestampFrom\":1000,\"TimestampTo\":2500,\"RequestDirection\":\"Backward\"}}");
            assertThat(backward.path("Result").path("InterestRates").findValuesAsText("Timestamp")).containsExactly("2000", "1000");
            for (String bad : List.of("\"Currency\":\"XYZ\"", "\"Currency\":\"USD\",\"RequestDirection\":\"Sideways\"",
                    "\"Currency\":\"USD\",\"RequestPageSize\":0", "\"Currency\":\"USD\",\"RequestPageSize\":1001",
                    "\"Currency\":\"USD\",\"RequestLastId\":\"x\"", "\"Currency\":\"USD\",\"TimestampFrom\":\"today\"",
                    // numbers that are not whole or do not fit: an error, not a dropped connection or a wrapped value
                    "\"Currency\":\"USD\",\"RequestLastId\":1.5", "\"Currency\":\"USD\",\"RequestLastId\":99999999999999999999",
                    "\"Currency\":\"USD\",\"RequestPageSize\":4294967297", "\"Currency\":\"USD\",\"TimestampTo\":1e30")) {
                JsonNode refused = request(client, "{\"Id\":\"e\",\"Request\":\"InterestRateHistory\",\"Params\":{" + bad + "}}");
                assertLike(SEED_ERROR, refused.toString(), "Id", "Error");
            }
            // a whole number written as a decimal is that number
            JsonNode decimal = request(client, "{\"Id\":\"r\",\"Request\":\"InterestRateHistory\",\"Params\":{\"Currency\":\"USD\","
                    + "\"RequestPageSize\":2,\"RequestLastId\":" + last + ".0}}");
            assertThat(decimal.path("Result").path("InterestRates").findValuesAsText("Rate")).containsExactly("4.75");
            JsonNode book = request(client, "{\"Id\":\"d\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":["
                    + "{\"Symbol\":\"EURUSD\",\"BookDepth\":4294967297}]}}");
            assertThat(book.path("Error").asText()).as(book.toString()).contains("BookDepth");
        }
    }

    @Test
    void twoFactorIsRequiredAfterLoginForAccountsWithATotpSeedAndCanBeResumed() {
        long now = System.currentTimeMillis();
        String resumedLogin;
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri())) {
            client.send(login("L", AuthFixture.GUARDED_ID, AuthFixture.GUARDED_KEY, AuthFixture.GUARDED_SECRET, now));
            JsonNode ok = parse(client.nextText());
            assertLike(SEED_LOGIN_OK, ok.toString(), "Id");
            assertThat(ok.path("Result").path("TwoFactorFlag").asBoolean()).isTrue();
            assertLike(SEED_TWO_FACTOR_REQUIRED, client.nextText(), "Id");
            assertLike(SEED_ERROR, request(client, "{\"Id\":\"early\",\"Request\":\"SessionInfo\"}").toString(), "Id", "Error");
            JsonNode bad = request(client, "{\"Id\":\"t0\",\"Request\":\"TwoFactor\",\"Params\":{\"OneTimePassword\":\"000000\"}}");
            if (!fixture.totp(0).equals("000000")) {
                assertThat(bad).isEqualTo(parse(SEED_TWO_FACTOR_BAD.replace("\"x\"", "\"t0\"")));
            }
            JsonNode good = request(client, "{\"Id\":\"t1\",\"Request\":\"TwoFactor\",\"Params\":{\"OneTimePassword\":\""
                    + fixture.totp(0) + "\"}}");
            assertLike(SEED_TWO_FACTOR_OK, good.toString(), "Id");
            long expires = good.path("Result").path("ExpireTime").asLong();
            assertThat(expires).isGreaterThan(now);
            // the seed's resume request, trailing comma and all, on the same session
            JsonNode resumed = request(client, "{\"Id\":\"t2\",\"Request\":\"TwoFactor\",}");
            assertThat(resumed.path("Result").path("ExpireTime").asLong()).isEqualTo(expires);
            assertLike(SEED_SESSION_INFO, request(client, "{\"Id\":\"s\",\"Request\":\"SessionInfo\"}").toString(),
                    "Id", "Result.ClientSessionId");
            resumedLogin = login("L2", AuthFixture.GUARDED_ID, AuthFixture.GUARDED_KEY, AuthFixture.GUARDED_SECRET,
                    System.currentTimeMillis() + 1);
        }
        // a new connection of the same device and application session resumes without a code
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri())) {
            client.send(resumedLogin);
            assertThat(parse(client.nextText()).path("Result").path("TwoFactorFlag").asBoolean()).isTrue();
            client.nextText(); // two-factor required
            JsonNode resumed = request(client, "{\"Id\":\"t3\",\"Request\":\"TwoFactor\"}");
            assertLike(SEED_TWO_FACTOR_OK, resumed.toString(), "Id");
            assertThat(request(client, "{\"Id\":\"s\",\"Request\":\"SessionInfo\"}").path("Response").asText()).isEqualTo("SessionInfo");
        }
    }

    /**
     * Seed 004's own JavaScript login sample, run by Node with the npm {@code ws} package and
     * Node's crypto HMAC (src/test/node/ticktrader/login.mjs), installed by {@code npm ci} from the
     * committed lock file into target/.
     */
    @Test
    void theSeedsJavaScriptLoginSampleLogsInFromNode() throws Exception {
        Assumptions.assumeTrue(NodeScripts.available(), "node and npm are not installed: the seed's JavaScript sample is not run");
        Path script = NodeScripts.install(Path.of("src/test/node/ticktrader"), Path.of("target/node-ticktrader"));
        NodeScripts.Result result = NodeScripts.run(script.resolve("login.mjs"), Duration.ofSeconds(60), uri().toString(),
                AuthFixture.FEED_ID, AuthFixture.FEED_KEY, AuthFixture.FEED_SECRET);
        assertThat(result.exitCode()).as(result.output()).isZero();
        List<String> lines = result.output().lines().toList();
        assertThat(lines).as(result.output()).hasSize(3).last().isEqualTo("closed");
        assertLike(SEED_LOGIN_OK, lines.get(0), "Id");
        assertThat(parse(lines.get(0)).path("Id").asText()).isEqualTo("8AF57382-DE83-49DC-9B4E-CF9FF4A4A798");
        assertThat(parse(lines.get(0)).path("Result").path("TwoFactorFlag").asBoolean()).isFalse();
        assertLike(SEED_SESSION_INFO, lines.get(1), "Id", "Result.ClientSessionId");
    }

    @Test
    void aSubscriptionBeyondThePlansSymbolLimitIsRefusedWhole() {
        try (RawWebSocketClient client = loggedIn()) { // the feed plan allows three symbols
            for (String request : List.of("FeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BookDepth\":1},"
                            + "{\"Symbol\":\"BTCUSDT\",\"BookDepth\":1},{\"Symbol\":\"ETHUSDT\",\"BookDepth\":1},"
                            + "{\"Symbol\":\"AAPL\",\"BookDepth\":1}]}}",
                    "BarFeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BarParams\":[{\"Periodicity\":\"M1\","
                            + "\"PriceType\":\"Bid\"}]},{\"Symbol\":\"BTCUSDT\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Bid\"}]},"
                            + "{\"Symbol\":\"ETHUSDT\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Bid\"}]},"
                            + "{\"Symbol\":\"AAPL\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Bid\"}]}]}}")) {
                JsonNode refused = request(client, "{\"Id\":\"big\",\"Request\":\"" + request);
                assertLike(SEED_ERROR, refused.toString(), "Id", "Error");
                assertThat(refused.path("Error").asText()).contains("3 symbols");
            }
            // nothing stayed subscribed: three other symbols fit
            JsonNode ok = request(client, "{\"Id\":\"ok\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":["
                    + "{\"Symbol\":\"AAPL\",\"BookDepth\":1},{\"Symbol\":\"MSFT\",\"BookDepth\":1},{\"Symbol\":\"ETHUSDT\",\"BookDepth\":1}]}}");
            assertThat(ok.path("Response").asText()).as(ok.toString()).isEqualTo("FeedSubscribe");
            assertThat(ok.path("Result").path("Snapshot")).hasSize(3);
        }
    }

    @Test
    void aRefusedSubscriptionLeavesTheSymbolsSubscribedBeforeIt() {
        try (RawWebSocketClient client = loggedIn()) { // the feed plan allows three symbols
            JsonNode first = request(client, "{\"Id\":\"one\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":["
                    + "{\"Symbol\":\"EURUSD\",\"BookDepth\":1}]}}");
            assertThat(first.path("Result").path("Snapshot")).as(first.toString()).hasSize(1);
            JsonNode refused = request(client, "{\"Id\":\"big\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":["
                    + "{\"Symbol\":\"EURUSD\",\"BookDepth\":1},{\"Symbol\":\"BTCUSDT\",\"BookDepth\":1},"
                    + "{\"Symbol\":\"ETHUSDT\",\"BookDepth\":1},{\"Symbol\":\"AAPL\",\"BookDepth\":1}]}}");
            assertThat(refused.path("Error").asText()).as(refused.toString()).contains("would make 4");
            // EURUSD is still subscribed: two more symbols fit, a third does not
            JsonNode two = request(client, "{\"Id\":\"two\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":["
                    + "{\"Symbol\":\"BTCUSDT\",\"BookDepth\":1},{\"Symbol\":\"ETHUSDT\",\"BookDepth\":1}]}}");
            assertThat(two.path("Result").path("Snapshot")).as(two.toString()).hasSize(2);
            JsonNode fourth = request(client, "{\"Id\":\"four\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Subscribe\":["
                    + "{\"Symbol\":\"AAPL\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Bid\"}]}]}}");
            assertThat(fourth.path("Error").asText()).as(fourth.toString()).contains("would make 4");
        }
    }

    /**
     * A refused FeedSubscribe or BarFeedSubscribe that names streams the connection already has is
     * all or nothing without touching them: the book and bar streams subscribed before it go on.
     */
    @Test
    void aRefusedRequestThatSubscribesExistingStreamsAgainLeavesThemStreaming() {
        int eur = TestServer.CATALOG.find("EURUSD").id();
        String eurBook = "{\"Symbol\":\"EURUSD\",\"BookDepth\":1}";
        String eurBidBars = "{\"Symbol\":\"EURUSD\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Bid\"}]}";
        try (RawWebSocketClient client = loggedIn()) { // the feed plan allows three symbols
            client.send("{\"Id\":\"book\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":[" + eurBook + "]}}");
            assertThat(answer(client, "book").path("Response").asText()).isEqualTo("FeedSubscribe");
            client.send("{\"Id\":\"bars\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Subscribe\":[" + eurBidBars + "]}}");
            assertThat(answer(client, "bars").path("Response").asText()).isEqualTo("BarFeedSubscribe");
            String others = ",{\"Symbol\":\"BTCUSDT\",\"BookDepth\":1},{\"Symbol\":\"ETHUSDT\",\"BookDepth\":1},"
                    + "{\"Symbol\":\"AAPL\",\"BookDepth\":1}";
            String otherBars = ",{\"Symbol\":\"BTCUSDT\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Bid\"}]},"
                    + "{\"Symbol\":\"ETHUSDT\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Ask\"}]},"
                    + "{\"Symbol\":\"AAPL\",\"BarParams\":[{\"Periodicity\":\"H1\",\"PriceType\":\"Bid\"}]}";
            for (String refused : List.of(
                    "FeedSubscribe\",\"Params\":{\"Subscribe\":[" + eurBook + ",{\"Symbol\":\"NOPE\",\"BookDepth\":1}]}}",
                    "FeedSubscribe\",\"Params\":{\"Subscribe\":[" + eurBook + others + "]}}",
                    "BarFeedSubscribe\",\"Params\":{\"Subscribe\":[" + eurBidBars + ",{\"Symbol\":\"EURUSD\",\"BarParams\":"
                            + "[{\"Periodicity\":\"M2\",\"PriceType\":\"Ask\"}]}]}}",
                    "BarFeedSubscribe\",\"Params\":{\"Subscribe\":[" + eurBidBars + otherBars + "]}}")) {
                client.send("{\"Id\":\"no\",\"Request\":\"" + refused);
                assertThat(answer(client, "no").path("Response").asText()).as(refused).isEqualTo("Error");
            }
            publish(BookUpdate.builder(eur, 0).set(BookSide.BID, 1_14321, 777_000).build());
            publish(new Quote(eur, 0, 0, 1_14321, 777_000, 1_14331, 1_000_000, 0, 0));
            awaitMessage(client, m -> "FeedTick".equals(m.path("Response").asText())
                    && m.path("Result").path("BestBid").path("Volume").asLong() == 777_000);
            awaitMessage(client, m -> "FeedBarUpdate".equals(m.path("Response").asText())
                    && m.path("Result").path("BidClose").decimalValue().compareTo(new BigDecimal("1.14321")) == 0);
        }
    }

    /** The answer to the request {@code id}, passing over stream notifications that come first. */
    private static JsonNode answer(RawWebSocketClient client, String id) {
        return awaitMessage(client, m -> id.equals(m.path("Id").asText()));
    }

    @Test
    void withoutAStoreTheQuoteHistoryRequestsSayItIsNotAvailableInTickTradersWords() {
        InProcessBus noStoreBus = new InProcessBus(TestServer.CATALOG, Clock.system(), 1, 1 << 10);
        TickwireServer noStore = TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestServer.CATALOG, noStoreBus, fixture.serverAuth(null), Clock.system());
        try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + noStore.port() + "/ticktrader"))) {
            client.send(login("l", AuthFixture.FEED_ID, AuthFixture.FEED_KEY, AuthFixture.FEED_SECRET, System.currentTimeMillis()));
            assertLike(SEED_LOGIN_OK, client.nextText(), "Id");
            for (String unavailable : List.of("{\"Id\":\"s\",\"Request\":\"QuoteHistorySymbols\"}",
                    "{\"Id\":\"i\",\"Request\":\"QuoteHistoryBarsInfo\",\"Params\":{\"Symbol\":\"EURUSD\",\"Periodicity\":\"M1\","
                            + "\"PriceType\":\"bid\"}}",
                    "{\"Id\":\"b\",\"Request\":\"QuoteHistoryBars\",\"Params\":{\"Symbol\":\"EURUSD\",\"Periodicity\":\"M1\","
                            + "\"PriceType\":\"bid\",\"Timestamp\":1700000000000,\"Count\":-5}}")) {
                JsonNode error = request(client, unavailable);
                assertLike(SEED_ERROR, error.toString(), "Id", "Error");
                assertThat(error.path("Error").asText()).as(unavailable).isEqualTo("Quote history is not available on this server");
            }
            assertThat(request(client, "{\"Id\":\"v\",\"Request\":\"QuoteHistoryVersion\"}").path("Response").asText())
                    .isEqualTo("QuoteHistoryVersion");
        } finally {
            noStore.close();
            noStoreBus.close();
        }
    }

    @Test
    void twoFactorOutOfPlaceAndASecondBadLoginAreErrorsInTickTradersWordsAndTheConnectionStays() {
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri())) {
            JsonNode early = request(client, "{\"Id\":\"t\",\"Request\":\"TwoFactor\",\"Params\":{\"OneTimePassword\":\"123456\"}}");
            assertLike(SEED_ERROR, early.toString(), "Id", "Error");
            assertThat(early.path("Error").asText()).isEqualTo("Session is not logged in");
            // still connected: the next request is answered
            assertThat(request(client, "{\"Id\":\"i\",\"Request\":\"SessionInfo\"}").path("Error").asText())
                    .isEqualTo("Session is not logged in");
        }
        try (RawWebSocketClient client = loggedIn()) {
            JsonNode late = request(client, "{\"Id\":\"t\",\"Request\":\"TwoFactor\",\"Params\":{\"OneTimePassword\":\"123456\"}}");
            assertThat(late.path("Error").asText()).isEqualTo("Two-factor authentication is not pending: the session is logged in");
            JsonNode again = request(client, login("again", AuthFixture.FEED_ID, AuthFixture.FEED_KEY, "not-the-secret",
                    System.currentTimeMillis()));
            assertLike(SEED_ERROR, again.toString(), "Id", "Error");
            // the session keeps its login
            assertThat(request(client, "{\"Id\":\"i\",\"Request\":\"SessionInfo\"}").path("Response").asText())
                    .isEqualTo("SessionInfo");
        }
    }

    @Test
    void aBadSignatureIsAnErrorAndTheConnectionIsClosed() {
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri())) {
            client.send(login("bad", AuthFixture.FEED_ID, AuthFixture.FEED_KEY, "not-the-secret", System.currentTimeMillis()));
            JsonNode error = parse(client.nextText());
            assertLike(SEED_ERROR, error.toString(), "Id", "Error");
            assertThat(error.path("Id").asText()).isEqualTo("bad");
            assertThat(client.awaitClose().code()).isEqualTo(CloseCode.AUTH_FAILED.code());
        }
    }

    @Test
    void malformedUnknownAndInvalidRequestsAreErrorsInTickTradersStyle() {
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri())) {
            assertLike(SEED_ERROR, request(client, "{\"Id\":\"x\",\"Request\":\"SessionInfo\"}").toString(), "Error");
            assertLike(SEED_ERROR, request(client, "{\"Id\":\"x\",\"Request\":\"Login\",\"Params\":{\"AuthType\":\"Password\"}}")
                    .toString(), "Error");
            assertLike(SEED_ERROR, request(client, "{\"Id\":\"x\",\"Request\":\"Login\",\"Params\":{\"AuthType\":\"HMAC\"}}")
                    .toString(), "Error");
        }
        try (RawWebSocketClient client = loggedIn()) {
            for (String bad : List.of(
                    "{\"Id\":\"x\",\"Request\":\"Teleport\"}",
                    "{\"Id\":\"x\"}",
                    "{\"Id\":\"x\",\"Request\":\"Symbols\",\"Params\":[1]}",
                    "{\"Id\":\"x\",\"Request\":\"FeedSubscribe\",\"Params\":{}}",
                    "{\"Id\":\"x\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"NOPE\",\"BookDepth\":1}]}}",
                    "{\"Id\":\"x\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BookDepth\":0}]}}",
                    "{\"Id\":\"x\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BookDepth\":99}]}}",
                    "{\"Id\":\"x\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BookDepth\":1,\"FrequencyPriority\":8}]}}",
                    "{\"Id\":\"x\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Unsubscribe\":[\"NOPE\"]}}",
                    "{\"Id\":\"x\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BarParams\":[{\"Periodicity\":\"M2\",\"PriceType\":\"Bid\"}]}]}}",
                    "{\"Id\":\"x\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\",\"BarParams\":[{\"Periodicity\":\"M1\",\"PriceType\":\"Mid\"}]}]}}",
                    "{\"Id\":\"x\",\"Request\":\"BarFeedSubscribe\",\"Params\":{\"Subscribe\":[{\"Symbol\":\"EURUSD\"}]}}",
                    "{\"Id\":\"x\",\"Request\":\"QuoteHistoryPeriodicities\",\"Params\":{\"Symbol\":\"NOPE\"}}",
                    "{\"Id\":\"x\",\"Request\":\"QuoteHistoryBarsInfo\",\"Params\":{\"Symbol\":\"EURUSD\",\"Periodicity\":\"M1\",\"PriceType\":\"mid\"}}",
                    "{\"Id\":\"x\",\"Request\":\"QuoteHistoryBars\",\"Params\":{\"Symbol\":\"EURUSD\",\"Periodicity\":\"M1\",\"PriceType\":\"bid\",\"Count\":5}}",
                    "{\"Id\":\"x\",\"Request\":\"InterestRateHistory\",\"Params\":{}}",
                    "{\"Id\":\"x\",\"Request\":\"TwoFactor\",\"Params\":{\"OneTimePassword\":\"123456\"}}")) {
                JsonNode error = request(client, bad);
                assertLike(SEED_ERROR, error.toString(), "Error");
            }
            assertThat(request(client, "not json")).isEqualTo(parse("{\"Id\":null,\"Response\":\"Error\",\"Error\":"
                    + "\"Invalid request: a JSON object is expected\"}"));
            assertThat(request(client, "{\"Request\":\"SessionInfo\"}").path("Error").asText()).contains("Id");
            assertThat(request(client, "{\"Id\":\"ok\",\"Request\":\"SessionInfo\"}").path("Response").asText()).isEqualTo("SessionInfo");
        }
    }
}
