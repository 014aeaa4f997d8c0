package io.tickwire.cli.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.cli.config.ConfigException;
import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.KafkaBroker;
import io.tickwire.testkit.RawWebSocketClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster on a real Kafka broker: an ingest node (store on, events published into its engine)
 * and gateway nodes (no store) started from configuration as {@code tickwire serve} starts them,
 * with clients on real sockets.
 */
class ClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "cluster-token";

    @TempDir
    static Path shared;
    static KafkaBroker broker;
    private static int topics;

    @TempDir
    Path dir;
    private String topic;
    private Instrument btc;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(shared);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void everyGatewaySendsTheIngestNodesTradesWithItsNumbersAndHoldsTheSameBook() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        try (TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data"), Clock.system());
             TickwireApp a = gateway(); TickwireApp b = gateway();
             RawWebSocketClient onIngest = subscribed(ingest, "trade", "book");
             RawWebSocketClient onA = subscribed(a, "trade", "book");
             RawWebSocketClient onB = subscribed(b, "trade", "book")) {
            btc = ingest.catalog().find("BTCUSDT");
            assertThat(a.simulator()).as("a gateway runs no sources").isNull();
            assertThat(turnedAwayPublisher(a)).as("nor takes publishers: they are sent to the ingest node, for good")
                    .isEqualTo("not_ingest_node/1008");
            long t = Clock.system().epochMicros();
            for (int i = 1; i <= 100; i++) {
                publish(ingest, BookUpdate.builder(btc.id(), t + i * 10L).set(BookSide.BID, 100_000_00 - i, 1_000 + i)
                        .set(BookSide.ASK, 100_010_00 + i, 2_000 + i).build());
                publish(ingest, new Trade(btc.id(), 0, t + i * 10L + 1, 100_005_00 + i, 100 + i, i % 2 == 0 ? Side.BUY : Side.SELL, 0));
            }
            List<String> onTheIngestNode = trades(onIngest, 100);
            assertThat(trades(onA, 100)).containsExactlyElementsOf(onTheIngestNode);
            assertThat(trades(onB, 100)).containsExactlyElementsOf(onTheIngestNode);
            // every node has applied the last book change by now: it came before the last trade
            long bookChecksum = bookSnapshotChecksum(onIngest);
            assertThat(bookChecksum).isNotZero();
            assertThat(bookSnapshotChecksum(onA)).isEqualTo(bookChecksum);
            assertThat(bookSnapshotChecksum(onB)).isEqualTo(bookChecksum);
        }
    }

    @Test
    void aClientLeavingOneGatewayResumesOnAnotherWithoutAGapOrARepeat() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        try (TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data"), Clock.system());
             TickwireApp a = gateway(); TickwireApp b = gateway()) {
            btc = ingest.catalog().find("BTCUSDT");
            long t = Clock.system().epochMicros();
            JsonNode lastSeen;
            try (RawWebSocketClient onA = subscribed(a, "trade")) {
                for (int i = 1; i <= 50; i++) {
                    publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
                }
                lastSeen = null;
                for (int i = 1; i <= 50; i++) {
                    lastSeen = next(onA, m -> m.path("type").asText().equals("trade"));
                }
            }
            for (int i = 51; i <= 100; i++) {
                publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> b.clusterFeed().offered() >= 100);
            try (RawWebSocketClient onB = connectAdmitted(b)) {
                onB.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"],"
                        + "\"resumeFrom\":[{\"symbol\":\"BTCUSDT\",\"channel\":\"trade\",\"seq\":" + lastSeen.path("seq").asLong()
                        + ",\"ts\":" + lastSeen.path("ts").asLong() + "}]}");
                JsonNode resumed = next(onB, m -> m.path("type").asText().equals("resumed"));
                assertThat(resumed.path("mode").asText()).isEqualTo("exact");
                assertThat(resumed.path("after").asLong()).isEqualTo(lastSeen.path("seq").asLong());
                for (long seq = lastSeen.path("seq").asLong() + 1; seq <= lastSeen.path("seq").asLong() + 50; seq++) {
                    JsonNode trade = next(onB, m -> m.path("type").asText().equals("trade"));
                    assertThat(trade.path("seq").asLong()).isEqualTo(seq);
                }
            }
        }
    }

    @Test
    void aGatewayStartedLongAfterTheMarketWentQuietStillGetsItsLastQuoteAndBook() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        try (TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data", "2s"), Clock.system())) {
            btc = ingest.catalog().find("BTCUSDT");
            long t = Clock.system().epochMicros();
            publish(ingest, BookUpdate.builder(btc.id(), t).set(BookSide.BID, 100_000_00, 1_000)
                    .set(BookSide.ASK, 100_010_00, 2_000).build()); // a change, its picture, the quote it makes
            await().atMost(Duration.ofSeconds(20)).until(() -> ingest.clusterLog().acknowledged() >= 3);
            long originals = ingest.clusterLog().sent();
            // the originals age past the 2 s lookback; meanwhile the quote and the picture are appended
            // again every second (half the lookback): three rounds put the originals out of reach
            await().atMost(Duration.ofSeconds(30)).until(() -> ingest.clusterLog().sent() >= originals + 6);
            JsonNode quoteThere;
            long bookChecksum;
            try (RawWebSocketClient onIngest = subscribed(ingest, "book", "quote")) {
                quoteThere = next(onIngest, m -> m.path("type").asText().equals("quote"));
                bookChecksum = bookSnapshotChecksum(onIngest);
            }
            try (TickwireApp late = TickwireApp.start(config("gateway", null, "2s"), Clock.system())) {
                assertThat(late.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
                try (RawWebSocketClient onLate = subscribed(late, "book", "quote")) {
                    JsonNode quote = next(onLate, m -> m.path("type").asText().equals("quote"));
                    for (String field : List.of("seq", "ts", "bid", "ask", "last")) {
                        assertThat(quote.path(field).asText()).as(field).isEqualTo(quoteThere.path(field).asText());
                    }
                    assertThat(bookSnapshotChecksum(onLate)).isEqualTo(bookChecksum).isNotZero();
                }
            }
        }
    }

    @Test
    void aGatewayStartedAfterItsLookbackTakesOverWholeBarsAndCountsNoTradeTwice() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        try (TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data", "2s"), Clock.system())) {
            btc = ingest.catalog().find("BTCUSDT");
            long t = Clock.system().epochMicros();
            for (int i = 1; i <= 10; i++) { // out of the gateway's reach by the time it starts
                publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + 100 * (i % 4), 100 + i, Side.BUY, 0));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ingest.clusterLog().acknowledged() >= 10);
            long appended = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() - appended > 3_000);
            for (int i = 11; i <= 20; i++) { // inside its lookback, with the bar states the ingest node appends meanwhile
                publish(ingest, new Trade(btc.id(), 0, t + i, 99_990_00 - 10 * i, 200 + i, Side.SELL, 0));
            }
            try (TickwireApp late = TickwireApp.start(config("gateway", null, "2s"), Clock.system())) {
                assertThat(late.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
                for (int i = 21; i <= 25; i++) { // read live
                    publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 300 + i, Side.BUY, 0));
                }
                String there = dayBar(ingest, 25);
                assertThat(dayBar(late, 25)).isEqualTo(there);
                assertThat(late.clusterFeed().barStatesTaken()).isEqualTo(1);
            }
        }
    }

    @Test
    void aGatewayStartedAfterAnIngestRestartInAQuietMarketGetsTheQuoteTheStoreKept() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        TickwireConfig ingestConfig = config("ingest", "ingest-data", "2s");
        long t = Clock.system().epochMicros();
        try (TickwireApp ingest = TickwireApp.start(ingestConfig, Clock.system())) {
            btc = ingest.catalog().find("BTCUSDT");
            publish(ingest, BookUpdate.builder(btc.id(), t).set(BookSide.BID, 100_000_00, 1_000)
                    .set(BookSide.ASK, 100_010_00, 2_000).build()); // a change, its picture, the quote it makes
            await().atMost(Duration.ofSeconds(20)).until(() -> ingest.clusterLog().acknowledged() >= 3);
        }
        try (TickwireApp again = TickwireApp.start(ingestConfig, Clock.system())) {
            JsonNode quoteThere;
            try (RawWebSocketClient onIngest = subscribed(again, "quote")) {
                quoteThere = next(onIngest, m -> m.path("type").asText().equals("quote"));
            }
            assertThat(quoteThere.path("ts").asLong()).as("the stored quote, from before the restart").isEqualTo(t);
            long restarted = System.currentTimeMillis();
            // everything the first run appended ages past the 2 s lookback; the quote is appended again meanwhile
            await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() - restarted > 3_000);
            try (TickwireApp late = TickwireApp.start(config("gateway", null, "2s"), Clock.system())) {
                assertThat(late.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
                try (RawWebSocketClient onLate = subscribed(late, "quote")) {
                    JsonNode quote = next(onLate, m -> m.path("type").asText().equals("quote"));
                    for (String field : List.of("seq", "ts", "bid", "ask")) {
                        assertThat(quote.path(field).asText()).as(field).isEqualTo(quoteThere.path(field).asText());
                    }
                }
                assertThat(late.clusterFeed().numberingRestarts()).isZero();
            }
        }
    }

    @Test
    void aGatewayWithAStoreServesHistoryStoresNothingTwiceAndTakesOverAsTheIngestNodeWithoutReusingANumber() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        long t = Clock.system().epochMicros();
        TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data"), Clock.system());
        try (ingest; TickwireApp other = gateway()) { // ingest closed midway, on purpose
            btc = ingest.catalog().find("BTCUSDT");
            try (TickwireApp standby = TickwireApp.start(config("gateway", "standby-data"), Clock.system())) {
                assertThat(standby.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
                for (int i = 1; i <= 10; i++) {
                    publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> storedTrades(standby, t) == 10);
            }
            try (TickwireApp again = TickwireApp.start(config("gateway", "standby-data"), Clock.system())) {
                assertThat(again.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue(); // the 10 trades read again
                publish(ingest, new Trade(btc.id(), 0, t + 11, 100_000_11, 100, Side.BUY, 0));
                await().atMost(Duration.ofSeconds(20)).until(() -> storedTrades(again, t) >= 11);
                assertThat(storedTrades(again, t)).as("what the store held is not stored twice").isEqualTo(11);
                await().atMost(Duration.ofSeconds(20)).until(() -> again.clusterFeed().lag() == 0);
            }
            for (int i = 12; i <= 13; i++) { // the standby is away: its store never gets these two
                publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
            }
            try (RawWebSocketClient onOther = connectAdmitted(other)) {
                onOther.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"],"
                        + "\"since\":" + t + "}");
                assertThat(trades(onOther, 13)).hasSize(13);
                ingest.close(); // the ingest node is gone
                try (TickwireApp promoted = TickwireApp.start(config("ingest", "standby-data"), Clock.system())) {
                    for (int i = 14; i <= 20; i++) {
                        publish(promoted, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
                    }
                    List<String> after = trades(onOther, 7);
                    assertThat(after.getFirst()).as("the numbers go on past the topic's, not the store's").startsWith("14/14/");
                    assertThat(after.getLast()).startsWith("20/20/");
                    await().atMost(Duration.ofSeconds(20)).until(() -> storedTrades(promoted, t) == 18); // all but 12 and 13
                }
            }
            assertThat(other.clusterFeed().numberingRestarts()).isZero();
        }
    }

    @Test
    void aPromotedStandbyNumbersOnFromTheLastTradeOfAnInstrumentQuietForLongerThanTheLookback() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        long t = Clock.system().epochMicros();
        TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data", "2s"), Clock.system());
        try (ingest; TickwireApp other = gateway()) { // ingest closed midway, on purpose
            Instrument eth = ingest.catalog().find("ETHUSDT");
            for (int i = 1; i <= 3; i++) {
                publish(ingest, new Trade(eth.id(), 0, t + i, 3_000_00 + i, 100, Side.BUY, 0));
            }
            publish(ingest, BookUpdate.builder(eth.id(), t + 3).set(BookSide.BID, 2_999_00, 1_000)
                    .set(BookSide.ASK, 3_001_00, 2_000).build()); // and a quote (from the book)
            await().atMost(Duration.ofSeconds(20)).until(() -> ingest.clusterLog().acknowledged() >= 6);
            long traded = System.currentTimeMillis();
            // the trades age out of the 2 s lookback: a standby started now never sees them, only ETH's state
            await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() - traded > 3_000);
            try (TickwireApp standby = TickwireApp.start(config("gateway", "standby-data", "2s"), Clock.system())) {
                assertThat(standby.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
                await().atMost(Duration.ofSeconds(20)).until(() -> storedQuotes(standby, "ETHUSDT", t) == 1); // taken as state
            }
            ingest.close();
            long closed = System.currentTimeMillis();
            try (TickwireApp promoted = TickwireApp.start(config("ingest", "standby-data", "2s"), Clock.system());
                 RawWebSocketClient onOther = connectAdmitted(other)) {
                onOther.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"ETHUSDT\"],\"channels\":[\"trade\"],"
                        + "\"since\":" + t + "}");
                assertThat(trades(onOther, 3).getLast()).startsWith("3/3/");
                publish(promoted, new Trade(eth.id(), 0, t + 4, 3_000_04, 100, Side.BUY, 0));
                assertThat(trades(onOther, 1).getFirst()).as("the next number, not 1 again").startsWith("4/4/");
                // the lost node's repeats age out; a gateway started now gets ETH's quote from the promoted node
                await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() - closed > 3_000);
                try (TickwireApp late = TickwireApp.start(config("gateway", null, "2s"), Clock.system())) {
                    assertThat(late.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
                    try (RawWebSocketClient onLate = connectAdmitted(late)) {
                        onLate.send("{\"op\":\"subscribe\",\"id\":\"q\",\"symbols\":[\"ETHUSDT\"],\"channels\":[\"quote\"]}");
                        JsonNode quote = next(onLate, m -> m.path("type").asText().equals("quote"));
                        assertThat(quote.path("ts").asLong()).isEqualTo(t + 3);
                        assertThat(quote.path("bid").asDouble()).isEqualTo(2999.0);
                    }
                }
            }
            assertThat(other.clusterFeed().numberingRestarts()).isZero();
        }
    }

    @Test
    void aClosedElectedNodeHandsTheOfficeToAStandbyAtOnceWhichStoredWhatItReadAndNumbersOn() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        long t = Clock.system().epochMicros();
        try (FailoverNode one = FailoverNode.start(config("candidate", "one-data"), Clock.system(), Map.of(), null);
             FailoverNode two = FailoverNode.start(config("candidate", "two-data"), Clock.system(), Map.of(), null);
             TickwireApp other = gateway()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> one.leading() || two.leading());
            FailoverNode elected = one.leading() ? one : two;
            FailoverNode standby = one.leading() ? two : one;
            assertThat(standby.leading()).isFalse();
            btc = other.catalog().find("BTCUSDT");
            for (int i = 1; i <= 10; i++) {
                publish(elected.current(), new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
            }
            try (RawWebSocketClient onOther = connectAdmitted(other);
                 RawWebSocketClient onStandby = connectAdmitted(standby.current())) {
                onOther.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"],"
                        + "\"since\":" + t + "}");
                assertThat(trades(onOther, 10).getLast()).startsWith("10/10/");
                assertThat(standby.current().clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
                // a publisher at the standby is told to go to the elected node, and that it may come back (1013)
                assertThat(turnedAwayPublisher(standby.current())).isEqualTo("not_ingest_node/1013");
                elected.close(); // leaves the election: the standby is elected at once, not after the failover timeout
                await().atMost(Duration.ofSeconds(30)).until(standby::leading);
                assertThat(standby.current().clusterLog()).as("the standby now runs as the ingest node").isNotNull();
                assertThat(onStandby.awaitClose()).as("the standby's own clients are told to reconnect and resume")
                        .isEqualTo(new RawWebSocketClient.Close(1001,
                                "this node becomes the cluster's ingest node: reconnect and resume"));
                try (RawWebSocketClient publisher = publisher(standby.current())) { // where publishers go now
                    for (int i = 11; i <= 20; i++) {
                        publisher.send("{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"100000.%02d\",\"size\":\"1\","
                                .formatted(i) + "\"side\":\"buy\",\"ts\":" + (t + i) + "}");
                    }
                    List<String> after = trades(onOther, 10);
                    assertThat(after.getFirst()).as("the next number").startsWith("11/11/");
                    assertThat(after.getLast()).startsWith("20/20/");
                    assertThat(publisher.isOpen()).isTrue();
                }
            }
            // what it stored standing by (1-10) and as the ingest node (11-20), each once
            await().atMost(Duration.ofSeconds(20)).until(() -> storedTrades(standby.current(), t) == 20);
            assertThat(other.clusterFeed().numberingRestarts()).isZero();
            assertThat(other.clusterFeed().leadership().term()).as("the first node's term, then the second's").isEqualTo(2);
        }
    }

    /**
     * A publisher is told a frame is taken only once Kafka has it: while Kafka is away nothing
     * more is counted, and when the ingest node had to drop events (its queue and the producer's
     * buffer full, both made small here) the frames of that window are never counted, the
     * publisher is sent away to send them again, and every frame it was told of is on the topic.
     */
    @Test
    void aPublisherIsToldOnlyOfFramesKafkaHasAndIsSentAwayWhenTheIngestNodeLostSome() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        long t = Clock.system().epochMicros();
        int lines = 8_000;
        try (TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data", "2m",
                ", queueCapacity: 1024, clientProperties: {buffer.memory: '300000'}"), Clock.system());
             TickwireApp gateway = gateway();
             RawWebSocketClient onGateway = subscribed(gateway, "trade");
             RawWebSocketClient publisher = publisher(ingest)) {
            next(publisher, m -> m.path("type").asText().equals("publishing"));
            for (int i = 1; i <= 10; i++) {
                publisher.send(tradeLine(i, t));
            }
            assertThat(next(publisher, m -> m.path("type").asText().equals("taken") && m.path("frames").asLong() == 10))
                    .isNotNull();
            java.util.BitSet reached = new java.util.BitSet(); // the lines the gateway's client got, by number
            for (String trade : trades(onGateway, 10)) {
                reached.set((int) lineOf(trade.split("/")[3]));
            }

            broker.stop();
            try {
                for (int i = 11; i <= lines; i++) {
                    publisher.send(tradeLine(i, t));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> ingest.clusterLog().dropped() > 0);
                assertThat(counts(publisher)).as("Kafka is away: nothing more is counted").allMatch(n -> n <= 10);
            } finally {
                broker.start();
            }
            JsonNode error = next(publisher, m -> m.path("type").asText().equals("error"));
            assertThat(error.path("code").asText()).isEqualTo("append_failed");
            assertThat(publisher.awaitClose().code()).as("try again later: the publisher sends again").isEqualTo(1013);
            long counted = counts(publisher).stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(counted).isBetween(10L, (long) lines - 1);

            // as tickwire publish does: the lines not counted, again, now that Kafka is back; at most
            // 500 uncounted at a time (publish holds 10,000), or they would overflow this node's small queue again
            try (RawWebSocketClient again = publisher(ingest)) {
                next(again, m -> m.path("type").asText().equals("publishing"));
                long resent = 0;
                for (long i = counted + 1; i <= lines; i++) {
                    again.send(tradeLine((int) i, t));
                    if (++resent % 500 == 0 || i == lines) {
                        long upTo = resent;
                        assertThat(next(again, m -> m.path("type").asText().equals("taken") && m.path("frames").asLong() >= upTo))
                                .isNotNull();
                    }
                }
                assertThat(counts(again)).as("every resent line counted").contains(lines - counted);
            }
            // every line reached the gateway through the topic: none lost (some twice: those kept before the drop)
            try {
                while (reached.cardinality() < lines) { // a line that never comes ends it: next() gives up after 20 s
                    reached.set((int) lineOf(next(onGateway, m -> m.path("type").asText().equals("trade")).path("price").asText()));
                }
            } catch (AssertionError e) {
                throw new AssertionError("not every line 1-" + lines + " reached the gateway; first missing: "
                        + reached.nextClearBit(1), e);
            }
        }
    }

    /** A trade line whose price says which line it is: 100000.00 + n cents. */
    private static String tradeLine(int n, long t) {
        return "{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"%d.%02d\",\"size\":\"1\",\"side\":\"buy\",\"ts\":%d}"
                .formatted(100_000 + n / 100, n % 100, t + n);
    }

    /** Which line of {@link #tradeLine} a trade's price says it is. */
    private static long lineOf(String price) {
        return new java.math.BigDecimal(price).subtract(java.math.BigDecimal.valueOf(100_000)).movePointRight(2).longValueExact();
    }

    /** Every {@code taken} count the publisher has received so far. */
    private static List<Long> counts(RawWebSocketClient publisher) throws IOException {
        List<Long> counts = new ArrayList<>();
        for (String text : publisher.history()) {
            JsonNode m = JSON.readTree(text);
            if (m.path("type").asText().equals("taken")) {
                counts.add(m.path("frames").asLong());
            }
        }
        return counts;
    }

    @Test
    void aStandbyTakingOverAsTheIngestNodeKeepsTheWholeBarsItTookOverNotTheFewItStored() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        long t = Clock.system().epochMicros();
        try (FailoverNode one = FailoverNode.start(config("candidate", "one-data", "2s"), Clock.system(), Map.of(), null)) {
            await().atMost(Duration.ofSeconds(30)).until(one::leading);
            btc = one.current().catalog().find("BTCUSDT");
            for (int i = 1; i <= 10; i++) {
                publish(one.current(), new Trade(btc.id(), 0, t + i, 100_000_00 + 100 * (i % 4), 100 + i, Side.BUY, 0));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> one.current().clusterLog().acknowledged() >= 10);
            long appended = System.currentTimeMillis();
            // out of the standby's 2 s lookback: it stores none of them, it takes over their bars
            await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() - appended > 3_000);
            try (FailoverNode two = FailoverNode.start(config("candidate", "two-data", "2s"), Clock.system(), Map.of(), null)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> two.current() != null
                        && two.current().clusterFeed() != null && two.current().clusterFeed().barStatesTaken() >= 1);
                String[] before = dayBar(one.current(), 10).split("/");
                one.close();
                await().atMost(Duration.ofSeconds(30)).until(two::leading);
                publish(two.current(), new Trade(btc.id(), 0, t + 11, 100_000_50, 111, Side.SELL, 0));
                String[] after = dayBar(two.current(), 11).split("/");
                assertThat(after[5]).as("the day's trades: the ten it never stored, and the one since").isEqualTo("11");
                assertThat(after[0]).as("the day's open").isEqualTo(before[0]);
                assertThat(after[3]).as("the day's close").isEqualTo("100000.5");
            }
        }
    }

    /** How many quotes of {@code symbol} from {@code from} on a node's store answers in one page. */
    private static int storedQuotes(TickwireApp app, String symbol, long from) throws IOException {
        try (RawWebSocketClient client = connectAdmitted(app)) {
            client.send("{\"op\":\"history\",\"id\":\"h\",\"kind\":\"quotes\",\"symbol\":\"" + symbol + "\",\"from\":"
                    + from + ",\"limit\":500}");
            return next(client, m -> m.path("type").asText().equals("history")).path("quotes").size();
        }
    }

    /** How many trades of BTCUSDT from {@code from} on a node's store answers in one page. */
    private static int storedTrades(TickwireApp app, long from) throws IOException {
        try (RawWebSocketClient client = connectAdmitted(app)) {
            client.send("{\"op\":\"history\",\"id\":\"h\",\"kind\":\"trades\",\"symbol\":\"BTCUSDT\",\"from\":" + from
                    + ",\"limit\":500}");
            return next(client, m -> m.path("type").asText().equals("history")).path("trades").size();
        }
    }

    /** The day's {@code last} bar once it counts {@code trades}, as "open/high/low/close/volume/trades/time". */
    private static String dayBar(TickwireApp app, int trades) throws IOException {
        try (RawWebSocketClient client = connectAdmitted(app)) {
            client.send("{\"op\":\"subscribe\",\"id\":\"b\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"bar\"],"
                    + "\"periods\":[\"1d\"]}");
            JsonNode bar = next(client, m -> m.path("type").asText().equals("bar") && m.path("period").asText().equals("1d")
                    && m.path("priceType").asText().equals("last") && m.path("trades").asInt() >= trades);
            return bar.path("open").asText() + "/" + bar.path("high").asText() + "/" + bar.path("low").asText() + "/"
                    + bar.path("close").asText() + "/" + bar.path("volume").asText() + "/" + bar.path("trades").asText()
                    + "/" + bar.path("time").asText();
        }
    }

    @Test
    void anSdkClientWhoseGatewayDiesMovesToAnotherAndMissesNothing() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        try (TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data"), Clock.system());
             TickwireApp b = gateway()) {
            btc = ingest.catalog().find("BTCUSDT");
            TickwireApp a = gateway();
            List<io.tickwire.client.Trade> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<io.tickwire.client.Gap> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (io.tickwire.client.TickwireClient client = io.tickwire.client.TickwireClient.builder(a.nativeUrl())
                    .alternateUris(b.nativeUrl())
                    .credentials(io.tickwire.client.Credentials.token(TOKEN))
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .onTrade(received::add).onGap(gaps::add).build()) {
                client.connect().get(20, TimeUnit.SECONDS);
                client.subscribe(List.of("BTCUSDT"), io.tickwire.model.Channel.TRADE).get(20, TimeUnit.SECONDS);
                long t = Clock.system().epochMicros();
                for (int i = 1; i <= 30; i++) {
                    publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 30);
                a.close(); // the gateway drains (a reconnect hint without a url): the client moves to the alternate
                for (int i = 31; i <= 60; i++) {
                    publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 60);
                assertThat(received).extracting(io.tickwire.client.Trade::seq)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 60).boxed().toList());
                assertThat(gaps).isEmpty();
            } finally {
                a.close();
            }
        }
    }

    @Test
    void aGatewayStartedLateServesTheBookAndQuoteAsTheIngestNodeHoldsThem() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        try (TickwireApp ingest = TickwireApp.start(config("ingest", "ingest-data"), Clock.system())) {
            btc = ingest.catalog().find("BTCUSDT");
            long t = Clock.system().epochMicros() - 30_000_000L;
            for (int i = 1; i <= 40; i++) { // one change a second of event time: the ingest node takes a picture of each
                publish(ingest, BookUpdate.builder(btc.id(), t + i * 1_000_000L).set(BookSide.BID, 100_000_00 - i, 1_000 + i)
                        .set(BookSide.ASK, 100_010_00 + i, 2_000 + i).build());
            }
            publish(ingest, new Trade(btc.id(), 0, t + 41_000_000L, 100_005_00, 123, Side.BUY, 0));
            await().atMost(Duration.ofSeconds(20)).until(() -> ingest.clusterLog().acknowledged() >= 81);
            long bookChecksum;
            JsonNode quoteThere;
            try (RawWebSocketClient onIngest = subscribed(ingest, "book", "quote")) {
                quoteThere = next(onIngest, m -> m.path("type").asText().equals("quote"));
                bookChecksum = bookSnapshotChecksum(onIngest);
            }
            try (TickwireApp late = gateway(); RawWebSocketClient onLate = connectAdmitted(late)) {
                assertThat(late.clusterFeed().awaitCaughtUp(20, TimeUnit.SECONDS)).isTrue();
                onLate.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"book\",\"quote\"]}");
                JsonNode quote = next(onLate, m -> m.path("type").asText().equals("quote"));
                assertThat(quote.path("snapshot").asBoolean()).isTrue();
                for (String field : List.of("seq", "ts", "bid", "bidSize", "ask", "askSize", "last", "volume")) {
                    assertThat(quote.path(field).asText()).as(field).isEqualTo(quoteThere.path(field).asText());
                }
                assertThat(bookSnapshotChecksum(onLate)).isEqualTo(bookChecksum);
            }
        }
    }

    @Test
    void aGatewayTurnsClientsAwayUntilCaughtUpAndKeepsThemThroughAnIngestRestartOnItsStore() throws Exception {
        topic = "tickwire.cluster." + (++topics);
        TickwireConfig ingestConfig = config("ingest", "ingest-data");
        // the gateway starts first: it waits for the topic the ingest node creates, and admits nobody meanwhile
        try (TickwireApp a = TickwireApp.start(config("gateway", null), Clock.system())) {
            try (RawWebSocketClient early = connect(a)) {
                RawWebSocketClient.Close close = early.awaitClose();
                assertThat(close.code()).isEqualTo(1013);
                assertThat(close.reason()).startsWith("catching up with the cluster topic: retry after");
            }
            java.net.http.HttpResponse<String> starting = health(a);
            assertThat(starting.statusCode()).isEqualTo(503);
            JsonNode waiting = JSON.readTree(starting.body());
            assertThat(waiting.path("status").asText()).isEqualTo("starting");
            assertThat(waiting.path("cluster").path("role").asText()).isEqualTo("gateway");
            assertThat(waiting.path("cluster").path("caughtUp").asBoolean()).isFalse();
            long t = Clock.system().epochMicros();
            TickwireApp ingest = TickwireApp.start(ingestConfig, Clock.system());
            try (ingest) { // closed midway, on purpose; closing twice does nothing
                btc = ingest.catalog().find("BTCUSDT");
                for (int i = 1; i <= 20; i++) {
                    publish(ingest, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
                }
                assertThat(a.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
                JsonNode ingestHealth = JSON.readTree(health(ingest).body()).path("cluster");
                assertThat(ingestHealth.path("role").asText()).isEqualTo("ingest");
                assertThat(ingestHealth.path("connected").asBoolean()).isTrue();
                assertThat(ingestHealth.path("dropped").asLong()).isZero();
                try (RawWebSocketClient onA = connectAdmitted(a)) {
                    JsonNode serving = JSON.readTree(health(a).body());
                    assertThat(serving.path("status").asText()).isEqualTo("ok");
                    assertThat(serving.path("cluster").path("caughtUp").asBoolean()).isTrue();
                    onA.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"],"
                            + "\"since\":" + t + "}");
                    assertThat(trades(onA, 20)).hasSize(20);
                    ingest.close(); // a clean stop: the log sends what it holds, the store keeps the numbers
                    try (TickwireApp again = TickwireApp.start(ingestConfig, Clock.system())) {
                        for (int i = 21; i <= 40; i++) {
                            publish(again, new Trade(btc.id(), 0, t + i, 100_000_00 + i, 100, Side.BUY, 0));
                        }
                        List<String> after = trades(onA, 20);
                        assertThat(after.getFirst()).startsWith("21/");
                        assertThat(after.getLast()).startsWith("40/");
                    }
                    assertThat(onA.isOpen()).as("the gateway's client stayed connected through the restart").isTrue();
                }
            }
            assertThat(a.clusterFeed().numberingRestarts()).isZero();
        }
    }

    @Test
    void aNodesRoleMustFitTheRestOfItsConfiguration() throws IOException {
        topic = "tickwire.cluster.config";
        assertThat(load("cluster: {role: gateway, bootstrapServers: '127.0.0.1:9'}").store().enabled())
                .as("a gateway may keep a store: a standby for the ingest node").isTrue();
        assertThatThrownBy(() -> load("cluster: {role: ingest, bootstrapServers: '127.0.0.1:9'}\nstore: {enabled: false}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.enabled: true");
        assertThatThrownBy(() -> load("cluster: {role: gateway}\nstore: {enabled: false}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.bootstrapServers': is required");
        assertThatThrownBy(() -> load("cluster: {role: ingest, bootstrapServers: '127.0.0.1:9', clientProperties: {acks: '1'}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("may not set 'acks'");
        assertThat(load("cluster: {role: gateway, bootstrapServers: '127.0.0.1:9', clientProperties:"
                + " {security.protocol: SSL, request.timeout.ms: 40000}}\nstore: {enabled: false}").cluster().kafka()
                .clientProperties()).containsEntry("security.protocol", "SSL").containsEntry("request.timeout.ms", "40000");
        assertThatThrownBy(() -> load("cluster: {role: leader}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("standalone, ingest or gateway");
        assertThatThrownBy(() -> load("cluster: {role: gateway, failover: true, bootstrapServers: '127.0.0.1:9'}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.failover needs cluster.role ingest");
        assertThatThrownBy(() -> load("cluster: {role: ingest, failover: true, failoverTimeout: 2s, bootstrapServers: '127.0.0.1:9'}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.failoverTimeout': must be 6s..5m");
        TickwireConfig candidate = load("cluster: {role: ingest, failover: true, bootstrapServers: '127.0.0.1:9'}\n"
                + "server: {publishers: [c]}");
        assertThat(candidate.asStandby().cluster().role()).isEqualTo("gateway");
        assertThat(candidate.asStandby().cluster().failover()).isFalse();
        assertThat(candidate.asStandby().server().publishers()).as("publishers publish to the elected node").isEmpty();
        assertThat(candidate.asStandby().store().enabled()).isTrue();
    }

    private TickwireConfig load(String yaml) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file, Map.of());
    }

    private TickwireApp gateway() throws IOException {
        TickwireApp app = TickwireApp.start(config("gateway", null), Clock.system());
        try {
            assertThat(app.clusterFeed().awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return app;
    }

    private TickwireConfig config(String role, String dataDir) throws IOException {
        return config(role, dataDir, "2m");
    }

    private TickwireConfig config(String role, String dataDir, String lookback) throws IOException {
        return config(role, dataDir, lookback, "");
    }

    /** {@code moreCluster}: more keys of the cluster section, each after a comma. */
    private TickwireConfig config(String role, String dataDir, String lookback, String moreCluster) throws IOException {
        Path file = Files.createTempFile(dir, role, ".yaml");
        Files.writeString(file, """
                server: {host: 127.0.0.1, port: 0, publishers: [%s]}
                simulator: {enabled: %s}
                store: {enabled: %s, dataDir: %s}
                cluster: {role: %s, failover: %s, bootstrapServers: '%s', topic: %s, partitions: 4, lookback: %s%s}
                plans:
                  p: {maxConnections: 20, onConnectionLimit: reject-new, maxSymbols: 10, channels: [quote, trade, book, bar],
                      requestsPerSecond: 50, requestBurst: 50}
                accounts:
                  - {name: c, plan: p, tokens: ["%s"]}
                """.formatted(role.equals("gateway") ? "" : "c", role.equals("gateway"), dataDir != null, dir.resolve(dataDir == null ? "unused" : dataDir),
                role.equals("candidate") ? "ingest" : role, role.equals("candidate"), broker.bootstrapServers(), topic,
                lookback, moreCluster, TokenHash.of(TOKEN).toString()));
        return new ConfigLoader().load(file, Map.of());
    }

    private static void publish(TickwireApp ingest, MarketEvent event) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ingest.bus().offer(event));
    }

    private static java.net.http.HttpResponse<String> health(TickwireApp app) throws IOException, InterruptedException {
        String ws = app.nativeUrl();
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://" + ws.substring(5, ws.indexOf('/', 5)) + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** A publisher's connection to {@code app}'s {@code /v1/publish}, as account {@code c}. */
    private static RawWebSocketClient publisher(TickwireApp app) {
        return RawWebSocketClient.connect(URI.create(app.nativeUrl().replace("/v1/ws", "/v1/publish")),
                Map.of("Authorization", "Bearer " + TOKEN));
    }

    /** A publisher turned away by {@code app} (once it admits connections), as "error code/close code". */
    private static String turnedAwayPublisher(TickwireApp app) throws IOException {
        connectAdmitted(app).close();
        try (RawWebSocketClient publisher = publisher(app)) {
            JsonNode error = next(publisher, m -> m.path("type").asText().equals("error"));
            return error.path("code").asText() + "/" + publisher.awaitClose().code();
        }
    }

    /** A connection once the gateway admits them: it turns clients away (1013) for a moment after catching up. */
    private static RawWebSocketClient connectAdmitted(TickwireApp app) {
        java.util.concurrent.atomic.AtomicReference<RawWebSocketClient> admitted = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            RawWebSocketClient client = connect(app);
            String first = client.pollText(Duration.ofSeconds(5));
            if (first != null && first.contains("\"type\":\"welcome\"")) {
                admitted.set(client);
                return true;
            }
            client.close();
            return false;
        });
        return admitted.get();
    }

    private static RawWebSocketClient connect(TickwireApp app) {
        return RawWebSocketClient.connect(URI.create(app.nativeUrl()), Map.of("Authorization", "Bearer " + TOKEN));
    }

    private static RawWebSocketClient subscribed(TickwireApp app, String... channels) throws IOException {
        RawWebSocketClient client = connectAdmitted(app);
        client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\""
                + String.join("\",\"", channels) + "\"]}");
        next(client, m -> m.path("type").asText().equals("subscribed"));
        return client;
    }

    /** The next {@code n} trades as "seq/tradeId/ts/price/size/side". */
    private static List<String> trades(RawWebSocketClient client, int n) throws IOException {
        List<String> trades = new ArrayList<>();
        while (trades.size() < n) {
            JsonNode m = next(client, node -> node.path("type").asText().equals("trade"));
            trades.add(m.path("seq").asLong() + "/" + m.path("tradeId").asLong() + "/" + m.path("ts").asLong() + "/"
                    + m.path("price").asText() + "/" + m.path("size").asText() + "/" + m.path("side").asText());
        }
        return trades;
    }

    private static long bookSnapshotChecksum(RawWebSocketClient client) throws IOException {
        client.send("{\"op\":\"snapshot\",\"id\":\"book\",\"symbol\":\"BTCUSDT\",\"channel\":\"book\"}");
        return next(client, m -> m.path("type").asText().equals("book") && m.path("id").asText().equals("book"))
                .path("checksum").asLong();
    }

    private static JsonNode next(RawWebSocketClient client, Predicate<JsonNode> matching) throws IOException {
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
