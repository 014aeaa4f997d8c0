package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Channel;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void subscribeReportsUnknownSymbolsAndStartsWithTheLastQuote() {
        server.quote("BTCUSDT", 6_700_000, 6_700_100);
        server.trade("BTCUSDT", 6_700_100);
        server.quote("BTCUSDT", 6_700_050, 6_700_100);
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(CommandWriter.subscribe("s1", List.of("BTCUSDT", "NOPE", "eurusd"), List.of(Channel.QUOTE, Channel.TRADE)));
            ServerMessage.Subscribed ack = client.expect(ServerMessage.Subscribed.class);
            assertThat(ack.id()).isEqualTo("s1");
            assertThat(ack.subscriptions()).containsExactly(
                    new ServerMessage.StreamRef("BTCUSDT", Channel.QUOTE), new ServerMessage.StreamRef("BTCUSDT", Channel.TRADE),
                    new ServerMessage.StreamRef("EURUSD", Channel.QUOTE), new ServerMessage.StreamRef("EURUSD", Channel.TRADE));
            assertThat(ack.rejected()).singleElement().satisfies(r -> {
                assertThat(r.symbol()).isEqualTo("NOPE");
                assertThat(r.code()).isEqualTo("unknown_symbol");
            });
            assertThat(ack.instruments()).extracting(ServerMessage.InstrumentInfo::priceScale).containsExactly(2, 5);

            ServerMessage.Quote snapshot = client.expect(ServerMessage.Quote.class);
            assertThat(snapshot.snapshot()).isTrue();
            assertThat(snapshot.symbol()).isEqualTo("BTCUSDT");
            assertThat(snapshot.seq()).isEqualTo(2);
            assertThat(snapshot.bid()).isEqualByComparingTo("67000.5");
            assertThat(snapshot.last()).isEqualByComparingTo("67001");
            assertThat(snapshot.volume()).isEqualByComparingTo("0.000005");
            assertThat(snapshot.sent()).isGreaterThanOrEqualTo(snapshot.ts());

            server.trade("BTCUSDT", 6_700_200);
            server.quote("BTCUSDT", 6_700_100, 6_700_300);
            ServerMessage.Trade trade = client.expect(ServerMessage.Trade.class);
            assertThat(trade.seq()).isEqualTo(2);
            assertThat(trade.price()).isEqualByComparingTo(new BigDecimal("67002"));
            assertThat(trade.tradeId()).isEqualTo(2);
            ServerMessage.Quote next = client.expect(ServerMessage.Quote.class);
            assertThat(next.seq()).isEqualTo(3);
            assertThat(next.snapshot()).isFalse();
        }
    }

    @Test
    void subscribingTwiceIsIdempotent() {
        server.quote("ETHUSDT", 300_000, 300_100);
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(CommandWriter.subscribe("1", List.of("ETHUSDT"), List.of(Channel.QUOTE)));
            client.expect(ServerMessage.Subscribed.class);
            assertThat(client.expect(ServerMessage.Quote.class).snapshot()).isTrue();
            client.send(CommandWriter.subscribe("2", List.of("ETHUSDT"), List.of(Channel.QUOTE)));
            assertThat(client.expect(ServerMessage.Subscribed.class).subscriptions()).hasSize(1);
            server.quote("ETHUSDT", 300_000, 300_200);
            ServerMessage.Quote update = client.expect(ServerMessage.Quote.class);
            assertThat(update.snapshot()).as("no second snapshot, no duplicate").isFalse();
            assertThat(update.seq()).isEqualTo(2);
            client.send(CommandWriter.ping("p", null));
            assertThat(client.expect(ServerMessage.Pong.class).id()).isEqualTo("p");
        }
    }

    @Test
    void shouldRefuseMoreSymbolsThanThePlanAllowsNamingTheLimit() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(CommandWriter.subscribe("a", List.of("BTCUSDT", "ETHUSDT"), List.of(Channel.TRADE)));
            client.expect(ServerMessage.Subscribed.class);
            client.send(CommandWriter.subscribe("b", List.of("EURUSD", "AAPL"), List.of(Channel.TRADE)));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.id()).isEqualTo("b");
            assertThat(error.errorCode()).isEqualTo(ErrorCode.SYMBOL_LIMIT);
            assertThat(error.limit()).isEqualTo(3);
            assertThat(error.message()).contains("3 symbols").contains("would make 4");
            // nothing of the refused request was subscribed
            client.send(CommandWriter.unsubscribe("c", List.of("EURUSD"), List.of(Channel.TRADE)));
            assertThat(client.expect(ServerMessage.Unsubscribed.class).rejected())
                    .extracting(ServerMessage.Rejection::code).containsExactly("not_subscribed");
            // a symbol already subscribed does not count twice
            client.send(CommandWriter.subscribe("d", List.of("BTCUSDT", "EURUSD"), List.of(Channel.QUOTE)));
            assertThat(client.expect(ServerMessage.Subscribed.class).subscriptions()).hasSize(2);
        }
    }

    @Test
    void shouldRefuseChannelsOutsideThePlan() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.QUOTES_ONLY)) {
            client.send(CommandWriter.subscribe("t", List.of("BTCUSDT"), List.of(Channel.QUOTE, Channel.TRADE)));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.CHANNEL_NOT_ALLOWED);
            assertThat(error.message()).contains("trade");
        }
    }

    @Test
    void shouldRefuseSubscribeBeforeAuthenticationAndKeepTheConnection() {
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri())) {
            client.expect(ServerMessage.Welcome.class);
            client.send(CommandWriter.subscribe("early", List.of("BTCUSDT"), List.of(Channel.QUOTE)));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
            assertThat(error.id()).isEqualTo("early");
            client.send(CommandWriter.auth("a", TestServer.ALICE));
            client.expect(ServerMessage.Authenticated.class);
        }
    }

    @Test
    void unsubscribeStopsTheStreamAndReportsWhatWasNotSubscribed() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(CommandWriter.subscribe("s", List.of("BTCUSDT", "EURUSD"), List.of(Channel.TRADE)));
            client.expect(ServerMessage.Subscribed.class);
            client.send(CommandWriter.unsubscribe("u", List.of("BTCUSDT", "AAPL", "ZZZ"), List.of(Channel.TRADE)));
            ServerMessage.Unsubscribed ack = client.expect(ServerMessage.Unsubscribed.class);
            assertThat(ack.id()).isEqualTo("u");
            assertThat(ack.subscriptions()).containsExactly(new ServerMessage.StreamRef("BTCUSDT", Channel.TRADE));
            assertThat(ack.rejected()).extracting(ServerMessage.Rejection::symbol, ServerMessage.Rejection::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("ZZZ", "unknown_symbol"),
                            org.assertj.core.groups.Tuple.tuple("AAPL", "not_subscribed"));

            // EURUSD is on BTCUSDT's partition (instrument ids 0 and 2, two partitions), so its trade
            // reaches the connection after a BTCUSDT trade that was wrongly delivered, never before it
            server.trade("BTCUSDT", 100);
            server.trade("EURUSD", 1_10000);
            ServerMessage.Trade trade = client.expect(ServerMessage.Trade.class);
            assertThat(trade.symbol()).as("the BTCUSDT trade was not delivered").isEqualTo("EURUSD");
        }
    }

    @Test
    void everySubscriberGetsEveryMessageInSequence() {
        List<RawWebSocketClient> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawWebSocketClient c = server.connectAuthenticated(i % 2 == 0 ? TestServer.ALICE : TestServer.QUOTES_ONLY);
                c.send(CommandWriter.subscribe("s", List.of("AAPL"), List.of(Channel.QUOTE)));
                c.expect(ServerMessage.Subscribed.class);
                clients.add(c);
            }
            for (int n = 1; n <= 500; n++) {
                server.quote("AAPL", 10_000 + n, 10_001 + n);
            }
            for (RawWebSocketClient c : clients) {
                for (int n = 1; n <= 500; n++) {
                    ServerMessage.Quote q = c.expect(ServerMessage.Quote.class);
                    assertThat(q.seq()).isEqualTo(n);
                    assertThat(q.bid()).isEqualByComparingTo(BigDecimal.valueOf(10_000 + n, 2));
                }
            }
        } finally {
            clients.forEach(RawWebSocketClient::close);
        }
    }
}
