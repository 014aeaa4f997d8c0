package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import io.tickwire.model.Side;
import io.tickwire.protocol.ErrorCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class SubscriptionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ServerFixture server;
    private TickwireClient client;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() {
        server = ServerFixture.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private TickwireClient.Builder builder(String token) {
        return recorder.attach(TickwireClient.builder(server.uri()).credentials(Credentials.token(token)));
    }

    @Test
    void shouldReportUnknownSymbolsAndDeliverQuotesAndTradesInOrderWithExactDecimals() {
        server.quote("BTCUSDT", 6_700_000, 6_700_100);
        server.trade("BTCUSDT", 6_700_100);
        server.quote("BTCUSDT", 6_700_050, 6_700_100);
        client = builder(ServerFixture.ALICE).build();
        client.connect().join();

        SubscriptionResult result = client.subscribe(List.of("btcusdt", "NOPE"), Channel.QUOTE, Channel.TRADE).join();

        assertThat(result.accepted()).containsExactly(
                new Subscription("BTCUSDT", Channel.QUOTE), new Subscription("BTCUSDT", Channel.TRADE));
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.symbol()).isEqualTo("NOPE");
            assertThat(r.errorCode()).isEqualTo(ErrorCode.UNKNOWN_SYMBOL);
            assertThat(r.message()).isNotBlank();
        });
        await().atMost(WAIT).until(() -> recorder.quotes.size() == 1);
        Quote snapshot = recorder.quotes.get(0);
        assertThat(snapshot.snapshot()).isTrue();
        assertThat(snapshot.seq()).isEqualTo(2);
        assertThat(snapshot.bid()).isEqualTo(new BigDecimal("67000.50"));
        assertThat(snapshot.ask()).isEqualTo(new BigDecimal("67001.00"));
        assertThat(snapshot.bidSize()).isEqualTo(new BigDecimal("0.000100"));
        assertThat(snapshot.askSize()).isEqualTo(new BigDecimal("0.000200"));
        assertThat(snapshot.last()).isEqualTo(new BigDecimal("67001.00"));
        assertThat(snapshot.volume()).isEqualTo(new BigDecimal("0.000005"));
        assertThat(snapshot.sentTimeMicros()).isGreaterThanOrEqualTo(snapshot.eventTimeMicros());

        for (int i = 1; i <= 20; i++) {
            server.trade("BTCUSDT", 6_700_000 + i);
            server.quote("BTCUSDT", 6_700_000 + i, 6_700_100 + i);
        }

        await().atMost(WAIT).until(() -> recorder.trades.size() == 20 && recorder.quotes.size() == 21);
        assertThat(recorder.tradeSeqs("BTCUSDT")).containsExactlyElementsOf(range(2, 21));
        assertThat(recorder.quoteSeqs("BTCUSDT")).containsExactlyElementsOf(range(2, 22));
        assertThat(recorder.quotes.subList(1, 21)).noneMatch(Quote::snapshot);
        Trade first = recorder.trades.get(0);
        assertThat(first.price()).isEqualTo(new BigDecimal("67000.01"));
        assertThat(first.size()).isEqualTo(new BigDecimal("0.000005"));
        assertThat(first.side()).isEqualTo(Side.BUY);
        assertThat(first.tradeId()).isEqualTo(2);
        assertThat(recorder.quotes.get(20).ask()).isEqualTo(new BigDecimal("67001.20"));
        assertThat(recorder.gaps).isEmpty();
        assertThat(client.droppedDuplicates()).isZero();
    }

    @Test
    void subscribingTwiceIsHarmless() {
        client = builder(ServerFixture.ALICE).build();
        client.connect().join();
        client.subscribe(List.of("ETHUSDT"), Channel.TRADE).join();

        SubscriptionResult again = client.subscribe(List.of("ETHUSDT"), Channel.TRADE).join();
        server.trade("ETHUSDT", 300_000);

        assertThat(again.accepted()).containsExactly(new Subscription("ETHUSDT", Channel.TRADE));
        await().atMost(WAIT).until(() -> recorder.trades.size() == 1);
        assertThat(recorder.trades.get(0).seq()).isEqualTo(1);
    }

    @Test
    void unsubscribeStopsDelivery() {
        client = builder(ServerFixture.ALICE).build();
        client.connect().join();
        client.subscribe(List.of("BTCUSDT", "EURUSD"), Channel.TRADE).join();
        server.trade("BTCUSDT", 100);
        await().atMost(WAIT).until(() -> recorder.trades.size() == 1);

        SubscriptionResult result = client.unsubscribe(List.of("BTCUSDT", "AAPL"), Channel.TRADE).join();
        // BTCUSDT and EURUSD share a partition: the EURUSD trade is sequenced after the BTCUSDT one
        server.trade("BTCUSDT", 101);
        server.trade("EURUSD", 1_000_000);

        assertThat(result.accepted()).containsExactly(new Subscription("BTCUSDT", Channel.TRADE));
        assertThat(result.rejected()).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo(ErrorCode.NOT_SUBSCRIBED));
        await().atMost(WAIT).until(() -> recorder.trades.size() == 2);
        assertThat(recorder.trades).extracting(Trade::symbol).containsExactly("BTCUSDT", "EURUSD");
    }

    @Test
    void shouldFailTheFutureWithTheServersErrorCode() {
        client = builder(ServerFixture.QUOTES_ONLY).build();
        client.connect().join();

        assertThat(client.subscribe(List.of("BTCUSDT"), Channel.QUOTE, Channel.TRADE)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo("channel_not_allowed");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CHANNEL_NOT_ALLOWED);
                    assertThat(e.getMessage()).contains("trade");
                });
        // the session carries on
        assertThat(client.subscribe(List.of("BTCUSDT"), Channel.QUOTE)).succeedsWithin(WAIT)
                .satisfies(r -> assertThat(r.rejected()).isEmpty());
    }

    @Test
    void aSubscribeBeforeConnectingIsSentOnceConnectedAndAnswered() {
        server.quote("AAPL", 22_500, 22_510);
        client = builder(ServerFixture.ALICE).build();

        var subscribed = client.subscribe(List.of("AAPL", "ZZZ"), Channel.QUOTE);
        assertThat(subscribed).isNotDone();
        client.connect().join();

        assertThat(subscribed).succeedsWithin(WAIT).satisfies(r -> {
            assertThat(r.accepted()).containsExactly(new Subscription("AAPL", Channel.QUOTE));
            assertThat(r.rejected()).extracting(Rejection::symbol).containsExactly("ZZZ");
        });
        await().atMost(WAIT).until(() -> recorder.quotes.size() == 1);
        assertThat(recorder.quotes.get(0).bid()).isEqualTo(new BigDecimal("225.00"));
        assertThat(recorder.quotes.get(0).snapshot()).isTrue();
    }

    @Test
    void callbacksRunInOrderOnTheGivenExecutor() {
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "user-callbacks"));
        try {
            client = builder(ServerFixture.ALICE).callbackExecutor(executor).build();
            client.connect().join();
            client.subscribe(List.of("EURUSD"), Channel.QUOTE).join();

            for (int i = 1; i <= 500; i++) {
                server.quote("EURUSD", 108_000 + i, 108_010 + i);
            }

            await().atMost(WAIT).until(() -> recorder.quotes.size() == 500);
            assertThat(recorder.quoteSeqs("EURUSD")).containsExactlyElementsOf(range(1, 500));
            assertThat(recorder.threads).containsOnly("user-callbacks");
            assertThat(recorder.quotes.get(499).bid()).isEqualTo(new BigDecimal("1.08500"));
        } finally {
            client.close();
            executor.shutdownNow();
        }
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }
}
