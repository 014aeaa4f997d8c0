package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Losses the server announces with a {@code gap} message, against a server whose outbox overflows. */
@ExtendWith(NoLeaks.class)
class ServerGapTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private ServerFixture server;
    private TickwireClient client;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTradeLossTheServerAnnouncesIsReportedOnce() throws Exception {
        server = ServerFixture.startWithSmallOutbox(1_024);
        client = recorder.attach(TickwireClient.builder(server.uri()).credentials(Credentials.token(ServerFixture.ALICE)))
                .build();
        client.connect().join();
        client.subscribe(List.of("BTCUSDT"), Channel.TRADE).join();
        server.trade("BTCUSDT", 6_700_000);
        await().atMost(WAIT).until(() -> recorder.trades.size() == 1);

        // stall the server's only event loop so the engine overflows its outbox and loses trades
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.server().fanOut().outbox(0).loop().execute(() -> {
            stalled.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 3_000; i++) {
            server.trade("BTCUSDT", 6_700_000 + i);
        }
        await().atMost(WAIT).until(() -> server.server().fanOut().overflows() > 0);
        release.countDown();
        // until the outbox has room again: each poll publishes one more trade, and one arrives
        java.util.concurrent.atomic.AtomicLong price = new java.util.concurrent.atomic.AtomicLong(6_800_000);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            server.trade("BTCUSDT", price.incrementAndGet());
            return recorder.trades.getLast().seq() > 3_001;
        });

        // every loss the server announced is followed by a jump in the numbers: the same loss
        assertThat(recorder.gaps).filteredOn(Gap::announced).isNotEmpty()
                .allSatisfy(g -> assertThat(g.channel()).isEqualTo(Channel.TRADE));
        assertThat(recorder.gaps).as("no loss reported a second time from the numbers")
                .filteredOn(g -> !g.announced()).isEmpty();
    }
}
