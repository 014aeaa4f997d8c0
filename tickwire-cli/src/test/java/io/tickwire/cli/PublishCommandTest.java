package io.tickwire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import io.tickwire.testkit.RawWebSocketClient;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickwire publish} against real servers: lines in order, refused lines reported, and the
 * failover over several {@code --url}s (a node that cannot be reached, a standby, a node going away).
 */
class PublishCommandTest {

    private static final String TOKEN = "feed-token";
    private static final InstrumentCatalog CATALOG = InstrumentCatalog.of(List.of(
            new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, "Bitcoin vs Tether", "BTC", "USDT", 2, 6, 50)));

    private final List<AutoCloseable> started = new ArrayList<>();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable part : started.reversed()) {
            part.close();
        }
    }

    @Test
    void sendsEveryLineInOrderSkipsCommentsAndReportsTheLinesTheServerRefused() throws Exception {
        TickwireServer server = server();
        try (RawWebSocketClient subscriber = subscribed(server)) {
            Path events = Files.writeString(dir.resolve("events.jsonl"), """
                    # three trades and a line the server refuses
                    %s

                    {"op":"trade","symbol":"NOPE","price":"1","size":"1","side":"buy"}
                    [%s,%s]
                    """.formatted(trade(1), trade(2), trade(3)));
            int exit = publish(System.in, events.toString(), "--url", publishUrl(server));
            assertThat(exit).as("a refused line fails the command").isEqualTo(1);
            assertThat(tradeIds(subscriber, 3)).containsExactly(1L, 2L, 3L);
            assertThat(err.toString()).contains("unknown_symbol").contains("3 line(s) sent, 1 refused by the server");
        }
    }

    @Test
    void leavesNodesThatDoNotTakeThePublisherAndMovesOnWhenItsNodeGoesAway() throws Exception {
        TickwireServer standby = server();
        standby.turnAwayPublishers("a standby: publish to the elected candidate", CloseCode.TRY_AGAIN_LATER);
        TickwireServer first = server();
        TickwireServer second = server();
        try (RawWebSocketClient onFirst = subscribed(first); RawWebSocketClient onSecond = subscribed(second);
             PipedOutputStream feed = new PipedOutputStream()) {
            PipedInputStream lines = new PipedInputStream(feed);
            String unreachable = "ws://127.0.0.1:" + closedPort() + "/v1/publish";
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> publish(lines,
                    "--url", unreachable, "--url", publishUrl(standby),
                    "--url", publishUrl(first), "--url", publishUrl(second)));
            write(feed, 1, 5);
            assertThat(tradeIds(onFirst, 5)).as("the first node that takes it").containsExactly(1L, 2L, 3L, 4L, 5L);
            first.close(); // going away: 1001
            await().atMost(Duration.ofSeconds(20)).until(() -> err.toString().contains("closed by the server (1001"));
            write(feed, 6, 10);
            assertThat(tradeIds(onSecond, 5)).as("the lines after it, at the next node")
                    .containsExactly(6L, 7L, 8L, 9L, 10L);
            feed.close();
            assertThat(exit.get()).isZero();
            assertThat(err.toString()).contains("cannot connect (connection refused").contains(": not taken (not_ingest_node: a standby")
                    .contains("10 line(s) sent, 0 refused");
        }
    }

    @Test
    void aRefusalEveryNodeWouldGiveEndsItAtOnce() throws Exception {
        TickwireServer server = server();
        int exit = publishWith("wrong-token", new java.io.ByteArrayInputStream(trade(1).getBytes(StandardCharsets.UTF_8)),
                "--url", publishUrl(server), "--url", publishUrl(server()));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("refused (auth_failed").contains("close 4002");
    }

    @Test
    void givesUpWhenNoNodeTakesThePublisherInTime() throws Exception {
        int exit = publish(new java.io.ByteArrayInputStream(trade(1).getBytes(StandardCharsets.UTF_8)),
                "--url", "ws://127.0.0.1:" + closedPort() + "/v1/publish", "--give-up-after", "1s");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("no node took the publisher within 1s; 0 line(s) sent");
        assertThat(err.toString().split("cannot connect", -1)).as("tried again and again, said once").hasSize(2);
    }

    private int publish(java.io.InputStream in, String... args) {
        return publishWith(TOKEN, in, args);
    }

    private int publishWith(String token, java.io.InputStream in, String... args) {
        var cli = TickwireCli.commandLine();
        ((PublishCommand) cli.getSubcommands().get("publish").getCommand()).in = in;
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("publish", "--token", token));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    private static void write(PipedOutputStream feed, int from, int to) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int id = from; id <= to; id++) {
            lines.append(trade(id)).append('\n');
        }
        feed.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        feed.flush();
    }

    /** A trade line whose trade id says which line it was. */
    private static String trade(long id) {
        return "{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"100.5\",\"size\":\"1\",\"side\":\"buy\",\"tradeId\":"
                + id + "}";
    }

    private static List<Long> tradeIds(RawWebSocketClient subscriber, int n) {
        List<Long> ids = new ArrayList<>();
        while (ids.size() < n) {
            ids.add(subscriber.awaitMessage(ServerMessage.Trade.class, t -> true).tradeId());
        }
        return ids;
    }

    private TickwireServer server() {
        InProcessBus bus = new InProcessBus(CATALOG, Clock.system(), 1, 1 << 12);
        started.add(bus);
        Account feeder = new Account("feeder",
                new Plan("all", 5, ConnectionPolicy.REJECT_NEW, 10, EnumSet.allOf(Channel.class), 50, 100));
        TickwireServer server = TickwireServer.start(ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                        .publishers(List.of("feeder")).build(), CATALOG, bus,
                TokenAuthenticator.builder().add(TokenHash.of(TOKEN), feeder).build(), Clock.system());
        started.add(server);
        return server;
    }

    private static RawWebSocketClient subscribed(TickwireServer server) {
        RawWebSocketClient client = RawWebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"), Map.of("Authorization", "Bearer " + TOKEN));
        client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"trade\"]}");
        client.awaitMessage(ServerMessage.Subscribed.class, s -> true);
        return client;
    }

    private static String publishUrl(TickwireServer server) {
        return "ws://127.0.0.1:" + server.port() + "/v1/publish";
    }

    /** A loopback port nothing listens on (bound, then freed). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
