package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.auth.Account;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.server.session.auth.ServerAuth;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A publisher's receipt where the engine's tap keeps events elsewhere (a cluster's ingest node):
 * one a full partition queue refuses is offered again until it is kept, and only then is the
 * publisher told its frame is taken.
 */
class PublisherReceiptTest {

    private static final int QUEUE = 16; // a power of two: the partition queue holds exactly this many
    private static final long GATE = 999_999;

    /** Keeps events "elsewhere" (nowhere), and holds the partition's thread on the gate trade until opened. */
    private static final class GateTap implements EventTap {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void onEvent(MarketEvent event) {
            if (event instanceof Trade trade && trade.tradeId() == GATE) {
                reached.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public boolean keepsElsewhere() {
            return true;
        }
    }

    private final GateTap tap = new GateTap();
    private InProcessBus bus;
    private TickwireServer server;

    @BeforeEach
    void start() {
        bus = new InProcessBus(TestServer.CATALOG, Clock.system(), 1, QUEUE, tap);
        server = TickwireServer.start(ServerConfig.defaults().toBuilder().publishers(List.of("alice")).build()
                        .withHost("127.0.0.1").withPort(0), TestServer.CATALOG, bus,
                ServerAuth.of(TokenAuthenticator.builder().add(TokenHash.of(TestServer.ALICE), new Account("alice", TestServer.PRO))
                        .build()), Clock.system());
    }

    @AfterEach
    void stop() {
        tap.open.countDown();
        server.close();
        bus.close();
    }

    @Test
    void aReceiptAFullPartitionQueueRefusesIsOfferedAgainAndTheFrameIsCountedOnlyOnceItIsKept() throws Exception {
        int btc = TestServer.CATALOG.find("BTCUSDT").id();
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/v1/publish"),
                Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            publisher.expect(ServerMessage.Publishing.class);
            // another source's trade holds the partition's thread in the tap; its queue then fills but for one place
            CompletableFuture.runAsync(() -> bus.offer(trade(btc, GATE)));
            assertThat(tap.reached.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < QUEUE; i++) {
                assertThat(bus.offer(trade(btc, i))).isTrue();
            }
            assertThat(bus.stats().eventsRefused()).isZero();

            // the publisher's one event takes the last place, so its receipt finds the queue full
            publisher.send("{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"100\",\"size\":\"1\",\"side\":\"buy\"}");
            await().until(() -> bus.stats().eventsRefused() >= 3); // refused, and refused again on the retries
            assertThat(bus.stats().queuedEvents()).isEqualTo(QUEUE);
            assertThat(publisher.history()).as("nothing counted while the receipt is not kept")
                    .noneMatch(message -> message.contains("\"taken\""));

            tap.open.countDown(); // the partition drains: the next offer of the receipt is taken, and it settles kept
            assertThat(publisher.awaitMessage(ServerMessage.Taken.class, taken -> true).frames()).isEqualTo(1);
            await().until(() -> bus.stats().queuedEvents() == 0);
            assertThat(bus.stats().eventsAccepted()).isEqualTo(QUEUE + 1);
        }
    }

    private static Trade trade(int instrument, long tradeId) {
        return new Trade(instrument, 0, 0, 10_000, 1_000_000, Side.BUY, tradeId);
    }
}
