package io.tickwire.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tickwire.client.ConnectionEvent;
import io.tickwire.client.Credentials;
import io.tickwire.client.Gap;
import io.tickwire.client.Quote;
import io.tickwire.client.Rejection;
import io.tickwire.client.SubscriptionResult;
import io.tickwire.client.TickwireClient;
import io.tickwire.client.TickwireException;
import io.tickwire.client.Trade;
import io.tickwire.model.Channel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tickwire tail}: subscribes to symbols and prints every message as it arrives, readable or
 * as JSON lines. Data goes to standard output; connection events, gaps and errors to standard
 * error, so {@code --json} output can be piped.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a live stream of quotes and trades.",
                "Example: ./tickwire tail BTCUSDT EURUSD AAPL --channels quote,trade"})
final class TailCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SYMBOL", description = "Symbols to subscribe to, e.g. BTCUSDT EURUSD AAPL.")
    List<String> symbols;

    @Option(names = "--channels", split = ",", paramLabel = "CHANNEL", defaultValue = "quote,trade",
            description = "Channels, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> channels;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "ws://127.0.0.1:8080/v1/ws",
            description = "Server WebSocket URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (default: $TICKWIRE_TOKEN, else the demo token).")
    String token;

    @Option(names = "--json", description = "Print each message as one JSON object per line.")
    boolean json;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N messages (default: run until Ctrl+C).")
    Integer count;

    @Option(names = "--no-color", description = "Plain output even on a terminal.")
    boolean noColor;

    @Override
    public Integer call() throws Exception {
        List<Channel> wanted = new ArrayList<>();
        for (String name : channels) {
            Channel c = Channel.fromWire(name.trim().toLowerCase(java.util.Locale.ROOT));
            if (c == null) {
                spec.commandLine().getErr().println("tickwire tail: unknown channel '" + name + "' (channels: quote, trade)");
                return 2;
            }
            wanted.add(c);
        }
        String credential = token != null ? token
                : System.getenv("TICKWIRE_TOKEN") != null ? System.getenv("TICKWIRE_TOKEN") : DemoCommand.DEMO_TOKEN;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean color = !noColor && !json && System.console() != null && !"dumb".equals(System.getenv("TERM"));
        Style style = color ? Style.ANSI : Style.PLAIN;

        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger printed = new AtomicInteger();
        AtomicReference<ConnectionEvent.Closed> closed = new AtomicReference<>();
        Runnable counted = () -> {
            out.flush();
            if (count != null && printed.incrementAndGet() >= count) {
                done.countDown();
            }
        };
        TickwireClient.Builder builder = TickwireClient.builder(url)
                .credentials(Credentials.token(credential))
                .onQuote(q -> {
                    if (count == null || printed.get() < count) {
                        out.println(json ? json(q) : readable(q, style));
                        counted.run();
                    }
                })
                .onTrade(t -> {
                    if (count == null || printed.get() < count) {
                        out.println(json ? json(t) : readable(t, style));
                        counted.run();
                    }
                })
                .onGap(g -> err.println("tickwire tail: " + describe(g)))
                .onConnectionEvent(e -> {
                    switch (e) {
                        case ConnectionEvent.Disconnected d ->
                                err.println("tickwire tail: disconnected (" + d.closeCode() + " " + d.reason() + ")");
                        case ConnectionEvent.Reconnecting r ->
                                err.println("tickwire tail: reconnecting in " + r.delay().toMillis() + " ms");
                        case ConnectionEvent.Closed c -> {
                            closed.set(c);
                            done.countDown();
                        }
                        default -> {
                        }
                    }
                    err.flush();
                });
        try (TickwireClient client = builder.build()) {
            Thread hook = new Thread(done::countDown, "tail-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                client.connect().join();
                SubscriptionResult result = client.subscribe(symbols, wanted.toArray(Channel[]::new)).join();
                for (Rejection r : result.rejected()) {
                    err.println("tickwire tail: " + r.symbol() + ": " + r.message() + " (" + r.code() + ")");
                }
                err.flush();
                if (result.accepted().isEmpty()) {
                    return 2;
                }
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                err.println("tickwire tail: " + cause.getMessage());
                return cause instanceof TickwireException ? 3 : 1;
            }
            done.await();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl+C: the JVM is already exiting
            }
        }
        ConnectionEvent.Closed c = closed.get();
        if (c != null && c.closeCode() != 1000) {
            err.println("tickwire tail: the server closed the connection (" + c.closeCode() + " " + c.reason() + ")");
            return 3;
        }
        return 0;
    }

    /** How text is decorated: ANSI colours on a terminal, nothing otherwise. */
    enum Style {
        PLAIN("", "", "", ""),
        ANSI("\u001b[32m", "\u001b[31m", "\u001b[2m", "\u001b[0m");

        final String up;
        final String down;
        final String dim;
        final String reset;

        Style(String up, String down, String dim, String reset) {
            this.up = up;
            this.down = down;
            this.dim = dim;
            this.reset = reset;
        }
    }

    static String readable(Quote q, Style s) {
        return String.format("%s %s%-10s%s quote  bid %s x %s   ask %s x %s   last %s%s", time(q.eventTimeMicros()), "",
                q.symbol(), "", plain(q.bid()), plain(q.bidSize()), plain(q.ask()), plain(q.askSize()), plain(q.last()),
                q.snapshot() ? s.dim + "   (snapshot)" + s.reset : "");
    }

    static String readable(Trade t, Style s) {
        boolean buy = t.side() == io.tickwire.model.Side.BUY;
        return String.format("%s %-10s trade  %s%-4s%s %s @ %s   %s#%d%s", time(t.eventTimeMicros()), t.symbol(),
                buy ? s.up : s.down, buy ? "BUY" : "SELL", s.reset, plain(t.size()), plain(t.price()), s.dim, t.tradeId(), s.reset);
    }

    private static String time(long micros) {
        return TIME.format(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000));
    }

    private static String plain(BigDecimal d) {
        return d == null ? "-" : d.toPlainString();
    }

    static String describe(Gap g) {
        return g.restarted()
                ? "the server restarted: " + g.symbol() + " " + g.channel().wireName() + " numbering starts again at " + g.received()
                : "gap in " + g.symbol() + " " + g.channel().wireName() + ": " + g.missed() + " message(s) missed (seq "
                        + g.expected() + " to " + (g.received() - 1) + ")";
    }

    static String json(Quote q) {
        return write(g -> {
            g.writeStringField("type", "quote");
            g.writeStringField("symbol", q.symbol());
            g.writeNumberField("seq", q.seq());
            g.writeNumberField("ts", q.eventTimeMicros());
            g.writeNumberField("sent", q.sentTimeMicros());
            if (q.snapshot()) {
                g.writeBooleanField("snapshot", true);
            }
            decimal(g, "bid", q.bid());
            decimal(g, "bidSize", q.bidSize());
            decimal(g, "ask", q.ask());
            decimal(g, "askSize", q.askSize());
            decimal(g, "last", q.last());
            decimal(g, "volume", q.volume());
        });
    }

    static String json(Trade t) {
        return write(g -> {
            g.writeStringField("type", "trade");
            g.writeStringField("symbol", t.symbol());
            g.writeNumberField("seq", t.seq());
            g.writeNumberField("ts", t.eventTimeMicros());
            g.writeNumberField("sent", t.sentTimeMicros());
            decimal(g, "price", t.price());
            decimal(g, "size", t.size());
            g.writeStringField("side", t.side().wireName());
            g.writeNumberField("tradeId", t.tradeId());
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter s = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(s)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }

    private static void decimal(JsonGenerator g, String name, BigDecimal value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value.toPlainString());
        }
    }
}
