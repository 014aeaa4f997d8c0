package io.tickwire.cli;

import io.tickwire.bench.load.BenchCommand;
import io.tickwire.server.TickwireServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tickwire} command. Subcommands live in their own classes; this one only wires them
 * and turns exceptions into short messages and exit codes.
 */
@Command(name = "tickwire",
        mixinStandardHelpOptions = true,
        versionProvider = TickwireCli.Version.class,
        description = "Tickwire: a self-hosted real-time market-data streaming server.",
        subcommands = {ServeCommand.class, DemoCommand.class, TailCommand.class, PublishCommand.class, KeysCommand.class,
                ReplayCommand.class, ImportCommand.class, BenchCommand.class, KafkaCommand.class, CommandLine.HelpCommand.class})
public final class TickwireCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it without exiting. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TickwireCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("tickwire: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tickwire " + TickwireServer.VERSION + " (Java " + Runtime.version() + ")"};
        }
    }
}
