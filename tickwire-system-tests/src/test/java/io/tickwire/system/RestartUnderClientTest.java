package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.client.ConnectionEvent;
import io.tickwire.client.Credentials;
import io.tickwire.client.Gap;
import io.tickwire.client.TickwireClient;
import io.tickwire.client.Trade;
import io.tickwire.model.Channel;
import io.tickwire.testkit.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planned restart under a running SDK client: {@code tickwire serve} gets SIGTERM (it drains:
 * the client is asked to reconnect), a new process starts on the same port and data, and the
 * client resumes from the store. Its trades have no gap and no duplicate across the restart.
 */
class RestartUnderClientTest {

    @TempDir
    Path dir;


    @Test
    void aRestartedServerResumesTheClientWithoutAGapOrADuplicate() throws Exception {
        int port = Ports.free();
        Path config = StoredServer.config(dir, "restart", 3_000, "");
        Files.writeString(config, Files.readString(config)
                .replace("server: {host: 127.0.0.1, port: 0}", "server: {host: 127.0.0.1, port: " + port
                        + ", drainPeriod: 2s}"));
        Path data = dir.resolve("data");
        List<Trade> trades = new CopyOnWriteArrayList<>();
        List<Gap> gaps = new CopyOnWriteArrayList<>();
        List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        Distribution first = Distribution.start("serve", "--config", config.toString(), "--data", data.toString());
        Distribution second = null;
        try (TickwireClient client = TickwireClient.builder(URI.create("ws://127.0.0.1:" + port + "/v1/ws"))
                .credentials(Credentials.token(StoredServer.TOKEN))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .onTrade(t -> {
                    if (t.symbol().equals("BTCUSDT")) {
                        trades.add(t);
                    }
                })
                .onGap(gaps::add)
                .onConnectionEvent(events::add)
                .build()) {
            StoredServer.awaitPort(first);
            client.connect().join();
            client.subscribe(List.of("BTCUSDT"), Channel.TRADE).join();
            await().atMost(Duration.ofSeconds(60)).until(() -> trades.size() >= 20);

            first.terminate(); // SIGTERM: drain, then a clean stop that commits everything
            assertThat(first.awaitExit(Duration.ofSeconds(60))).isIn(0, 143);
            assertThat(String.join("\n", first.lines())).contains("draining 1 connection(s)");
            int beforeRestart = trades.size();

            second = Distribution.start("serve", "--config", config.toString(), "--data", data.toString());
            StoredServer.awaitPort(second);
            await().atMost(Duration.ofSeconds(60)).until(() -> trades.size() >= beforeRestart + 20);
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
        List<Long> seqs = new ArrayList<>();
        trades.forEach(t -> seqs.add(t.seq()));
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("trade %d of %s", i, seqs).isEqualTo(seqs.get(i - 1) + 1);
        }
        assertThat(gaps).isEmpty();
        assertThat(events).filteredOn(ConnectionEvent.Resumed.class::isInstance)
                .extracting(e -> ((ConnectionEvent.Resumed) e).mode()).containsExactly("exact");
    }
}
