package io.tickwire.bench.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints results as a plain-text table, one row per run. Stateless. */
public final class ResultTable {

    private ResultTable() {
    }

    public static void print(List<RunResult> results, PrintStream out) {
        out.printf(Locale.ROOT, "%-9s %-24s %6s %9s %11s %8s %8s %8s %8s %8s %6s %5s %6s %7s %8s %9s%n",
                "target", "run", "conns", "rate/s", "deliv/s", "p50 µs", "p90 µs", "p99 µs", "p99.9µs", "max µs",
                "lost", "ooo", "cpu", "gen cpu", "rss MiB", "heap/conn");
        for (RunResult r : results) {
            out.printf(Locale.ROOT, "%-9s %-24s %6d %9.0f %11.0f %8.0f %8.0f %8.0f %8.0f %8.0f %6d %5d %6s %7.2f %8s %9s%n",
                    r.target(), r.label(), r.connections(), r.rate(), r.deliveredPerSecond(), r.p50(), r.p90(), r.p99(),
                    r.p999(), r.max(), r.lost(), r.outOfOrder(),
                    r.serverCpuCores() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.serverCpuCores()),
                    r.generatorCpuCores(),
                    r.serverRssBytes() < 0 ? "-" : Long.toString(r.serverRssBytes() >> 20),
                    r.heapPerConnectionBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.0f B", r.heapPerConnectionBytes()));
            if (r.irregularities() != null) {
                for (String irregular : r.irregularities()) {
                    out.println("          " + irregular);
                }
            }
            if (!r.stalledClosedWith().isEmpty()) {
                out.println("          stalled subscribers' close codes: " + r.stalledClosedWith());
            }
        }
    }
}
