package io.tickwire.cli.app;

import io.tickwire.server.session.auth.ServerAuth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.engine.ingest.Sequencing;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import io.tickwire.server.history.ServerHistory;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.questdb.QuestDbStore;
import io.tickwire.store.replay.HistoryReplay;
import io.tickwire.store.replay.ReplaySpeed;
import io.tickwire.testkit.RawWebSocketClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay on the real engine and server: stored events go out again with their times and numbers, marked replayed. */
class ReplayTest {

    private static final long T0 = Instant.parse("2025-11-20T10:00:00Z").getEpochSecond() * 1_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InstrumentCatalog CATALOG = DefaultCatalog.load().instruments();
    private static final Instrument BTC = CATALOG.find("BTCUSDT");

    @TempDir
    Path dir;

    @Test
    void subscribersReceiveStoredTradesWithTheirOriginalTimesAndNumbersMarkedReplayed() throws Exception {
        List<Trade> stored = new ArrayList<>();
        try (QuestDbStore store = QuestDbStore.open(StoreSettings.defaults(dir), CATALOG, Clock.system())) {
            for (int i = 1; i <= 500; i++) {
                Trade t = new Trade(BTC.id(), 1_000 + i, T0 + i * 10_000L, 104_000_00 + i, 1_000, Side.SELL, 7_000 + i);
                stored.add(t);
                store.onEvent(t);
            }
            assertThat(store.flush(Duration.ofSeconds(20))).isTrue();

            InProcessBus bus = new InProcessBus(CATALOG, Clock.system(), 1, 1 << 14, EventTap.NONE, Sequencing.KEEP_SOURCE);
            TokenAuthenticator auth = TokenAuthenticator.builder().add(TokenHash.of("t"), new Account("a",
                    new Plan("p", 5, ConnectionPolicy.REJECT_NEW, 10, EnumSet.of(Channel.TRADE, Channel.QUOTE), 50, 50))).build();
            TickwireServer server = TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), CATALOG,
                    bus, ServerAuth.of(auth), Clock.system(), new ServerHistory(store.queries(), store::stats, true, 1, 8));
            try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port()
                    + "/v1/ws"), Map.of("Authorization", "Bearer t"))) {
                client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"]}");
                await(client, n -> n.path("type").asText().equals("subscribed"));
                try (HistoryReplay replay = new HistoryReplay(store.queries(), List.of(BTC), T0, T0 + 60_000_000L,
                        ReplaySpeed.MAX, bus, Clock.system())) {
                    replay.start();
                    assertThat(replay.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
                    for (Trade t : stored) {
                        JsonNode m = await(client, n -> n.path("type").asText().equals("trade"));
                        assertThat(m.path("seq").asLong()).isEqualTo(t.seq());
                        assertThat(m.path("ts").asLong()).isEqualTo(t.eventTime());
                        assertThat(m.path("tradeId").asLong()).isEqualTo(t.tradeId());
                        assertThat(m.path("replayed").asBoolean()).isTrue();
                    }
                }
            } finally {
                server.close();
                bus.close();
            }
        }
    }

    @Test
    void theAppStoresALiveFeedAndAReplayAppServesItBack() throws Exception {
        TickwireConfig config = config();
        Quote last;
        try (TickwireApp live = TickwireApp.start(config, Clock.system())) {
            for (int i = 1; i <= 300; i++) {
                while (!live.bus().offer(new Trade(BTC.id(), 0, T0 + i * 1_000L, 104_000_00 + i, 100, Side.BUY, 0))) {
                    Thread.onSpinWait();
                }
                while (!live.bus().offer(new Quote(BTC.id(), 0, T0 + i * 1_000L + 1, 103_999_00 + i, 5, 104_001_00 + i, 6, 0, 0))) {
                    Thread.onSpinWait();
                }
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> live.store().stats().received() >= 600);
            last = new Quote(BTC.id(), 300, T0 + 300_001L, 103_999_00 + 300, 5, 104_001_00 + 300, 6, 104_000_00 + 300, 300 * 100);
        } // a clean close commits everything
        try (TickwireApp replay = TickwireApp.startReplay(config, Clock.system(), new ReplayPlan(T0, T0 + 1_000_000L,
                ReplaySpeed.MAX, List.of("BTCUSDT")))) {
            assertThat(replay.replay().awaitFinished(30, TimeUnit.SECONDS)).isTrue();
            assertThat(replay.replay().published()).isEqualTo(600);
            try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create(replay.nativeUrl()),
                    Map.of("Authorization", "Bearer replay-token"))) {
                client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"quote\"]}");
                JsonNode snapshot = await(client, n -> n.path("type").asText().equals("quote"));
                assertThat(snapshot.path("snapshot").asBoolean()).isTrue();
                assertThat(snapshot.path("replayed").asBoolean()).isTrue();
                assertThat(snapshot.path("seq").asLong()).isEqualTo(last.seq());
                assertThat(snapshot.path("ts").asLong()).isEqualTo(last.eventTime());
                assertThat(snapshot.path("last").decimalValue()).isEqualByComparingTo("104003.00");
                assertThat(snapshot.path("volume").decimalValue().movePointRight(BTC.sizeScale()).longValueExact())
                        .isEqualTo(last.volume());
                assertThat(replay.store().stats().received()).as("a replay stores nothing").isZero();
            }
        }
    }

    @Test
    void aReplayedBookOpensAtItsLastPictureBeforeTheRangeAndStepsThroughTheStoredOnesWithoutInventingQuotes()
            throws Exception {
        TickwireConfig config = config();
        try (TickwireApp live = TickwireApp.start(config, Clock.system())) {
            for (int i = 1; i <= 30; i++) { // 3 s of book changes: pictures stored at 0.1 s, 1.1 s and 2.1 s
                BookUpdate change = BookUpdate.builder(BTC.id(), T0 + i * 100_000L)
                        .set(BookSide.BID, bidPrice(i - 1), 0).set(BookSide.BID, bidPrice(i), 1_000 + i)
                        .set(BookSide.ASK, 104_100_00, 2_000).build();
                while (!live.bus().offer(change)) {
                    Thread.onSpinWait();
                }
            }
            // 30 derived quotes and 3 book pictures (and whatever bars closed)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> live.store().stats().received() >= 33);
        }
        long from = T0 + 1_500_000L;
        try (TickwireApp replay = TickwireApp.startReplay(config, Clock.system(), new ReplayPlan(from, T0 + 10_000_000L,
                ReplaySpeed.parse("1x"), List.of("BTCUSDT")));
             RawWebSocketClient client = RawWebSocketClient.connect(URI.create(replay.nativeUrl()),
                     Map.of("Authorization", "Bearer replay-token"))) {
            client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"quote\",\"book\"],"
                    + "\"depth\":10}");
            await(client, n -> n.path("type").asText().equals("subscribed"));
            assertThat(replay.replay().awaitFinished(30, TimeUnit.SECONDS)).isTrue();
            // the opening picture (1.1 s), the quotes of 1.5 s to 3.0 s, the picture of 2.1 s
            assertThat(replay.replay().published()).isEqualTo(1 + 16 + 1);
            client.send("{\"op\":\"snapshot\",\"id\":\"b\",\"symbol\":\"BTCUSDT\",\"channel\":\"book\"}");
            JsonNode book = await(client, n -> n.path("type").asText().equals("book") && n.path("id").asText().equals("b"));
            assertThat(book.path("seq").asLong()).as("the second picture replayed: books are numbered afresh").isEqualTo(2);
            assertThat(book.path("replayed").asBoolean()).isTrue();
            assertThat(levels(book.path("bids"))).containsExactly(price(bidPrice(21)) + ":" + size(1_021));
            assertThat(levels(book.path("asks"))).containsExactly(price(104_100_00) + ":" + size(2_000));
            List<Long> quoteSeqs = new ArrayList<>();
            List<Long> bookSeqs = new ArrayList<>();
            for (String text : client.history()) {
                JsonNode m = JSON.readTree(text);
                if (m.path("type").asText().equals("quote")) {
                    quoteSeqs.add(m.path("seq").asLong());
                } else if (m.path("type").asText().equals("book") && !m.has("id")) {
                    bookSeqs.add(m.path("seq").asLong());
                }
            }
            // the stored quotes of the range, none derived again from the pictures; the first may be the
            // subscription's snapshot of a later one, depending on when it came
            assertThat(quoteSeqs).as("the stored quotes, none derived again from the pictures").isNotEmpty()
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(quoteSeqs.getFirst(), 30).boxed()
                            .toList());
            assertThat(quoteSeqs.getFirst()).isBetween(15L, 30L);
            // the subscription's first message is a snapshot of the book as it stood (empty, 0, or
            // the opening picture, 1, depending on whether the replay had published that yet)
            assertThat(bookSeqs).isSorted().doesNotHaveDuplicates().isSubsetOf(0L, 1L, 2L).endsWith(2L);
        }
    }

    private static long bidPrice(int i) {
        return 103_990_00 + i;
    }

    private static String price(long scaled) {
        return io.tickwire.model.Decimals.format(scaled, BTC.priceScale());
    }

    private static String size(long scaled) {
        return io.tickwire.model.Decimals.format(scaled, BTC.sizeScale());
    }

    /** A side's {@code [price, size]} levels as {@code price:size}, numbers without trailing zeros. */
    private static List<String> levels(JsonNode side) {
        List<String> levels = new ArrayList<>();
        for (JsonNode level : side) {
            levels.add(level.get(0).decimalValue().stripTrailingZeros().toPlainString() + ":"
                    + level.get(1).decimalValue().stripTrailingZeros().toPlainString());
        }
        return levels;
    }

    private TickwireConfig config() throws IOException {
        Path file = dir.resolve("replay.yaml");
        Files.writeString(file, """
                server: {host: 127.0.0.1, port: 0}
                simulator: {enabled: false}
                store: {dataDir: %s}
                plans:
                  p: {maxConnections: 5, onConnectionLimit: reject-new, maxSymbols: 10, channels: [quote, trade, book],
                      requestsPerSecond: 50, requestBurst: 50}
                accounts:
                  - {name: r, plan: p, tokens: ["%s"]}
                """.formatted(dir.resolve("data"), TokenHash.of("replay-token").toString()));
        return new ConfigLoader().load(file, Map.of());
    }

    private static JsonNode await(RawWebSocketClient client, java.util.function.Predicate<JsonNode> matching) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String text = client.pollText(Duration.ofMillis(500));
            if (text != null) {
                JsonNode node = JSON.readTree(text);
                if (matching.test(node)) {
                    return node;
                }
            }
        }
        throw new AssertionError("no matching message; received " + client.history());
    }
}
