package io.tickwire.bench.load;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one run measured. Latencies in microseconds; -1 where a figure could not be read (no
 * server pid). {@code lost} and {@code outOfOrder} count only subscribers that kept reading.
 *
 * @param target                adapter name
 * @param label                 what the run was (preset and step)
 * @param connections           subscriber connections
 * @param rate                  trades published per second
 * @param deliveredPerSecond    trades received per second in the measured window, all subscribers
 * @param p50                   percentiles of publish → receive latency, µs
 * @param percentiles           the latency distribution: pairs of (percentile, µs) for charts
 * @param published             trades published in the whole run
 * @param received              trades received in the whole run by reading subscribers
 * @param lost                  trades missing at reading subscribers
 * @param outOfOrder            trades received repeated or out of order
 * @param stalledClosedWith     close codes the stalled subscribers got (empty if none stalled)
 * @param serverCpuCores        server CPU time / wall time over the measured window
 * @param generatorCpuCores     the load generator's own CPU time / wall time over the measured window
 * @param serverRssBytes        server RSS at the end of the measured window
 * @param heapBeforeBytes       server heap after GC before subscribers connected
 * @param heapAfterBytes        server heap after GC with every subscriber connected (after the run)
 * @param rssBeforeBytes        server RSS before subscribers connected
 * @param irregularities        the first few subscribers with a gap, reordering or missing tail, and what it was
 */
public record RunResult(String target, String label, int connections, double rate, double deliveredPerSecond,
                        double p50, double p90, double p99, double p999, double max, long count,
                        List<double[]> percentiles, long published, long received, long lost, long outOfOrder,
                        List<Integer> stalledClosedWith, double serverCpuCores, double generatorCpuCores, long serverRssBytes,
                        long heapBeforeBytes, long heapAfterBytes, long rssBeforeBytes,
                        List<String> irregularities) {

    /** Heap per subscriber connection, or -1. */
    @JsonProperty
    public double heapPerConnectionBytes() {
        return heapBeforeBytes < 0 || heapAfterBytes < 0 ? -1 : (heapAfterBytes - heapBeforeBytes) / (double) connections;
    }

    /** RSS per subscriber connection, or -1. */
    @JsonProperty
    public double rssPerConnectionBytes() {
        return rssBeforeBytes < 0 || serverRssBytes < 0 ? -1 : (serverRssBytes - rssBeforeBytes) / (double) connections;
    }

    /** Whether every reading subscriber got every trade, in order. */
    @JsonProperty
    public boolean correct() {
        return lost == 0 && outOfOrder == 0;
    }
}
