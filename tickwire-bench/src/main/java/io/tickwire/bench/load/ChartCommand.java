package io.tickwire.bench.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tickwire bench chart}: draws the latency percentiles of the runs in JSON result files into one PNG. */
@Command(name = "chart", mixinStandardHelpOptions = true,
        description = "Draw latency percentiles from bench JSON results into a PNG.")
final class ChartCommand implements Callable<Integer> {

    @Parameters(paramLabel = "JSON", arity = "1..*", description = "Result files written by tickwire bench --json.")
    List<Path> inputs;

    @Option(names = "--out", required = true, description = "The PNG to write.")
    Path out;

    @Option(names = "--title", defaultValue = "publish → receive latency", description = "Chart title.")
    String title;

    @Option(names = "--label", description = "Only runs whose label contains this.")
    String label;

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        List<RunResult> runs = new ArrayList<>();
        for (Path in : inputs) {
            for (JsonNode node : mapper.readTree(in.toFile()).path("results")) {
                RunResult r = mapper.treeToValue(node, RunResult.class);
                if (label == null || r.label().contains(label)) {
                    runs.add(r);
                }
            }
        }
        LatencyChart.write(runs, title, out);
        return 0;
    }
}
