package io.tickwire.cli;

import io.tickwire.cli.app.FailoverNode;
import io.tickwire.cli.app.TickwireApp;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.Clock;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickwire serve}: runs the server from a configuration file until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the server with a configuration file (or the built-in defaults).",
                "Stops cleanly on Ctrl+C or SIGTERM: it accepts no new connections, asks each client to reconnect"
                        + " and resume (a reconnect message) during server.drainPeriod, then closes whoever is left"
                        + " with 1001 \"server shutting down\"."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration (default: $TICKWIRE_CONFIG, else built-in defaults). See docs/configuration.md.")
    Path config;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port for HTTP and WebSocket (overrides the configuration).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "History data directory (overrides store.dataDir).")
    String data;

    @Override
    public Integer call() throws Exception {
        Path file = ConfigFile.resolve(config);
        TickwireConfig loaded = ConfigFile.load(file, data, port);
        String url;
        RunUntilStopped running;
        if (loaded.cluster().failover()) { // one of several candidates: standby until elected
            FailoverNode node = FailoverNode.start(loaded, Clock.system(), System.getenv(), file);
            running = RunUntilStopped.watch(node);
            url = node.nativeUrl();
        } else {
            TickwireApp app = TickwireApp.start(loaded, Clock.system(), System.getenv(), file);
            running = RunUntilStopped.watch(app);
            url = app.nativeUrl();
        }
        System.out.println("Tickwire is serving " + url + " (health: http://" + url.substring(5, url.indexOf('/', 5))
                + "/health)");
        running.await();
        return 0;
    }
}
