package io.tickwire.bench.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Folds repeated runs into one result per server and workload: on a shared, noisy machine one run
 * says little, the median of several says more (docs/benchmarks.md quotes these).
 *
 * <p>Each figure is the median of that figure over the runs (the mean of the middle two for an
 * even count), so a median result's p50 and p99 may come from different runs. Loss and
 * reordering are summed, never a median: a run that lost anything must show. The latency curve
 * (for charts) and the heap figures are those of the run whose p99 is the median one.
 */
final class Medians {

    private Medians() {
    }

    /** One result per (target, label), in the order each first appears. */
    static List<RunResult> of(List<RunResult> runs) {
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : runs) {
            groups.computeIfAbsent(r.target() + '\u0000' + r.label(), k -> new ArrayList<>()).add(r);
        }
        List<RunResult> out = new ArrayList<>();
        for (List<RunResult> group : groups.values()) {
            out.add(group.size() == 1 ? group.get(0) : fold(group));
        }
        return out;
    }

    private static RunResult fold(List<RunResult> g) {
        List<RunResult> byP99 = new ArrayList<>(g);
        byP99.sort(Comparator.comparingDouble(RunResult::p99));
        RunResult mid = byP99.get((byP99.size() - 1) / 2);
        LinkedHashSet<Integer> codes = new LinkedHashSet<>();
        List<String> irregular = new ArrayList<>();
        for (RunResult r : g) {
            codes.addAll(r.stalledClosedWith());
            if (r.irregularities() != null) {
                irregular.addAll(r.irregularities());
            }
        }
        return new RunResult(mid.target(), mid.label(), mid.connections(), mid.rate(),
                median(g, RunResult::deliveredPerSecond),
                median(g, RunResult::p50), median(g, RunResult::p90), median(g, RunResult::p99),
                median(g, RunResult::p999), median(g, RunResult::max),
                g.stream().mapToLong(RunResult::count).sum(), mid.percentiles(),
                g.stream().mapToLong(RunResult::published).sum(), g.stream().mapToLong(RunResult::received).sum(),
                g.stream().mapToLong(RunResult::lost).sum(), g.stream().mapToLong(RunResult::outOfOrder).sum(),
                List.copyOf(codes), median(g, RunResult::serverCpuCores), median(g, RunResult::generatorCpuCores),
                (long) median(g, RunResult::serverRssBytes), mid.heapBeforeBytes(), mid.heapAfterBytes(),
                mid.rssBeforeBytes(), irregular.isEmpty() ? null : List.copyOf(irregular));
    }

    /** The median of a figure over runs; the mean of the middle two for an even count. */
    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> figure) {
        double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
