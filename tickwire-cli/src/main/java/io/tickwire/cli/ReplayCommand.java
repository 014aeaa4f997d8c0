package io.tickwire.cli;

import io.tickwire.cli.app.ReplayPlan;
import io.tickwire.cli.app.TickwireApp;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.Clock;
import io.tickwire.model.TimeText;
import io.tickwire.store.InstrumentHistory;
import io.tickwire.store.replay.ReplaySpeed;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tickwire replay}: a server whose feed is stored history instead of the simulator. Clients
 * connect and subscribe as usual; every quote, trade and book message carries its original time and
 * sequence number and {@code "replayed":true}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Serve stored history as a live feed, for backtests and demos.",
                "The server starts with a replay of the data directory's trades, quotes and book pictures (one a second "
                        + "at most) instead of the simulator, with their original event times and sequence numbers, "
                        + "marked \"replayed\":true. "
                        + "Nothing new is stored. The data directory must not be in use by a running server.",
                "--from and --to must lie within what the store holds (a warning says so, and names the stored range, "
                        + "when they do not)."})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "TIME", required = true,
            description = "Earliest event time replayed: ISO-8601 (2025-11-23T10:00:00Z), a date, or epoch microseconds.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", required = true, description = "End of the replay (exclusive).")
    String to;

    @Option(names = "--speed", paramLabel = "SPEED", defaultValue = "1x",
            description = "1x (as it happened), 10x, 0.5x, or max (default: ${DEFAULT-VALUE}).")
    String speed;

    @Option(names = "--symbols", split = ",", paramLabel = "SYMBOL", description = "Replay only these (default: all).")
    List<String> symbols;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration (default: $TICKWIRE_CONFIG, else built-in defaults); its accounts may connect.")
    Path config;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port for HTTP and WebSocket.")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "History data directory (overrides store.dataDir).")
    String data;

    @Option(names = "--exit", description = "Stop once everything is replayed (default: keep serving until Ctrl+C).")
    boolean exitWhenDone;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayPlan plan;
        try {
            plan = new ReplayPlan(TimeText.parseMicros(from), TimeText.parseMicros(to), ReplaySpeed.parse(speed), symbols);
        } catch (IllegalArgumentException e) {
            err.println("tickwire replay: " + e.getMessage());
            return 2;
        }
        TickwireConfig loaded = ConfigFile.load(config, data, port);
        TickwireApp app = TickwireApp.startReplay(loaded, Clock.system(), plan);
        RunUntilStopped running = RunUntilStopped.watch(app);
        out.println("Tickwire is replaying " + loaded.store().dataDir() + " from " + TimeText.formatIso(plan.from())
                + " to " + TimeText.formatIso(plan.to()) + " at " + plan.speed() + " on " + app.nativeUrl());
        out.flush();
        // A range with nothing in it replays nothing and says nothing: clients just wait. The store
        // keeps each instrument's span in memory, so the check and the hint cost no query.
        List<InstrumentHistory> stored = app.store().queries().instruments();
        boolean warned = !overlaps(plan, stored);
        if (warned) {
            warn(err, "no trades or quotes are stored between " + TimeText.formatIso(plan.from()) + " and "
                    + TimeText.formatIso(plan.to()) + ": this replay sends nothing. " + holdings(plan, stored, loaded));
        }
        if (exitWhenDone) {
            app.replay().awaitFinished(Long.MAX_VALUE, TimeUnit.DAYS);
            long published = app.replay().published();
            out.println("replay finished: " + published + " events"
                    + (app.replay().failure() == null ? "" : " (stopped: " + app.replay().failure() + ")"));
            out.flush();
            if (published == 0 && app.replay().failure() == null && !warned) {
                warn(err, "nothing was replayed between " + TimeText.formatIso(plan.from()) + " and "
                        + TimeText.formatIso(plan.to()) + ". " + holdings(plan, stored, loaded));
            }
            app.finish("replay finished"); // 1000: clients do not come back to a server that is gone for good
            return app.replay().failure() == null ? 0 : 1;
        }
        running.await();
        return 0;
    }

    private static void warn(PrintWriter err, String text) {
        err.println("tickwire replay: WARNING: " + text);
        err.flush();
    }

    /** Whether any replayed instrument has trades or quotes stored within the plan's range. */
    static boolean overlaps(ReplayPlan plan, List<InstrumentHistory> stored) {
        for (InstrumentHistory h : stored) {
            if (replayed(plan, h) && (within(plan, h.trades()) || within(plan, h.quotes()))) {
                return true;
            }
        }
        return false;
    }

    /** What the store holds of the replayed instruments, and how to pick a range from it. */
    static String holdings(ReplayPlan plan, List<InstrumentHistory> stored, TickwireConfig config) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long trades = 0;
        long quotes = 0;
        for (InstrumentHistory h : stored) {
            if (!replayed(plan, h)) {
                continue;
            }
            for (InstrumentHistory.Span span : new InstrumentHistory.Span[] {h.trades(), h.quotes()}) {
                if (span != null && span.count() > 0) {
                    first = Math.min(first, span.first());
                    last = Math.max(last, span.last());
                }
            }
            trades += h.trades() == null ? 0 : h.trades().count();
            quotes += h.quotes() == null ? 0 : h.quotes().count();
        }
        String what = plan.symbols().isEmpty() ? "" : " of " + String.join(",", plan.symbols());
        if (first == Long.MAX_VALUE) {
            return "The store (" + config.store().dataDir() + ") holds no trades or quotes" + what
                    + ": run ./tickwire demo (or serve, or import) with this data directory first.";
        }
        return "The store (" + config.store().dataDir() + ") holds " + trades + " trades and " + quotes + " quotes" + what
                + " from " + TimeText.formatIso(first) + " to " + TimeText.formatIso(last)
                + ": give --from and --to within that.";
    }

    private static boolean replayed(ReplayPlan plan, InstrumentHistory h) {
        return plan.symbols().isEmpty() || plan.symbols().stream()
                .anyMatch(s -> s.trim().equalsIgnoreCase(h.instrument().symbol()));
    }

    private static boolean within(ReplayPlan plan, InstrumentHistory.Span span) {
        return span != null && span.count() > 0 && span.first() < plan.to() && span.last() >= plan.from();
    }
}
