package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events published on {@code /v1/publish} reach subscribers with their publish time; only listed publishers may publish. */
class PublishEndpointTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(ServerConfig.defaults().toBuilder().publishers(List.of("alice")).build(), Clock.system());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldDeliverPublishedTradesInOrderWithTheirPublishTime() {
        try (RawWebSocketClient subscriber = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                     Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            subscriber.send(CommandWriter.subscribe("s1", List.of("BTCUSDT"), List.of(Channel.TRADE)));
            subscriber.expect(ServerMessage.Subscribed.class);

            long ts = Clock.system().epochMicros() - 5_000_000; // a publish time a few seconds old
            publisher.send("{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"67012.50\",\"size\":\"0.015\","
                    + "\"side\":\"buy\",\"ts\":" + ts + ",\"tradeId\":17}");
            long before = Clock.system().epochMicros();
            publisher.send("[{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":67013,\"size\":\"1\",\"side\":\"sell\","
                    + "\"ts\":" + (ts + 4) + "},{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"67014\",\"size\":\"2\","
                    + "\"side\":\"buy\"}]");

            ServerMessage.Trade first = subscriber.expect(ServerMessage.Trade.class);
            assertThat(first.ts()).isEqualTo(ts);
            assertThat(first.tradeId()).isEqualTo(17);
            assertThat(first.price()).isEqualByComparingTo("67012.50");
            ServerMessage.Trade second = subscriber.expect(ServerMessage.Trade.class);
            assertThat(second.seq()).isEqualTo(first.seq() + 1);
            assertThat(second.ts()).isEqualTo(ts + 4);
            ServerMessage.Trade third = subscriber.expect(ServerMessage.Trade.class);
            assertThat(third.seq()).isEqualTo(second.seq() + 1);
            assertThat(third.ts()).as("no ts: the server stamps its own time").isBetween(before, Clock.system().epochMicros());
        }
    }

    @Test
    void thePublisherIsToldHowManyOfItsFramesWereTakenAfterTheErrorsOfThoseRefused() {
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            publisher.expect(ServerMessage.Publishing.class);
            String trade = "{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"1\",\"size\":\"1\",\"side\":\"buy\"}";
            publisher.sendAll(List.of(trade, "{not json", "[" + trade + "," + trade + "]"));
            ServerMessage.Taken all = publisher.awaitMessage(ServerMessage.Taken.class, t -> t.frames() == 3);
            assertThat(all.frames()).isEqualTo(3);
            List<String> seen = publisher.history();
            int error = -1;
            int covering = -1;
            for (int i = 0; i < seen.size(); i++) {
                if (error < 0 && seen.get(i).contains("malformed_json")) {
                    error = i;
                }
                if (covering < 0 && seen.get(i).matches(".*\"type\":\"taken\",\"frames\":([23])\\}.*")) {
                    covering = i;
                }
            }
            assertThat(error).as("the refused frame's error, before the count that covers it: %s", seen)
                    .isNotNegative().isLessThan(covering);
        }
    }

    @Test
    void aNodeNotSureOfItsOfficeTakesNoPublisherAndNoFrameUntilItIsSure() {
        java.util.concurrent.atomic.AtomicBoolean sure = new java.util.concurrent.atomic.AtomicBoolean(false);
        server.server.takePublishersOnlyWhile(sure::get, "not sure: publish elsewhere");
        Map<String, String> alice = Map.of("Authorization", "Bearer " + TestServer.ALICE);
        try (RawWebSocketClient turnedAway = RawWebSocketClient.connect(server.uri("/v1/publish"), alice)) {
            assertThat(turnedAway.awaitMessage(ServerMessage.Error.class, e -> true).code()).isEqualTo("not_ingest_node");
            assertThat(turnedAway.awaitClose().code()).isEqualTo(1013);
        }
        sure.set(true);
        try (RawWebSocketClient subscriber = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"), alice)) {
            subscriber.send(CommandWriter.subscribe("s1", List.of("BTCUSDT"), List.of(Channel.TRADE)));
            subscriber.expect(ServerMessage.Subscribed.class);
            publisher.expect(ServerMessage.Publishing.class);
            String trade = "{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"%s\",\"size\":\"1\",\"side\":\"buy\"}";
            publisher.send(trade.formatted("1"));
            assertThat(publisher.awaitMessage(ServerMessage.Taken.class, t -> true).frames()).isEqualTo(1);
            subscriber.awaitMessage(ServerMessage.Trade.class, t -> true);
            sure.set(false); // the election stalled: the next frame is not taken
            publisher.send(trade.formatted("2"));
            assertThat(publisher.awaitMessage(ServerMessage.Error.class, e -> true).code()).isEqualTo("not_ingest_node");
            assertThat(publisher.awaitClose().code()).isEqualTo(1013);
            publisher.history().forEach(m -> assertThat(m).doesNotContain("\"frames\":2"));
            subscriber.send(CommandWriter.subscribe("s2", List.of("ETHUSDT"), List.of(Channel.TRADE)));
            subscriber.awaitMessage(ServerMessage.Subscribed.class, m -> true); // the engine has passed the frame's time
            subscriber.history().forEach(m -> assertThat(m).as("the second trade was not published").doesNotContain("\"price\":2"));
        }
    }

    @Test
    void shouldAnswerABadFrameWithAnErrorAndPublishNothingOfIt() {
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            assertThat(publisher.expect(ServerMessage.Publishing.class)).as("taken, first, with the frame limit")
                    .isEqualTo(new ServerMessage.Publishing("alice", 65_536));
            publisher.send("[{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"1\",\"size\":\"1\",\"side\":\"buy\"},"
                    + "{\"op\":\"trade\",\"symbol\":\"NOPE\",\"price\":\"1\",\"size\":\"1\",\"side\":\"buy\"}]");
            assertThat(publisher.awaitMessage(ServerMessage.Error.class, e -> true).code()).isEqualTo("unknown_symbol");
            publisher.send("{not json");
            assertThat(publisher.awaitMessage(ServerMessage.Error.class, e -> true).code()).isEqualTo("malformed_json");
            assertThat(publisher.isOpen()).isTrue();
        }
    }

    @Test
    void eventsIngestWouldRefuseAreErrorsToThePublisherAndNothingOfThemIsStreamed() {
        try (RawWebSocketClient subscriber = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                     Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            subscriber.send(CommandWriter.subscribe("s1", List.of("BTCUSDT"), List.of(Channel.TRADE, Channel.QUOTE)));
            subscriber.expect(ServerMessage.Subscribed.class);
            publisher.expect(ServerMessage.Publishing.class);
            String trade = "{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"side\":\"buy\",";
            long future = Clock.system().epochMicros() + 3_600_000_000L;
            long eightDaysAgo = Clock.system().epochMicros() - 8 * 86_400_000_000L;
            for (String[] bad : new String[][] {
                    {trade + "\"price\":\"1\",\"size\":\"0\"}", "invalid_field", "size"},
                    {trade + "\"price\":\"-1\",\"size\":\"1\"}", "invalid_field", "price"},
                    {"{\"op\":\"quote\",\"symbol\":\"BTCUSDT\",\"bid\":\"2\",\"bidSize\":\"1\",\"ask\":\"1\",\"askSize\":\"1\"}",
                            "invalid_field", "crossed"},
                    {trade + "\"price\":\"1\",\"size\":\"1\",\"ts\":1763897000123456789}", "invalid_field", "ahead"},
                    {trade + "\"price\":\"1\",\"size\":\"1\",\"ts\":" + future + "}", "invalid_field", "ahead"},
                    {trade + "\"price\":\"1\",\"size\":\"1\",\"ts\":1}", "invalid_field", "7 days behind"},
                    {trade + "\"price\":\"1\",\"size\":\"1\",\"ts\":" + eightDaysAgo + "}", "invalid_field", "behind"},
                    {trade + "\"price\":\"1\",\"size\":\"1\",\"tradeId\":9223372036854775807}", "invalid_field", "tradeId"},
                    // 2^53 - 1 itself leaves no room for the ids the server assigns after it
                    {trade + "\"price\":\"1\",\"size\":\"1\",\"tradeId\":9007199254740991}", "invalid_field", "4503599627370496"},
                    {trade + "\"price\":\"1\",\"size\":\"1\"}" + trade + "\"price\":\"1\",\"size\":\"1\"}", "malformed_json", "one JSON value"},
                    {"[" + trade + "\"price\":\"1\",\"size\":\"1\"}] junk", "malformed_json", ""}}) {
                publisher.send(bad[0]);
                ServerMessage.Error error = publisher.awaitMessage(ServerMessage.Error.class, e -> true);
                assertThat(error.code()).as(bad[0]).isEqualTo(bad[1]);
                assertThat(error.message()).as(bad[0]).contains(bad[2]);
            }
            // none of them reached a subscriber: the next trade there is the first, numbered 1
            publisher.send(trade + "\"price\":\"67000\",\"size\":\"1\"}");
            ServerMessage.Trade first = subscriber.expect(ServerMessage.Trade.class);
            assertThat(first.seq()).isEqualTo(1);
            assertThat(first.price()).isEqualByComparingTo("67000");
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitClosesWith1009AndABinaryFrameWith1003() {
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            String chunk = "x".repeat(40_000);
            publisher.sendFrame(new TextWebSocketFrame(false, 0, "[{\"op\":\"trade\",\"symbol\":\"" + chunk));
            publisher.sendFrame(new ContinuationWebSocketFrame(false, 0, Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8)));
            publisher.sendFrame(new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer("\"}]", StandardCharsets.UTF_8)));
            assertThat(publisher.awaitClose().code()).isEqualTo(1009);
        }
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            publisher.sendBinary(new byte[] {1, 2, 3});
            assertThat(publisher.awaitClose().code()).isEqualTo(1003);
        }
    }

    @Test
    void shouldRefuseAnAccountThatIsNotAPublisher() {
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                Map.of("Authorization", "Bearer " + TestServer.QUOTES_ONLY))) {
            assertThat(publisher.awaitMessage(ServerMessage.Error.class, e -> true).code()).isEqualTo("not_entitled");
            assertThat(publisher.awaitClose().code()).isEqualTo(1008);
        }
    }

    @Test
    void shouldRefuseAnUnknownCredential() {
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                Map.of("Authorization", "Bearer nope"))) {
            assertThat(publisher.awaitMessage(ServerMessage.Error.class, e -> true).code()).isEqualTo("auth_failed");
            assertThat(publisher.awaitClose().code()).isEqualTo(4002);
        }
    }

    @Test
    void aBannedAddressIsToldWhenToComeBack() {
        for (int i = 0; i < 10; i++) { // auth.maxFailures
            try (RawWebSocketClient guesser = RawWebSocketClient.connect(server.uri("/v1/publish"),
                    Map.of("Authorization", "Bearer guess-" + i))) {
                assertThat(guesser.expect(ServerMessage.Error.class).code()).isEqualTo("auth_failed");
                assertThat(guesser.awaitClose().code()).isEqualTo(4002);
            }
        }
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            ServerMessage.Error banned = publisher.awaitMessage(ServerMessage.Error.class, e -> true);
            assertThat(banned.code()).as("even the right token, while the ban lasts").isEqualTo("too_many_failures");
            assertThat(banned.retryAfterMs()).isPositive().isLessThanOrEqualTo(300_000);
            assertThat(publisher.awaitClose().code()).isEqualTo(4009);
        }
    }
}
