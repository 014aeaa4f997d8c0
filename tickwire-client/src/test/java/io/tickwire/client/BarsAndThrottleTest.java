package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bars and throttled streams against a real server: their messages, their numbering, their gaps. */
@ExtendWith(NoLeaks.class)
class BarsAndThrottleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SECOND = 1_000_000L;
    /**
     * A whole hour two hours from now: events at these times move the engine's market clock ahead
     * of the wall clock, so bars close by the events' own times, never by the clock during a test.
     * (Events older than the engine's start do not move its market clock at all.)
     */
    private static final long BASE = Periodicity.H1.startOf(System.currentTimeMillis() * 1_000L) + 2 * 3_600 * SECOND;

    private ServerFixture server;
    private TickwireClient client;
    private final Recorder recorder = new Recorder();
    private final List<Bar> bars = new CopyOnWriteArrayList<>();

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

    private TickwireClient.Builder builder() {
        return recorder.attach(TickwireClient.builder(server.uri()).credentials(Credentials.token(ServerFixture.ALICE)))
                .onBar(bars::add);
    }

    private List<Bar> bars(Periodicity period) {
        return bars.stream().filter(b -> b.period() == period).toList();
    }

    @Test
    void barsFormAndTheFinalBarOfAPeriodIsMarkedClosed() {
        client = builder().build();
        client.connect().join();
        SubscriptionResult result = client.subscribe(List.of("BTCUSDT"),
                SubscribeOptions.defaults().withPeriods(Periodicity.M1, Periodicity.M5), Channel.BAR).join();
        assertThat(result.accepted()).extracting(Subscription::period).containsExactlyInAnyOrder(Periodicity.M1, Periodicity.M5);

        server.trade("BTCUSDT", 100_00, BASE + SECOND);
        server.trade("BTCUSDT", 101_50, BASE + 2 * SECOND);
        server.trade("BTCUSDT", 99_00, BASE + 61 * SECOND); // the next minute: closes the first 1m bar

        await().atMost(WAIT).until(() -> bars(Periodicity.M1).size() == 4 && bars(Periodicity.M5).size() == 3);
        List<Bar> m1 = bars(Periodicity.M1);
        assertThat(m1).extracting(Bar::closed).containsExactly(false, false, true, false);
        assertThat(m1).extracting(Bar::seq).containsExactly(1L, 2L, 3L, 4L);
        Bar closed = m1.get(2);
        assertThat(closed.symbol()).isEqualTo("BTCUSDT");
        assertThat(closed.priceType()).isEqualTo(PriceType.LAST);
        assertThat(closed.openTimeMicros()).isEqualTo(BASE);
        assertThat(closed.openTime()).isEqualTo(Instant.ofEpochSecond(BASE / SECOND));
        assertThat(closed.open()).isEqualTo(new BigDecimal("100.00"));
        assertThat(closed.high()).isEqualTo(new BigDecimal("101.50"));
        assertThat(closed.low()).isEqualTo(new BigDecimal("100.00"));
        assertThat(closed.close()).isEqualTo(new BigDecimal("101.50"));
        assertThat(closed.volume()).isEqualTo(new BigDecimal("0.000010"));
        assertThat(closed.trades()).isEqualTo(2);
        Bar next = m1.get(3);
        assertThat(next.openTimeMicros()).isEqualTo(BASE + 60 * SECOND);
        assertThat(next.open()).isEqualTo(new BigDecimal("99.00"));
        Bar five = bars(Periodicity.M5).get(2);
        assertThat(five.closed()).isFalse();
        assertThat(five.low()).isEqualTo(new BigDecimal("99.00"));
        assertThat(five.trades()).isEqualTo(3);
        assertThat(recorder.gaps).isEmpty();
    }

    @Test
    void aMissedBarIsAGapOfItsOwnStreamNamingPeriodAndPriceType() {
        AtomicInteger barFrames = new AtomicInteger();
        client = builder()
                .inboundFrames(f -> f.startsWith("{\"type\":\"bar\"") && barFrames.incrementAndGet() == 2 ? null : f)
                .build();
        client.connect().join();
        client.subscribe(List.of("ETHUSDT"), SubscribeOptions.defaults().withPeriods(Periodicity.H1), Channel.BAR).join();

        for (int i = 1; i <= 3; i++) {
            server.trade("ETHUSDT", 3_000_00 + i, BASE + i * SECOND);
        }

        await().atMost(WAIT).until(() -> bars.size() == 2);
        assertThat(bars).extracting(Bar::seq).containsExactly(1L, 3L);
        assertThat(recorder.gaps).containsExactly(new Gap("ETHUSDT", Channel.BAR, Periodicity.H1, PriceType.LAST, 2, 3));
        assertThat(bars.get(1).close()).as("each bar message is the whole bar").isEqualTo(new BigDecimal("3000.03"));
    }

    @Test
    void aBarThatClosedWhileDisconnectedIsReportedAsAGap() {
        try (io.tickwire.testkit.TcpProxy proxy = io.tickwire.testkit.TcpProxy.start("127.0.0.1", server.port())) {
            client = recorder.attach(TickwireClient.builder(server.uri(proxy.port()))
                            .credentials(Credentials.token(ServerFixture.ALICE))
                            .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)))
                    .onBar(bars::add).build();
            client.connect().join();
            client.subscribe(List.of("EURUSD"), SubscribeOptions.defaults().withPeriods(Periodicity.M1), Channel.BAR).join();
            server.trade("EURUSD", 1_16000, BASE + SECOND);
            await().atMost(WAIT).until(() -> bars.size() == 1);

            proxy.freeze();
            proxy.cutAll();
            await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Disconnected.class) == 1);
            server.trade("EURUSD", 1_16010, BASE + 61 * SECOND); // closes the first bar while the client is away
            proxy.unfreeze();
            await().atMost(WAIT).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2 && bars.size() == 2);

            assertThat(bars.get(1).openTimeMicros()).isEqualTo(BASE + 60 * SECOND); // the forming bar
            assertThat(recorder.gaps).singleElement().satisfies(g -> {
                assertThat(g.channel()).isEqualTo(Channel.BAR);
                assertThat(g.period()).isEqualTo(Periodicity.M1);
            });
            client.close();
        }
    }

    @Test
    void throttledQuotesAreConflatedAndChainedWithoutFalseGaps() {
        client = builder().build();
        client.connect().join();
        SubscriptionResult result = client.subscribe(List.of("AAPL"),
                SubscribeOptions.defaults().withThrottle(Duration.ofMillis(100)), Channel.QUOTE).join();
        assertThat(result.accepted()).singleElement().extracting(Subscription::throttle).isEqualTo(Duration.ofMillis(100));

        for (int i = 1; i <= 300; i++) {
            server.quote("AAPL", 100_00 + i, 200_00);
        }

        await().atMost(WAIT).until(() -> !recorder.quotes.isEmpty() && recorder.quotes.getLast().seq() == 300);
        List<Long> seqs = recorder.quoteSeqs("AAPL");
        assertThat(seqs).as("conflated").hasSizeLessThan(300).isSorted().doesNotHaveDuplicates();
        assertThat(recorder.gaps).as("numbers skipped by a throttled stream are not gaps").isEmpty();
        assertThat(recorder.quotes.getLast().bid()).isEqualTo(new BigDecimal("103.00"));
        assertThat(client.droppedDuplicates()).isZero();
    }

    @Test
    void aLostThrottledQuoteIsAGapAndTheNextQuoteIsDeliveredAnyway() {
        AtomicInteger quoteFrames = new AtomicInteger();
        client = builder()
                .inboundFrames(f -> f.startsWith("{\"type\":\"quote\"") && quoteFrames.incrementAndGet() == 2 ? null : f)
                .build();
        client.connect().join();
        client.subscribe(List.of("AAPL"), SubscribeOptions.defaults().withThrottle(Duration.ofMillis(50)), Channel.QUOTE)
                .join();

        // one quote per throttle interval at least: wait for each to arrive (or be dropped) before the next
        for (int i = 1; i <= 3; i++) {
            server.quote("AAPL", 100_00 + i, 200_00);
            int frames = i;
            await().atMost(WAIT).until(() -> quoteFrames.get() == frames);
        }

        await().atMost(WAIT).until(() -> recorder.quotes.size() == 2);
        assertThat(recorder.quoteSeqs("AAPL")).containsExactly(1L, 3L);
        assertThat(recorder.gaps).containsExactly(new Gap("AAPL", Channel.QUOTE, 2, 3));
    }
}
