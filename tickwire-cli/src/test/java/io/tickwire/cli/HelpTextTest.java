package io.tickwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Help as a new user reads it: {@code tickwire --help} shows each command's first description
 * line alone, so it must be a whole sentence; picocli wraps each line itself, so a sentence broken
 * over two description lines prints with a break in the middle.
 */
class HelpTextTest {

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(c -> collect(c, into));
    }

    @Test
    void everyDescriptionLineIsAWholeSentenceOrAnExample() {
        List<CommandLine> all = new ArrayList<>();
        collect(TickwireCli.commandLine(), all);

        for (CommandLine command : all) {
            String[] lines = command.getCommandSpec().usageMessage().description();
            String name = command.getCommandSpec().qualifiedName();
            for (String line : lines) {
                if (line.startsWith(" ")) {
                    continue; // an example, set off by its indentation
                }
                assertThat(line.replaceAll("%n$", "")).as("a description line of '%s' ends mid-sentence", name)
                        .matches("(?s).*[.:)]$");
            }
        }
    }

    @Test
    void theCommandListShowsWholeSentences() {
        StringWriter out = new StringWriter();
        CommandLine cli = TickwireCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        cli.execute("--help");

        String help = out.toString();
        assertThat(help).containsPattern("replay +Serve stored history as a live feed, for backtests and demos.")
                .containsPattern("import +Import recorded trades from CSV files into the history store.")
                .doesNotContain("the server starts with a\n").doesNotContain("(the data directory must not\n");
    }
}
