package io.tickwire.cli;

import io.tickwire.cli.app.ReplayPlan;
import io.tickwire.cli.app.TickwireApp;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.Clock;
import io.tickwire.model.TimeText;
import io.tickwire.store.replay.ReplaySpeed;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tickwire replay}: a server whose feed is stored history instead of the simulator. Clients
 * connect and subscribe as usual; every quote and trade carries its original time and sequence
 * number and {@code "replayed":true}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Serve stored history as a live feed (for backtests and demos): the server starts with a",
                "replay of the data directory's trades and quotes instead of the simulator, with their original",
                "event times and sequence numbers, marked \"replayed\":true. Nothing new is stored.",
                "The data directory must not be in use by a running server."})
final class ReplayCommand implements Callable<Integer> {

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
        ReplayPlan plan;
        try {
            plan = new ReplayPlan(TimeText.parseMicros(from), TimeText.parseMicros(to), ReplaySpeed.parse(speed), symbols);
        } catch (IllegalArgumentException e) {
            System.err.println("tickwire replay: " + e.getMessage());
            return 2;
        }
        TickwireConfig loaded = ConfigFile.load(config, data, port);
        TickwireApp app = TickwireApp.startReplay(loaded, Clock.system(), plan);
        RunUntilStopped running = RunUntilStopped.watch(app);
        System.out.println("Tickwire is replaying " + loaded.store().dataDir() + " from " + TimeText.formatIso(plan.from())
                + " to " + TimeText.formatIso(plan.to()) + " at " + plan.speed() + " on " + app.nativeUrl());
        if (exitWhenDone) {
            app.replay().awaitFinished(Long.MAX_VALUE, TimeUnit.DAYS);
            System.out.println("replay finished: " + app.replay().published() + " events"
                    + (app.replay().failure() == null ? "" : " (stopped: " + app.replay().failure() + ")"));
            app.close();
            return app.replay().failure() == null ? 0 : 1;
        }
        running.await();
        return 0;
    }
}
