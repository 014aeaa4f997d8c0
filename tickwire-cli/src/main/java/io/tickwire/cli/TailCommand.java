package io.tickwire.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.tickwire.client.BookView;
import io.tickwire.client.ConnectionEvent;
import io.tickwire.client.Credentials;
import io.tickwire.client.Rejection;
import io.tickwire.client.ServerErrorException;
import io.tickwire.client.SubscribeOptions;
import io.tickwire.client.SubscriptionResult;
import io.tickwire.client.TickwireClient;
import io.tickwire.client.TickwireException;
import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tickwire tail}: subscribes to symbols and prints what arrives — quotes, trades, order
 * books and bars — readable, or as JSON lines. Data goes to standard output; connection events,
 * gaps, resyncs and errors to standard error, so {@code --json} output can be piped. On a terminal,
 * books are drawn as a live ladder updated in place ({@link TailScreen}); elsewhere each change of a
 * book is printed as a whole ladder (or, with {@code --json}, one object with its checksum).
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a live stream of quotes, trades, order books and bars.",
                "Examples:",
                "  ./tickwire tail BTCUSDT EURUSD AAPL --channels quote,trade",
                "  ./tickwire tail BTCUSDT --channels book --depth 10",
                "  ./tickwire tail BTCUSDT --channels bar --periods 1m,5m --price-types last"})
final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SYMBOL", description = "Symbols to subscribe to, e.g. BTCUSDT EURUSD AAPL.")
    List<String> symbols;

    @Option(names = "--channels", split = ",", paramLabel = "CHANNEL", defaultValue = "quote,trade",
            description = "Channels, comma-separated: quote, trade, book, bar (default: ${DEFAULT-VALUE}).")
    List<String> channels;

    @Option(names = "--depth", paramLabel = "LEVELS", defaultValue = "10",
            description = "Book levels per side (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--throttle", paramLabel = "MS", defaultValue = "0",
            description = "At most one quote, book or bar message per MS milliseconds, conflated: 0 (every update), "
                    + "50, 100, 250, 500, 1000, 2000, 4000, ... 64000 (default: ${DEFAULT-VALUE}).")
    long throttleMs;

    @Option(names = "--periods", split = ",", paramLabel = "PERIOD", defaultValue = "1m",
            description = "Bar periods, comma-separated: 1m 5m 15m 30m 1h 4h 1d 1w 1M (default: ${DEFAULT-VALUE}).")
    List<String> periods;

    @Option(names = "--price-types", split = ",", paramLabel = "TYPE", defaultValue = "last",
            description = "Prices bars follow, comma-separated: bid, ask, last (default: ${DEFAULT-VALUE}).")
    List<String> priceTypes;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "ws://127.0.0.1:8080/v1/ws",
            description = "Server WebSocket URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (default: $TICKWIRE_TOKEN, else the demo token).")
    String token;

    @Option(names = "--json", description = "Print each message as one JSON object per line (books whole, with their checksum).")
    boolean json;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N messages (default: run until Ctrl+C).")
    Integer count;

    @Option(names = "--no-color", description = "Plain output even on a terminal: no colours, books printed again on each change.")
    boolean noColor;

    @Option(names = {"-v", "--verbose"},
            description = "Also print the client library's log of connecting, authenticating and restoring subscriptions.")
    boolean verbose;

    /** Whether output goes to an interactive terminal; tests replace it to draw the live screen. */
    BooleanSupplier terminalCheck = TailCommand::interactiveTerminal;

    /** How text is decorated: ANSI colours on a terminal, nothing otherwise. */
    enum Style {
        PLAIN("", "", "", "", "", ""),
        ANSI("\u001b[32m", "\u001b[31m", "\u001b[2m", "\u001b[1m", "\u001b[33m", "\u001b[0m");

        final String up;
        final String down;
        final String dim;
        final String bold;
        final String warn;
        final String reset;

        Style(String up, String down, String dim, String bold, String warn, String reset) {
            this.up = up;
            this.down = down;
            this.dim = dim;
            this.bold = bold;
            this.warn = warn;
            this.reset = reset;
        }
    }

    @Override
    public Integer call() throws Exception {
        // The SDK logs each connection and authentication at INFO, and disconnections, refusals and
        // gaps at WARN, for applications that keep a log; here they would only repeat on stderr what
        // the status lines already say (every connection event and gap has one)
        Logger sdkLog = LoggerFactory.getLogger("io.tickwire.client") instanceof Logger l ? l : null;
        Level configured = sdkLog == null ? null : sdkLog.getLevel();
        if (sdkLog != null && !verbose) {
            sdkLog.setLevel(Level.ERROR);
        }
        try {
            return tail();
        } finally {
            if (sdkLog != null) {
                sdkLog.setLevel(configured);
            }
        }
    }

    private int tail() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Channel> wanted = new ArrayList<>();
        for (String name : channels) {
            Channel c = Channel.fromWire(name.trim().toLowerCase(Locale.ROOT));
            if (c == null) {
                err.println("tickwire tail: unknown channel '" + name + "' (channels: quote, trade, book, bar)");
                return 2;
            }
            wanted.add(c);
        }
        SubscribeOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            err.println("tickwire tail: " + e.getMessage());
            return 2;
        }
        String credential = DemoCommand.tokenOrDefault(token);
        boolean terminal = !noColor && !json && terminalCheck.getAsBoolean();
        Style style = terminal ? Style.ANSI : Style.PLAIN;
        Set<String> books = new LinkedHashSet<>();
        if (wanted.contains(Channel.BOOK)) {
            symbols.forEach(s -> books.add(s.trim().toUpperCase(Locale.ROOT)));
        }

        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger printed = new AtomicInteger();
        AtomicReference<ConnectionEvent.Closed> closed = new AtomicReference<>();
        AtomicReference<TailScreen> screen = new AtomicReference<>();
        AtomicBoolean connected = new AtomicBoolean();
        // every message goes through here, on the client's thread: to the screen, or printed
        Consumer<Runnable> emit = print -> {
            if (count == null || printed.get() < count) {
                print.run();
                out.flush();
                if (count != null && printed.incrementAndGet() >= count) {
                    done.countDown();
                }
            }
        };
        Consumer<String> line = text -> {
            TailScreen s = screen.get();
            if (s != null) {
                s.line(text);
            } else {
                out.println(text);
            }
        };
        Consumer<String> status = text -> {
            TailScreen s = screen.get();
            if (s != null) {
                s.status(text);
            } else {
                err.println("tickwire tail: " + text);
                err.flush();
            }
        };
        TickwireClient.Builder builder = TickwireClient.builder(url)
                .credentials(Credentials.token(credential))
                .onQuote(q -> emit.accept(() -> line.accept(json ? TailText.json(q) : TailText.readable(q, style))))
                .onTrade(t -> emit.accept(() -> line.accept(json ? TailText.json(t) : TailText.readable(t, style))))
                .onBar(b -> emit.accept(() -> line.accept(json ? TailText.json(b) : TailText.readable(b, style))))
                .onBook(v -> emit.accept(() -> book(v, screen.get(), out, style)))
                .onBookResync(r -> status.accept(TailText.describe(r)))
                .onGap(g -> status.accept(TailText.describe(g)))
                .onConnectionEvent(e -> {
                    switch (e) {
                        // a failed attempt is not a disconnection: say why it failed (the SDK names a
                        // refused connect and the URL), not a bare 1006
                        case ConnectionEvent.Disconnected d -> status.accept(connected.getAndSet(false)
                                ? "disconnected (" + d.closeCode() + " " + d.reason() + ")"
                                : "cannot connect: " + d.reason());
                        case ConnectionEvent.Reconnecting r -> status.accept("retrying in " + r.delay().toMillis() + " ms"
                                + " (Ctrl+C to stop)");
                        case ConnectionEvent.Connected c -> {
                            connected.set(true);
                            if (screen.get() != null) {
                                status.accept("connected to " + url);
                            }
                        }
                        case ConnectionEvent.Closed c -> {
                            closed.set(c);
                            done.countDown();
                        }
                        default -> {
                        }
                    }
                });
        try (TickwireClient client = builder.build()) {
            Thread hook = new Thread(() -> {
                done.countDown();
                TailScreen s = screen.get();
                if (s != null) {
                    s.close(); // give the terminal back even if the JVM exits before the main thread gets to it
                }
            }, "tail-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                client.connect().join();
                if (terminal && !books.isEmpty()) {
                    screen.set(new TailScreen(out, client, List.copyOf(books), style,
                            "tickwire tail  " + url + "  (Ctrl+C to stop)"));
                }
                SubscriptionResult result = client.subscribe(symbols, options, wanted.toArray(Channel[]::new)).join();
                for (Rejection r : result.rejected()) {
                    status.accept(r.symbol() + ": " + r.message() + " (" + r.code() + ")");
                }
                if (result.accepted().isEmpty()) {
                    closeScreen(screen);
                    return 2;
                }
            } catch (CompletionException e) {
                closeScreen(screen);
                Throwable cause = e.getCause() == null ? e : e.getCause();
                // the server's stable code too, for scripts: "invalid API token (auth_failed)"
                err.println("tickwire tail: " + cause.getMessage()
                        + (cause instanceof ServerErrorException refused ? " (" + refused.code() + ")" : ""));
                return cause instanceof TickwireException ? 3 : 1;
            }
            done.await();
            TailScreen s = screen.get();
            if (s != null) {
                // the alternate screen vanishes on exit: when --count ended the run, leave the last
                // ladders on the normal screen, where the user can still read them
                s.close(count != null && printed.get() >= count);
            }
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

    /** A book changed: redraw it in place, or print it whole. */
    private void book(BookView v, TailScreen screen, PrintWriter out, Style style) {
        if (screen != null) {
            screen.changed();
        } else if (json) {
            out.println(TailText.json(v));
        } else {
            Ladder.lines(v, style).forEach(out::println);
            out.println();
        }
    }

    private static void closeScreen(AtomicReference<TailScreen> screen) {
        TailScreen s = screen.get();
        if (s != null) {
            s.close();
        }
    }

    private SubscribeOptions options() {
        SubscribeOptions o = SubscribeOptions.defaults().withDepth(depth).withThrottle(Duration.ofMillis(throttleMs));
        List<Periodicity> ps = new ArrayList<>();
        for (String p : periods) {
            Periodicity period = Periodicity.fromWire(p.trim());
            if (period == null) {
                throw new IllegalArgumentException("unknown period '" + p + "' (periods: 1m 5m 15m 30m 1h 4h 1d 1w 1M)");
            }
            ps.add(period);
        }
        List<PriceType> ts = new ArrayList<>();
        for (String t : priceTypes) {
            PriceType type = PriceType.fromWire(t.trim());
            if (type == null) {
                throw new IllegalArgumentException("unknown price type '" + t + "' (price types: bid, ask, last)");
            }
            ts.add(type);
        }
        return o.withPeriods(ps.toArray(Periodicity[]::new)).withPriceTypes(ts.toArray(PriceType[]::new));
    }

    /**
     * Whether standard output is an interactive terminal that understands ANSI codes. Since Java 22
     * {@link System#console()} is not null when output is redirected, so its {@code isTerminal()}
     * (looked up reflectively: the code is compiled for Java 21) must say so too.
     */
    static boolean interactiveTerminal() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException java21) {
            return true; // before Java 22 a console means a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
