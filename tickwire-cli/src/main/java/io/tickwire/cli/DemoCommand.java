package io.tickwire.cli;

import io.tickwire.cli.app.TickwireApp;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickwire demo}: the server with the simulator and the demo account, on 127.0.0.1. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the server with the simulator and a demo account, on 127.0.0.1.",
                "Uses the demo configuration (config/demo.yaml): the simulator trades at any hour, and the demo "
                        + "account's token is printed. Then, in another terminal:",
                "  ./tickwire tail BTCUSDT EURUSD AAPL"})
final class DemoCommand implements Callable<Integer> {

    /** The demo account's token; config/demo.yaml holds only its hash. */
    static final String DEMO_TOKEN = "demo-token";

    /** The token a client command uses: the one given, else {@code $TICKWIRE_TOKEN}, else the demo token. */
    static String tokenOrDefault(String given) {
        String fromEnvironment = System.getenv("TICKWIRE_TOKEN");
        return given != null ? given : fromEnvironment != null ? fromEnvironment : DEMO_TOKEN;
    }

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port for HTTP and WebSocket (default 8080).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "History data directory (default: ./data).")
    String data;

    @Override
    public Integer call() throws Exception {
        Path file = demoConfig();
        TickwireConfig config = ConfigFile.load(file, System.getenv(), data, port);
        TickwireApp app = TickwireApp.start(config, Clock.system());
        RunUntilStopped running = RunUntilStopped.watch(app);
        String url = app.nativeUrl();
        String http = "http://" + url.substring(5, url.indexOf('/', 5));
        System.out.println();
        System.out.println("  Tickwire " + io.tickwire.server.TickwireServer.VERSION + " demo is running");
        System.out.println("    WebSocket  " + url);
        System.out.println("    Health     " + http + "/health");
        System.out.println("    Token      " + DEMO_TOKEN + "   (account \"demo\")");
        System.out.println("    Market     " + app.catalog().size() + " simulated instruments, e.g. BTCUSDT EURUSD AAPL");
        if (app.store() != null) {
            System.out.println("    History    " + app.store().dataDir() + "   (" + http + "/v1/history/bars?symbol=BTCUSDT"
                    + "&period=1m&count=-10&token=" + DEMO_TOKEN + ")");
        }
        System.out.println();
        System.out.println("  In another terminal:  ./tickwire tail BTCUSDT EURUSD AAPL"
                + (port != null && port != 8080 ? " --url " + url : ""));
        System.out.println("  Stop with Ctrl+C.");
        System.out.println();
        running.await();
        return 0;
    }

    /** config/demo.yaml under the Tickwire home (set by the launcher), else the working directory. */
    static Path demoConfig() {
        String home = System.getProperty("tickwire.home", ".");
        Path file = Path.of(home, "config", "demo.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("demo configuration not found at " + file.toAbsolutePath()
                    + "; run ./tickwire demo from the Tickwire directory");
        }
        return file;
    }
}
