package io.tickwire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.AssetClass;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import io.tickwire.testkit.RawWebSocketClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tickwire tail} against a real server: books as ladders or JSON lines, bars, option errors. */
class TailCommandTest {

    private static final String TOKEN = "tail-token";
    private static final InstrumentCatalog CATALOG = InstrumentCatalog.of(List.of(
            new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, "Bitcoin vs Tether", "BTC", "USDT", 2, 6, 50)));
    private static final long SECOND = 1_000_000L;

    private InProcessBus bus;
    private TickwireServer server;
    private String url;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        bus = new InProcessBus(CATALOG, Clock.system(), 1, 1 << 12);
        server = startServer(0);
        url = "ws://127.0.0.1:" + server.port() + server.config().nativePath();
    }

    private TickwireServer startServer(int port) {
        TokenAuthenticator auth = TokenAuthenticator.builder()
                .add(TokenHash.of(TOKEN), new Account("tailer",
                        new Plan("all", 5, ConnectionPolicy.REJECT_NEW, 10, EnumSet.allOf(Channel.class), 50, 100)))
                .build();
        return TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(port), CATALOG, bus, auth,
                Clock.system());
    }

    @AfterEach
    void stop() {
        server.close();
        bus.close();
    }

    private void publish(MarketEvent event) {
        while (!bus.offer(event)) {
            Thread.onSpinWait();
        }
    }

    /** Four levels a side around 100, then waits until the server shows them to a subscriber. */
    private void book() {
        BookUpdate.Builder b = BookUpdate.builder(0, 0).replace();
        for (int i = 0; i < 4; i++) {
            b.set(BookSide.BID, 100_00 - i * 50, 500_000 + i * 100_000);
            b.set(BookSide.ASK, 100_50 + i * 50, 250_000 + i * 100_000);
        }
        publish(b.build());
        try (RawWebSocketClient observer = RawWebSocketClient.connect(java.net.URI.create(url),
                Map.of("Authorization", "Bearer " + TOKEN))) {
            observer.expect(ServerMessage.Welcome.class);
            observer.expect(ServerMessage.Authenticated.class);
            observer.send(CommandWriter.subscribe("o", List.of("BTCUSDT"), List.of(Channel.BOOK)));
            observer.awaitMessage(ServerMessage.Book.class, m -> m.bids().size() == 4);
        }
    }

    private int tail(String... args) {
        return tail(command -> { }, args);
    }

    private int tail(java.util.function.Consumer<TailCommand> setUp, String... args) {
        var cli = TickwireCli.commandLine();
        setUp.accept((TailCommand) cli.getSubcommands().get("tail").getCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 5];
        all[0] = "tail";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--url";
        all[args.length + 2] = url;
        all[args.length + 3] = "--token";
        all[args.length + 4] = TOKEN;
        return cli.execute(all);
    }

    @Test
    void aBookIsPrintedAsALadderAsksAboveBidsBestInTheMiddle() {
        book();

        assertThat(tail("BTCUSDT", "--channels", "book", "--depth", "3", "--count", "1")).as(err.toString()).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("BTCUSDT").contains("3 levels").doesNotContain("OUT OF SYNC");
        assertThat(lines.subList(1, 9)).containsExactly(
                "      price      size     total",
                "ask  101.50  0.450000  1.050000",
                "ask  101.00  0.350000  0.600000",
                "ask  100.50  0.250000  0.250000",
                "spread 0.50",
                "bid  100.00  0.500000  0.500000",
                "bid   99.50  0.600000  1.100000",
                "bid   99.00  0.700000  1.800000");
        assertThat(out.toString()).as("plain text when not on a terminal").doesNotContain("\u001b[");
    }

    @Test
    void jsonLinesCarryTheWholeBookWithAChecksumThatCanBeChecked() throws Exception {
        book();

        assertThat(tail("BTCUSDT", "--channels", "book", "--depth", "2", "--json", "--count", "1")).as(err.toString()).isZero();

        String text = out.toString().lines().findFirst().orElseThrow();
        JsonNode line = new ObjectMapper().readTree(text);
        assertThat(line.get("type").asText()).isEqualTo("book");
        assertThat(line.get("depth").asInt()).isEqualTo(2);
        assertThat(line.get("inSync").asBoolean()).isTrue();
        // exactly the instrument's decimals, as on the wire
        assertThat(text).contains("\"bids\":[[100.00,0.500000],[99.50,0.600000]]")
                .contains("\"asks\":[[100.50,0.250000],[101.00,0.350000]]");
        CRC32 crc = new CRC32();
        crc.update("100.50:0.250000;101.00:0.350000;100.00:0.500000;99.50:0.600000;".getBytes(StandardCharsets.US_ASCII));
        assertThat(line.get("checksum").asLong()).isEqualTo(crc.getValue());
    }

    @Test
    void barsArePrintedWithTheirPeriodAndTheClosedOnesMarked() throws Exception {
        long base = Periodicity.H1.startOf(System.currentTimeMillis() * 1_000L) + 2 * 3_600 * SECOND;
        publish(new Trade(0, 0, base + SECOND, 100_00, 1_000, Side.BUY, 0));
        publish(new Trade(0, 0, base + 61 * SECOND, 101_00, 2_000, Side.SELL, 0)); // closes the first 1m bar
        book(); // also a sync point: the trades before it are applied

        assertThat(tail("BTCUSDT", "--channels", "bar", "--periods", "1m,1h", "--json", "--count", "2")).as(err.toString())
                .isZero();
        List<String> lines = out.toString().lines().toList();
        List<JsonNode> bars = lines.stream().map(l -> {
            try {
                return new ObjectMapper().readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(bars).extracting(b -> b.get("period").asText()).containsExactlyInAnyOrder("1m", "1h");
        JsonNode hour = bars.stream().filter(b -> b.get("period").asText().equals("1h")).findFirst().orElseThrow();
        assertThat(lines).filteredOn(l -> l.contains("\"period\":\"1h\"")).singleElement().asString()
                .contains("\"open\":100.00,").contains("\"close\":101.00,").contains("\"volume\":0.003000,");
        assertThat(hour.get("snapshot").asBoolean()).isTrue();
        assertThat(hour.get("closed").asBoolean()).isFalse();

        out.getBuffer().setLength(0); // StringWriter is synchronized: the client's thread writes, this one reads
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(
                () -> tail("BTCUSDT", "--channels", "bar", "--periods", "1m", "--count", "2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("(snapshot)"));
        publish(new Trade(0, 0, base + 121 * SECOND, 102_00, 1_000, Side.BUY, 0)); // closes the second 1m bar
        assertThat(running).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(0);
        List<String> readable = out.toString().lines().toList();
        assertThat(readable).hasSize(2);
        assertThat(readable.get(0)).contains("BTCUSDT    bar    1m  last").contains("O 101.00").endsWith("(snapshot)");
        assertThat(readable.get(1)).contains("O 101.00  H 101.00  L 101.00  C 101.00  V 0.002000  1 trades")
                .endsWith("CLOSED");
    }

    @Test
    void optionsTheServerWouldRefuseAreRefusedWithAMessage() {
        assertThat(tail("BTCUSDT", "--channels", "book", "--throttle", "7")).isEqualTo(2);
        assertThat(err.toString()).contains("throttle 7 ms is not offered").contains("500");
        assertThat(tail("BTCUSDT", "--channels", "bar", "--periods", "2m")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown period '2m'");
        assertThat(tail("BTCUSDT", "--channels", "books")).isEqualTo(2);
        assertThat(err.toString()).contains("channels: quote, trade, book, bar");
        assertThat(tail("BTCUSDT", "--channels", "book", "--depth", "51")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid_depth");
    }

    @Test
    void withNothingListeningItSaysTheConnectionIsRefusedAndKeepsTryingUntilAServerStarts() {
        int port = server.port();
        server.close(); // nothing listens at the URL now
        bus.close();
        bus = new InProcessBus(CATALOG, Clock.system(), 1, 1 << 12); // a server starts its bus, once

        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(
                () -> tail("BTCUSDT", "--channels", "book", "--depth", "2", "--count", "1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("retrying in"));
        assertThat(err.toString()).contains("tickwire tail: cannot connect: connection refused: is a server running at "
                + url + "?").doesNotContain("during the handshake");
        assertThat(running).as("still trying: a server may be starting").isNotDone();

        server = startServer(port);
        book();
        assertThat(running).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(0);
        assertThat(out.toString()).contains("spread 0.50");
    }

    @Test
    void theClientLibrarysInfoLogStaysQuietUnlessVerbose() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logged.start();
        root.addAppender(logged);
        try {
            book();

            assertThat(tail("BTCUSDT", "--channels", "book", "--count", "1")).as(err.toString()).isZero();
            // a refusal: the SDK's WARN ("giving up on …") would repeat the status line too
            var refused = TickwireCli.commandLine();
            refused.setOut(new PrintWriter(out, true));
            refused.setErr(new PrintWriter(err, true));
            assertThat(refused.execute("tail", "BTCUSDT", "--count", "1", "--url", url, "--token", "wrong-token")).isNotZero();
            assertThat(err.toString()).contains("invalid API token (auth_failed)");
            synchronized (logged) { // the appender appends under its own lock, on the client's thread
                assertThat(logged.list).as("nothing from the SDK: the status lines say it")
                        .noneMatch(e -> e.getLoggerName().startsWith("io.tickwire.client"));
            }

            assertThat(tail("BTCUSDT", "--channels", "book", "--count", "1", "--verbose")).as(err.toString()).isZero();
            synchronized (logged) {
                assertThat(logged.list).anyMatch(e -> e.getLoggerName().startsWith("io.tickwire.client")
                        && e.getFormattedMessage().contains("authenticated at"));
            }
        } finally {
            root.detachAppender(logged);
        }
    }

    @Test
    void onATerminalTheLastLadderStaysOnTheScreenAfterCount() {
        book();

        assertThat(tail(command -> command.terminalCheck = () -> true, "BTCUSDT", "--channels", "book", "--depth", "2",
                "--count", "1")).as(err.toString()).isZero();

        String text = out.toString();
        String leave = "\u001b[?25h\u001b[?1049l";
        assertThat(text).as("drawn on the alternate screen").contains("\u001b[?1049h").contains(leave);
        String after = text.substring(text.lastIndexOf(leave) + leave.length());
        assertThat(after).as("printed after leaving the alternate screen").contains("BTCUSDT").contains("100.50")
                .contains("spread 0.50").contains("100.00");
    }
}
