package io.tickwire.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.model.Instrument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tickwire bench}: runs a preset (or a custom workload) against one or more servers in turn,
 * prints the table, writes JSON and, if asked, a latency chart. Exit code 0 when every reading
 * subscriber got every message in order, 3 otherwise: loss is a failure, slowness is a figure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Load generator: open-loop publisher, many subscribers, publish → receive latency.",
                "Targets are run one after the other with the same generator and settings.",
                "See docs/benchmarks.md for the presets and the peers (bench/peers/)."},
        subcommands = {ChartCommand.class})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--target", paramLabel = "NAME=HOST:PORT[:PID]",
            description = "Server to load: tickwire, node-ws, nchan or mosquitto (its WebSocket listener); "
                    + "with the server's pid for CPU and memory; a tickwire target may end with @HOST:PORT, "
                    + "the server its publisher sends to (a cluster's ingest node). Repeatable.")
    List<String> targets;

    @Option(names = "--preset", defaultValue = "latency",
            description = "latency, throughput, connections, slow-consumer or smoke (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--scale", defaultValue = "1", description = "Multiplies the preset's connection count (quick checks).")
    double scale;

    @Option(names = "--connections", description = "Overrides the preset's subscriber count.")
    Integer connections;

    @Option(names = "--rate", description = "Overrides the preset's published trades per second.")
    Double rate;

    @Option(names = "--symbols", description = "Overrides how many symbols are published.")
    Integer symbols;

    @Option(names = "--symbols-per-connection", description = "Overrides symbols per subscriber.")
    Integer symbolsPerConnection;

    @Option(names = "--warmup", description = "Overrides the warm-up, seconds.")
    Integer warmup;

    @Option(names = "--duration", description = "Overrides the measured window, seconds.")
    Integer duration;

    @Option(names = "--source-addresses", description = "Loopback addresses subscribers connect from (127.0.0.2…).")
    Integer sourceAddresses;

    @Option(names = "--threads", defaultValue = "2", description = "Client event-loop threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--token", defaultValue = "bench-token", description = "Subscribers' API token (Tickwire).")
    String token;

    @Option(names = "--publisher-token", defaultValue = "bench-publisher-token", description = "Publisher's API token (Tickwire).")
    String publisherToken;

    @Option(names = "--json", description = "Write results as JSON to this file.")
    Path json;

    @Option(names = "--chart", description = "Write a PNG of the latency percentiles to this file.")
    Path chart;

    @Option(names = "--repeat", defaultValue = "1",
            description = "Runs each workload this many times, rotating which server goes first, and reports the medians "
                    + "(default ${DEFAULT-VALUE}).")
    int repeat;

    private boolean failed;

    @Override
    public Integer call() throws Exception {
        if (targets == null || targets.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give at least one --target NAME=HOST:PORT[:PID]");
        }
        if (repeat < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--repeat must be at least 1");
        }
        Preset p = Preset.fromName(preset);
        List<String> all = DefaultCatalog.load().instruments().all().stream().map(Instrument::symbol).toList();
        List<Contestant> contestants = new ArrayList<>();
        for (String text : targets) {
            Target target = Target.parse(text);
            contestants.add(new Contestant(target.name(), target.adapter(token, publisherToken),
                    customize(p.settings(all, scale, threads, target.pid()), all)));
        }
        List<RunResult> runs = p == Preset.THROUGHPUT ? throughputSearch(contestants) : repeated(p, contestants);
        List<RunResult> results = Medians.of(runs);
        if (repeat > 1) {
            System.out.println("every run:");
            ResultTable.print(runs, System.out);
            System.out.println();
            System.out.println("medians of " + repeat + " runs (lost and out of order: totals):");
        }
        ResultTable.print(results, System.out);
        printRatios(results);
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("preset", preset);
            doc.put("at", Instant.now().toString());
            doc.put("machine", machine());
            doc.put("repeat", repeat);
            doc.put("results", results);
            if (repeat > 1) {
                doc.put("runs", runs);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
        }
        if (chart != null) {
            LatencyChart.write(results, "publish → receive latency, preset " + preset, chart);
        }
        return !failed && runs.stream().allMatch(RunResult::correct) ? 0 : 3;
    }

    /** A server under test with its adapter and run settings. */
    private record Contestant(String name, Adapter adapter, RunSettings settings) {
    }

    /** Every server's runs of the preset, {@code repeat} rounds, each round starting one server later. */
    private List<RunResult> repeated(Preset p, List<Contestant> contestants) {
        List<RunResult> out = new ArrayList<>();
        for (int round = 0; round < repeat; round++) {
            for (int i = 0; i < contestants.size(); i++) {
                Contestant c = contestants.get((i + round) % contestants.size());
                try {
                    out.addAll(runPreset(p, c.adapter(), c.settings()));
                } catch (Exception e) {
                    // one server failing (not started, crashed) must not cost the others' figures
                    System.err.println("tickwire bench: " + c.name() + " failed: " + e);
                    failed = true;
                }
            }
        }
        return out;
    }

    /**
     * The throughput search: at each published rate every server still in the race runs
     * {@code repeat} times (the servers take turns, so each step sees them under the same
     * conditions); a server leaves the race at the first step whose median p99 passes the limit or
     * where any run lost a trade.
     */
    private List<RunResult> throughputSearch(List<Contestant> contestants) {
        List<RunResult> out = new ArrayList<>();
        List<Contestant> racing = new ArrayList<>(contestants);
        for (double r : rate != null ? List.of(rate) : Preset.throughputSteps(scale)) {
            if (racing.isEmpty()) {
                break;
            }
            String label = "throughput@" + (long) r;
            Map<Contestant, List<RunResult>> step = new LinkedHashMap<>();
            racing.forEach(c -> step.put(c, new ArrayList<>()));
            for (int round = 0; round < repeat; round++) {
                for (int i = 0; i < racing.size(); i++) {
                    Contestant c = racing.get((i + round) % racing.size());
                    if (!step.containsKey(c)) {
                        continue; // failed earlier in this step
                    }
                    try {
                        step.get(c).add(LoadRun.run(c.adapter(), c.settings().withRate(r), label, false));
                    } catch (Exception e) {
                        System.err.println("tickwire bench: " + c.name() + " failed: " + e);
                        failed = true;
                        out.addAll(step.remove(c));
                    }
                }
            }
            for (Map.Entry<Contestant, List<RunResult>> e : step.entrySet()) {
                List<RunResult> runs = e.getValue();
                out.addAll(runs);
                double p99 = Medians.median(runs, RunResult::p99);
                long lost = runs.stream().mapToLong(x -> x.lost() + x.outOfOrder()).sum();
                System.out.printf(Locale.ROOT, "%s rate %.0f/s: %.0f delivered/s, p99 %.0f µs%s, lost %d%n",
                        e.getKey().name(), r, Medians.median(runs, RunResult::deliveredPerSecond), p99,
                        runs.size() > 1 ? " (median of " + runs.size() + ")" : "", lost);
                if (p99 > Preset.THROUGHPUT_P99_LIMIT_MICROS || lost > 0) {
                    racing.remove(e.getKey());
                }
            }
            racing.retainAll(step.keySet());
        }
        return out;
    }

    private List<RunResult> runPreset(Preset p, Adapter adapter, RunSettings s) throws Exception {
        List<RunResult> out = new ArrayList<>();
        switch (p) {
            case SLOW_CONSUMER -> {
                out.add(LoadRun.run(adapter, s, "slow-consumer:none", true));
                out.add(LoadRun.run(adapter, s.withStalled(1), "slow-consumer:1-stalled", true));
            }
            case CONNECTIONS -> out.add(LoadRun.run(adapter, s, "connections", true));
            default -> out.add(LoadRun.run(adapter, s, p.name().toLowerCase(Locale.ROOT), false));
        }
        return out;
    }

    private RunSettings customize(RunSettings s, List<String> all) {
        List<String> syms = symbols == null ? s.symbols() : all.subList(0, symbols);
        return new RunSettings(connections == null ? s.connections() : connections,
                symbolsPerConnection == null ? s.symbolsPerConnection() : symbolsPerConnection, syms,
                rate == null ? s.rate() : rate,
                warmup == null ? s.warmup() : java.time.Duration.ofSeconds(warmup),
                duration == null ? s.measure() : java.time.Duration.ofSeconds(duration),
                sourceAddresses == null ? s.sourceAddresses() : sourceAddresses, s.stalled(), s.threads(), s.serverPid(),
                s.drainTimeout());
    }

    private static void printRatios(List<RunResult> results) {
        for (RunResult tickwire : results) {
            if (!tickwire.target().equals("tickwire")) {
                continue;
            }
            for (RunResult r : results) {
                // nothing delivered (the connections preset): no ratio to give
                if (!r.target().equals("tickwire") && r.label().equals(tickwire.label()) && r.deliveredPerSecond() > 0) {
                    System.out.printf(Locale.ROOT, "tickwire vs %s (%s): delivered/s ×%.2f, p99 ×%.2f (lower is better)%n",
                            r.target(), r.label(), tickwire.deliveredPerSecond() / r.deliveredPerSecond(),
                            tickwire.p99() / Math.max(1, r.p99()));
                }
            }
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("java", Runtime.version().toString());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        try {
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
        } catch (java.io.IOException e) {
            // not Linux: no CPU model
        }
        return m;
    }
}
