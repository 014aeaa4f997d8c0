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
import io.tickwire.testkit.Ports;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
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
            String unreachable = "ws://127.0.0.1:" + Ports.free() + "/v1/publish";
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> publish(lines,
                    "--url", unreachable, "--url", publishUrl(standby),
                    "--url", publishUrl(first), "--url", publishUrl(second)));
            write(feed, 1, 5);
            assertThat(tradeIds(onFirst, 5)).as("the first node that takes it").containsExactly(1L, 2L, 3L, 4L, 5L);
            first.close(); // going away: 1001
            await().atMost(Duration.ofSeconds(20)).until(() -> err.toString().contains("closed (1001"));
            write(feed, 6, 10);
            assertThat(tradeIds(onSecond, 5)).as("the lines after it, at the next node")
                    .containsExactly(6L, 7L, 8L, 9L, 10L);
            feed.close();
            assertThat(exit.get()).as("every line sent, but a node was lost under the feed")
                    .isEqualTo(PublishCommand.LOST_CONNECTION);
            assertThat(err.toString()).contains("cannot connect (connection refused").contains(": not taken (not_ingest_node: a standby")
                    .contains("10 line(s) sent, 0 refused by the server; 1 connection(s) lost under the feed");
        }
    }

    @Test
    void aNodeThatFallsSilentIsLeftAndTheLinesItDidNotTakeGoToTheNext() throws Exception {
        TickwireServer first = server();
        TickwireServer second = server();
        try (FreezableProxy cut = FreezableProxy.to(first.port());
             RawWebSocketClient onFirst = subscribed(first); RawWebSocketClient onSecond = subscribed(second);
             PipedOutputStream feed = new PipedOutputStream()) {
            PipedInputStream lines = new PipedInputStream(feed);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> publish(lines, "--silence", "2s",
                    "--url", "ws://127.0.0.1:" + cut.port() + "/v1/publish", "--url", publishUrl(second)));
            write(feed, 1, 3);
            assertThat(tradeIds(onFirst, 3)).containsExactly(1L, 2L, 3L);
            await().atMost(Duration.ofSeconds(20)).until(() -> cut.passedBack().contains("\"frames\":3}")); // told
            cut.freezeTowardsTheServer(); // cut off without a reset: what is written is never read, no pong comes
            write(feed, 4, 6); // written to the cut-off node, never taken
            assertThat(tradeIds(onSecond, 3)).as("sent again to the next node, and only those")
                    .containsExactly(4L, 5L, 6L);
            feed.close();
            assertThat(exit.get()).isEqualTo(PublishCommand.LOST_CONNECTION);
            assertThat(err.toString()).contains("no answer to pings")
                    .contains("3 line(s) it had not said it took go to the next node")
                    .contains("6 line(s) sent, 0 refused by the server; 1 connection(s) lost under the feed, 3 line(s) sent again");
            assertThat(onFirst.unread()).as("the first node took nothing more").noneMatch(m -> m.contains("\"trade\""));
        }
    }

    @Test
    void aNodeThatIsNoLongerSureOfItsOfficeClosesThePublisherAndItsLinesGoToTheNextNotAsRefused() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean sure = new java.util.concurrent.atomic.AtomicBoolean(true);
        TickwireServer first = server();
        first.takePublishersOnlyWhile(sure::get, "not sure it is still the ingest node");
        TickwireServer second = server();
        try (RawWebSocketClient onFirst = subscribed(first); RawWebSocketClient onSecond = subscribed(second);
             PipedOutputStream feed = new PipedOutputStream()) {
            PipedInputStream lines = new PipedInputStream(feed);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> publish(lines,
                    "--url", publishUrl(first), "--url", publishUrl(second)));
            write(feed, 1, 3);
            assertThat(tradeIds(onFirst, 3)).containsExactly(1L, 2L, 3L);
            sure.set(false); // its election stalled: it takes no more frames, and says so
            // 4-6 at once: publish may write 5 after the node closed on 4. The node reads and drops it
            // until publish answers the close; had it cut the socket, the JDK client would drop the
            // reason and any count it had not read yet ("Broken pipe" shown instead)
            write(feed, 4, 6);
            // a node unsure before it sent the count of 2-3 never sends it (what it took may be fenced):
            // those lines then come again, as ones it had not counted. Never a counted one, never out of order
            List<Long> onNext = tradeIdsThrough(onSecond, 6);
            long resentFrom = onNext.get(0);
            assertThat(resentFrom).as("line 4 was never counted").isBetween(1L, 4L);
            assertThat(onNext).containsExactlyElementsOf(LongStream.rangeClosed(resentFrom, 6).boxed().toList());
            feed.close();
            assertThat(exit.get()).as("nothing refused: a node lost under the feed").isEqualTo(PublishCommand.LOST_CONNECTION);
            assertThat(err.toString()).contains("not_ingest_node: not sure").contains("6 line(s) sent, 0 refused");
            Matcher untaken = Pattern.compile("(\\d+) line\\(s\\) it had not said it took").matcher(err.toString());
            assertThat(untaken.find()).as(err.toString()).isTrue();
            long lastWrittenToFirst = resentFrom + Long.parseLong(untaken.group(1)) - 1;
            assertThat(lastWrittenToFirst).as("the uncounted lines resent are the last ones written: %s", err).isBetween(4L, 6L);
        }
    }

    @Test
    void aLineOverTheServersFrameLimitIsRefusedUnsentAndTheOthersGoOn() throws Exception {
        TickwireServer server = server(1_024);
        try (RawWebSocketClient subscriber = subscribed(server)) {
            String big = "{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"100.5\",\"size\":\"1\",\"side\":\"buy\","
                    + "\"padding\":\"" + "x".repeat(2_000) + "\"}";
            Path events = Files.writeString(dir.resolve("big.jsonl"), trade(1) + "\n" + big + "\n" + trade(2) + "\n");
            assertThat(publish(System.in, events.toString(), "--url", publishUrl(server))).isEqualTo(1);
            assertThat(tradeIds(subscriber, 2)).containsExactly(1L, 2L);
            assertThat(err.toString()).contains("line 2: 2").contains("over the server's limit of 1024")
                    .contains("2 line(s) sent, 1 refused by the server").doesNotContain("lost");
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
                "--url", "ws://127.0.0.1:" + Ports.free() + "/v1/publish", "--give-up-after", "1s");
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

    /** The trade ids a subscriber receives, up to and with {@code last}. */
    private static List<Long> tradeIdsThrough(RawWebSocketClient subscriber, long last) {
        List<Long> ids = new ArrayList<>();
        while (ids.isEmpty() || ids.get(ids.size() - 1) != last) {
            ids.add(subscriber.awaitMessage(ServerMessage.Trade.class, t -> true).tradeId());
        }
        return ids;
    }

    private TickwireServer server() {
        return server(65_536);
    }

    private TickwireServer server(int maxFrameBytes) {
        InProcessBus bus = new InProcessBus(CATALOG, Clock.system(), 1, 1 << 12);
        started.add(bus);
        Account feeder = new Account("feeder",
                new Plan("all", 5, ConnectionPolicy.REJECT_NEW, 10, EnumSet.allOf(Channel.class), 50, 100));
        TickwireServer server = TickwireServer.start(ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                        .maxFrameBytes(maxFrameBytes).publishers(List.of("feeder")).build(), CATALOG, bus,
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

    /**
     * A TCP proxy on loopback that can be cut without a reset, as a network partition or a paused
     * node looks to a client: after {@link #freezeTowardsTheServer()} nothing the client sends is
     * passed on, so nothing it writes is taken and none of its pings is answered.
     */
    static final class FreezableProxy implements AutoCloseable {
        private final ServerSocket listener;
        private final List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.CountDownLatch frozen = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean isFrozen;
        private final StringBuffer passedBack = new StringBuffer(); // server to client, as bytes

        private FreezableProxy(int target) throws IOException {
            listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        java.net.Socket client = listener.accept();
                        java.net.Socket server = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), target);
                        sockets.add(client);
                        sockets.add(server);
                        Thread.ofVirtual().start(() -> pump(client, server, true));
                        Thread.ofVirtual().start(() -> pump(server, client, false));
                    }
                } catch (IOException closed) {
                    // the proxy is closed
                }
            });
        }

        static FreezableProxy to(int target) throws IOException {
            return new FreezableProxy(target);
        }

        int port() {
            return listener.getLocalPort();
        }

        /** From now on nothing the client sends reaches the server: its frames, its pings. */
        void freezeTowardsTheServer() {
            isFrozen = true;
        }

        /** What the server sent the client so far (its frames are not masked: readable). */
        String passedBack() {
            return passedBack.toString();
        }

        private void pump(java.net.Socket from, java.net.Socket to, boolean towardsTheServer) {
            byte[] buffer = new byte[8_192];
            try {
                int n;
                while ((n = from.getInputStream().read(buffer)) >= 0) {
                    if (towardsTheServer && isFrozen) {
                        frozen.await(); // held for good: never passed on, never reset
                    }
                    if (!towardsTheServer) {
                        passedBack.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                    to.getOutputStream().write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            frozen.countDown();
            listener.close();
            for (java.net.Socket socket : sockets) {
                socket.close();
            }
        }
    }

}
