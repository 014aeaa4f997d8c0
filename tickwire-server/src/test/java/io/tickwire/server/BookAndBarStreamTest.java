package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BookAndBarStreamTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String subscribe(String id, List<String> symbols, List<Channel> channels, int depth, long throttleMs,
                                    List<Periodicity> periods, List<PriceType> types) {
        return CommandWriter.subscribe(id, symbols, channels, depth, throttleMs, periods, types);
    }

    @Test
    void aBookSubscriberHoldsTheExactTopAfterEveryMessage() {
        server.book("BTCUSDT", "bid", 100_00, 5_000, "bid", 99_00, 4_000, "bid", 98_00, 3_000, "ask", 101_00, 1_000);
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(subscribe("b", List.of("BTCUSDT"), List.of(Channel.BOOK), 2, 0, null, null));
            ServerMessage.Subscribed ack = client.expect(ServerMessage.Subscribed.class);
            assertThat(ack.subscriptions()).singleElement().satisfies(ref -> {
                assertThat(ref.channel()).isEqualTo(Channel.BOOK);
                assertThat(ref.depth()).isEqualTo(2);
            });
            ClientBook book = new ClientBook(2, 6);
            ServerMessage.Book snapshot = client.expect(ServerMessage.Book.class);
            assertThat(snapshot.snapshot()).isTrue();
            book.apply(snapshot);
            assertThat(book.bids.keySet()).containsExactly(new BigDecimal("100.00"), new BigDecimal("99.00"));

            server.book("BTCUSDT", "bid", 97_00, 1_000);            // outside the top 2: no message
            server.book("BTCUSDT", "bid", 100_00, 0);               // 98 moves into the top 2
            server.book("BTCUSDT", "ask", 100_50, 2_000, "bid", 99_50, 7_000);
            ServerMessage.Book first = client.expect(ServerMessage.Book.class);
            assertThat(first.seq()).isEqualTo(3);
            book.apply(first);
            assertThat(book.bids.keySet()).containsExactly(new BigDecimal("99.00"), new BigDecimal("98.00"));
            book.apply(client.expect(ServerMessage.Book.class));
            assertThat(book.bids).containsEntry(new BigDecimal("99.50"), new BigDecimal("0.007000")).hasSize(2);
            assertThat(book.asks.firstKey()).isEqualByComparingTo("100.50");
        }
    }

    @Test
    void quotesComeFromTheBookAndBarsFromTheTrades() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(subscribe("s", List.of("ETHUSDT"), List.of(Channel.QUOTE, Channel.BAR), 0, 0,
                    List.of(Periodicity.M1, Periodicity.H1), List.of(PriceType.LAST)));
            assertThat(client.expect(ServerMessage.Subscribed.class).subscriptions())
                    .extracting(ServerMessage.StreamRef::channel, ServerMessage.StreamRef::period)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Channel.QUOTE, null),
                            org.assertj.core.groups.Tuple.tuple(Channel.BAR, Periodicity.M1),
                            org.assertj.core.groups.Tuple.tuple(Channel.BAR, Periodicity.H1));
            server.book("ETHUSDT", "bid", 3_000_00, 10, "ask", 3_000_50, 20);
            ServerMessage.Quote quote = client.expect(ServerMessage.Quote.class);
            assertThat(quote.bid()).isEqualByComparingTo("3000.00");
            assertThat(quote.askSize()).isEqualByComparingTo("0.0020");
            server.trade("ETHUSDT", 3_000_50);
            ServerMessage.Bar m1 = client.awaitMessage(ServerMessage.Bar.class, b -> b.period() == Periodicity.M1);
            assertThat(m1.close()).isEqualByComparingTo("3000.50");
            assertThat(m1.closed()).isFalse();
            assertThat(m1.priceType()).isEqualTo(PriceType.LAST);
            assertThat(m1.time() % 60_000_000L).isZero();
        }
    }

    @Test
    void throttledQuotesArriveConflatedAndChained() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(subscribe("t", List.of("AAPL"), List.of(Channel.QUOTE), 0, 100, null, null));
            assertThat(client.expect(ServerMessage.Subscribed.class).subscriptions().get(0).throttleMs()).isEqualTo(100);
            for (int i = 1; i <= 300; i++) {
                server.quote("AAPL", 100_00 + i, 200_00);
            }
            long lastSeq = 0;
            int received = 0;
            while (lastSeq < 300) {
                ServerMessage.Quote q = client.awaitMessage(ServerMessage.Quote.class, x -> true);
                assertThat(q.prevSeq()).as("a throttled quote says what it follows").isEqualTo(lastSeq);
                lastSeq = q.seq();
                received++;
            }
            assertThat(received).as("conflated: fewer messages than quotes").isLessThan(300);
        }
    }

    @Test
    void aSnapshotOnDemandComesInTheStreamWithTheRequestId() {
        server.book("MSFT", "bid", 400_00, 5, "ask", 401_00, 6);
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(subscribe("s", List.of("MSFT"), List.of(Channel.BOOK, Channel.TRADE), 5, 0, null, null));
            client.expect(ServerMessage.Subscribed.class);
            client.expect(ServerMessage.Book.class);
            client.send(CommandWriter.snapshot("snap-1", "MSFT", Channel.BOOK, null, null));
            ServerMessage.Book again = client.expect(ServerMessage.Book.class);
            assertThat(again.id()).isEqualTo("snap-1");
            assertThat(again.snapshot()).isTrue();
            assertThat(again.bids()).hasSize(1);

            client.send(CommandWriter.snapshot("q", "MSFT", Channel.QUOTE, null, null));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.NOT_SUBSCRIBED);
            client.send(CommandWriter.snapshot("t", "MSFT", Channel.TRADE, null, null));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.INVALID_FIELD);
            client.send(CommandWriter.snapshot("u", "NOPE", Channel.BOOK, null, null));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.UNKNOWN_SYMBOL);
        }
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(subscribe("s", List.of("ETHUSDT"), List.of(Channel.BAR), 0, 0, List.of(Periodicity.D1), null));
            client.expect(ServerMessage.Subscribed.class);
            client.send(CommandWriter.snapshot("empty", "ETHUSDT", Channel.BAR, Periodicity.D1, PriceType.LAST));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.NO_DATA);
            assertThat(error.id()).isEqualTo("empty");
            // without an id the client is told too, rather than left waiting
            client.send("{\"op\":\"snapshot\",\"symbol\":\"ETHUSDT\",\"channel\":\"bar\",\"period\":\"1d\",\"priceType\":\"last\"}");
            ServerMessage.Error anonymous = client.expect(ServerMessage.Error.class);
            assertThat(anonymous.errorCode()).isEqualTo(ErrorCode.NO_DATA);
            assertThat(anonymous.id()).isNull();
        }
    }

    @Test
    void aSnapshotWhoseStreamIsUnsubscribedBeforeItIsSentIsStillAnswered() {
        server.trade("ETHUSDT", 3_000_50);
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(subscribe("s", List.of("ETHUSDT"), List.of(Channel.BAR), 0, 1000,
                    List.of(Periodicity.M1, Periodicity.H1), List.of(PriceType.LAST)));
            client.expect(ServerMessage.Subscribed.class);
            // in one flush: the session drops the stream before the engine's answer reaches it
            client.sendAll(List.of(
                    "{\"op\":\"snapshot\",\"id\":\"q2\",\"symbol\":\"ETHUSDT\",\"channel\":\"bar\",\"period\":\"1h\",\"priceType\":\"last\"}",
                    "{\"op\":\"unsubscribe\",\"id\":\"u\",\"symbols\":[\"ETHUSDT\"],\"channels\":[\"bar\"],\"periods\":[\"1h\"]}"));
            client.awaitMessage(ServerMessage.Unsubscribed.class, u -> "u".equals(u.id()));
            ServerMessage.Error error = client.awaitMessage(ServerMessage.Error.class, e -> "q2".equals(e.id()));
            assertThat(error.errorCode()).isEqualTo(ErrorCode.NOT_SUBSCRIBED);
            assertThat(error.message()).contains("ETHUSDT bar 1h last");
        }
    }

    @Test
    void badDeliveryOptionsGetTheirOwnCodes() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"BTCUSDT\"],\"channels\":[\"book\"],\"depth\":0}");
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.INVALID_DEPTH);
            client.send("{\"op\":\"subscribe\",\"id\":2,\"symbols\":[\"BTCUSDT\"],\"channels\":[\"quote\"],\"throttleMs\":7}");
            ServerMessage.Error throttle = client.expect(ServerMessage.Error.class);
            assertThat(throttle.errorCode()).isEqualTo(ErrorCode.INVALID_THROTTLE);
            assertThat(throttle.message()).contains("500").contains("64000");
            client.send("{\"op\":\"subscribe\",\"id\":3,\"symbols\":[\"BTCUSDT\"],\"channels\":[\"bar\"],\"periods\":[\"2m\"]}");
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.UNKNOWN_PERIOD);
            client.send("{\"op\":\"subscribe\",\"id\":4,\"symbols\":[\"BTCUSDT\"],\"channels\":[\"bar\"],\"priceTypes\":[\"mid\"]}");
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.UNKNOWN_PRICE_TYPE);
            // a depth beyond one instrument's maximum is refused for that symbol only
            client.send(subscribe("5", List.of("BTCUSDT"), List.of(Channel.BOOK, Channel.TRADE), 51, 0, null, null));
            ServerMessage.Subscribed partial = client.expect(ServerMessage.Subscribed.class);
            assertThat(partial.subscriptions()).extracting(ServerMessage.StreamRef::channel).containsExactly(Channel.TRADE);
            assertThat(partial.rejected()).singleElement().satisfies(r -> {
                assertThat(r.code()).isEqualTo("invalid_depth");
                assertThat(r.message()).contains("50");
            });
        }
    }

    @Test
    void aResubscribeWithAnotherDepthReplacesTheBookStream() {
        server.book("BTCUSDT", "bid", 100_00, 5_000, "bid", 99_00, 4_000, "ask", 101_00, 1_000);
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(subscribe("a", List.of("BTCUSDT"), List.of(Channel.BOOK), 1, 0, null, null));
            client.expect(ServerMessage.Subscribed.class);
            assertThat(client.expect(ServerMessage.Book.class).depth()).isEqualTo(1);
            client.send(subscribe("b", List.of("BTCUSDT"), List.of(Channel.BOOK), 5, 0, null, null));
            client.expect(ServerMessage.Subscribed.class);
            assertThat(client.expect(ServerMessage.Book.class).depth()).isEqualTo(5);
            server.book("BTCUSDT", "bid", 99_00, 1);
            assertThat(client.expect(ServerMessage.Book.class).depth()).as("only the new depth is delivered").isEqualTo(5);
            client.send(CommandWriter.unsubscribe("u", List.of("BTCUSDT"), List.of(Channel.BOOK)));
            assertThat(client.expect(ServerMessage.Unsubscribed.class).subscriptions()).hasSize(1);
        }
    }

    @Test
    void updatesLostOnTheWayAreAnnouncedAndTheBookIsResentNeverSilentlyWrong() throws Exception {
        ServerConfig tiny = ServerConfig.defaults().toBuilder().outboxCapacity(1_024).build();
        try (TestServer small = TestServer.start(tiny, io.tickwire.model.Clock.system());
             RawWebSocketClient client = small.connectAuthenticated(TestServer.ALICE)) {
            small.book("BTCUSDT", "bid", 100_00, 1, "ask", 200_00, 1);
            client.send(subscribe("b", List.of("BTCUSDT"), List.of(Channel.BOOK), 3, 0, null, null));
            client.expect(ServerMessage.Subscribed.class);
            ClientBook book = new ClientBook(2, 6);
            book.apply(client.expect(ServerMessage.Book.class));

            // Stall every event loop so the partition fills the outboxes and loses updates.
            CountDownLatch stalled = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 2; i++) {
                small.server.fanOut().outbox(i).loop().execute(() -> {
                    stalled.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 3_000; i++) {
                small.book("BTCUSDT", "bid", 100_00, 1 + i);
            }
            org.awaitility.Awaitility.await().until(() -> small.server.fanOut().overflows() > 0);
            release.countDown();

            boolean gapSeen = false;
            while (true) {
                ServerMessage m = client.next();
                if (m instanceof ServerMessage.Gap gap) {
                    assertThat(gap.symbol()).isEqualTo("BTCUSDT");
                    assertThat(gap.channel()).isEqualTo(Channel.BOOK);
                    gapSeen = true;
                } else if (m instanceof ServerMessage.Book b) {
                    if (gapSeen) {
                        assertThat(b.snapshot()).as("after a gap the book is resent whole").isTrue();
                        book.apply(b);
                        break;
                    }
                    book.apply(b); // before the loss: still in sequence
                }
            }
            // the snapshot may have been taken before the last of the 3,000 updates reached the book;
            // those follow it in sequence (each message waits at most the client's timeout)
            BigDecimal last = new BigDecimal("0.003001");
            while (!last.equals(book.bids.get(new BigDecimal("100.00")))) {
                if (client.next() instanceof ServerMessage.Book b) {
                    book.apply(b);
                }
            }
            assertThat(book.bids).containsEntry(new BigDecimal("100.00"), last);
        }
    }
}
