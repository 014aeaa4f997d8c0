package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.client.ConnectionEvent;
import io.tickwire.client.Credentials;
import io.tickwire.client.TickwireClient;
import io.tickwire.model.Channel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link #CLIENTS} SDK clients (10,000 with {@code -Dtickwire.storm.clients=10000}) of a real {@code tickwire serve} process are all told to reconnect at once
 * ({@code POST /admin/handover?spreadMs=0}): admission control turns the excess away with retry
 * hints, and every client comes back, resumed exactly, with no gap and no duplicate in its trades.
 * Bounded: at most the clients asked for, loopback only, a few minutes at most.
 */
class ReconnectStormTest {

    /**
     * 10,000 by the measure; the suite runs 2,000 (a shared 2-core CI machine), and
     * {@code -Dtickwire.storm.clients=10000} runs the full storm (see docs/benchmarks.md).
     */
    private static final int CLIENTS = Integer.getInteger("tickwire.storm.clients", 2_000);
    /** Connections admitted per second: low enough that the storm is turned away in part. */
    private static final int ADMISSION_RATE = Integer.getInteger("tickwire.storm.admissionRate", 200);
    private static final String ADMIN = "storm-admin-token";

    @TempDir
    Path dir;

    /** One client's view of its BTCUSDT trades and connection. Written on the client's I/O thread. */
    private static final class Watch {
        volatile long lastSeq;
        volatile int trades;
        volatile int tradesAfterResume;
        volatile int broken; // a trade that did not follow the previous one by exactly 1
        volatile int connected;
        volatile int turnedAway; // closed with 1013 by admission control
        volatile String resumed;

        void trade(long seq) {
            if (lastSeq != 0 && seq != lastSeq + 1) {
                broken++;
            }
            lastSeq = seq;
            trades++;
            if (resumed != null) {
                tradesAfterResume++;
            }
        }

        void event(ConnectionEvent e) {
            switch (e) {
                case ConnectionEvent.Connected c -> connected++;
                case ConnectionEvent.Disconnected d when d.closeCode() == 1013 -> turnedAway++;
                case ConnectionEvent.Resumed r -> resumed = r.mode();
                default -> { }
            }
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void tenThousandClientsToldToReconnectAtOnceAllResumeExactly() throws Exception {
        Path config = StoredServer.config(dir, "storm", 200, "");
        Files.writeString(config, Files.readString(config)
                .replace("server: {host: 127.0.0.1, port: 0}", "server: {host: 127.0.0.1, port: 0, admissionRate: " + ADMISSION_RATE
                        + ", admissionBurst: 100, adminTokenHash: \"" + TokenHash.of(ADMIN) + "\"}")
                .replace("store: {commitInterval: 200ms}", "store: {enabled: false}")
                .replace("maxConnections: 10,", "maxConnections: 20000,"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        List<TickwireClient> clients = new ArrayList<>();
        List<Watch> watches = new ArrayList<>();
        try (Distribution server = Distribution.start("serve", "--config", config.toString())) {
            int port = StoredServer.awaitPort(server);
            URI uri = URI.create("ws://127.0.0.1:" + port + "/v1/ws");
            for (int i = 0; i < CLIENTS; i++) {
                Watch w = new Watch();
                watches.add(w);
                clients.add(TickwireClient.builder(uri).credentials(Credentials.token(StoredServer.TOKEN))
                        .eventLoopGroup(group)
                        .connectTimeout(Duration.ofSeconds(30))
                        .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                        .onTrade(t -> w.trade(t.seq()))
                        .onConnectionEvent(w::event)
                        .build());
            }
            // the clients arrive in waves of 500 (the storm is the reconnect, not this)
            for (int from = 0; from < CLIENTS; from += 500) {
                List<CompletableFuture<?>> wave = new ArrayList<>();
                for (TickwireClient c : clients.subList(from, Math.min(CLIENTS, from + 500))) {
                    wave.add(c.connect().thenCompose(s -> c.subscribe(List.of("BTCUSDT"), Channel.TRADE)));
                }
                CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> watches.stream().allMatch(w -> w.trades > 0));

            HttpResponse<String> asked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/admin/handover?spreadMs=0"))
                    .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                    .until(() -> watches.stream().allMatch(w -> w.connected >= 2 && w.tradesAfterResume > 0));
            AtomicInteger turnedAway = new AtomicInteger();
            watches.forEach(w -> turnedAway.addAndGet(w.turnedAway));
            assertThat(turnedAway.get()).as("clients turned away by admission control").isPositive();
            assertThat(watches).allSatisfy(w -> {
                assertThat(w.resumed).isEqualTo("exact");
                assertThat(w.broken).isZero();
            });
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS); // drops every link at once
            clients.parallelStream().forEach(TickwireClient::close);
        }
    }
}
