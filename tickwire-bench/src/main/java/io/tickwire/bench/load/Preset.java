package io.tickwire.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The named workloads of {@code tickwire bench --preset}. Each turns into one or more runs; their
 * sizes are the (scaled by {@code --scale} for quick checks).
 *
 * <ul>
 * <li>{@code latency}: 1,000 subscribers, 10 symbols, each subscriber one symbol, 1,000 trades/s
 *     published: 100,000 delivered messages/s.</li>
 * <li>{@code throughput}: 100 subscribers each taking all 10 symbols (every trade goes to every
 *     subscriber), the published rate stepped up until p99 passes 10 ms or anything is lost; the last
 *     good step is the result. Fewer, busier connections than {@code latency}: how many messages a
 *     second the server can push when each connection gets many, which is where batching per
 *     connection pays; {@code --connections 1000 --symbols-per-connection 1} gives the
 *     {@code latency} shape instead, where every message is a write of its own.</li>
 * <li>{@code connections}: 50,000 authenticated subscribers, nothing published: heap and RSS per
 *     connection.</li>
 * <li>{@code slow-consumer}: the latency workload twice, without and with 1 subscriber stalled (it
 *     takes every symbol, has a 4 KiB receive buffer and stops reading as the measured window
 *     opens, so it falls behind, and is dealt with, while the others are measured).</li>
 * <li>{@code smoke}: 50 subscribers, 5 symbols, 500 trades/s for a few seconds: the CI check.</li>
 * </ul>
 */
public enum Preset {
    LATENCY, THROUGHPUT, CONNECTIONS, SLOW_CONSUMER, SMOKE;

    /** p99 above this ends the throughput search. */
    public static final double THROUGHPUT_P99_LIMIT_MICROS = 10_000;

    public static Preset fromName(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** The base settings of this preset. */
    public RunSettings settings(List<String> allSymbols, double scale, int threads, long pid) {
        return switch (this) {
            case LATENCY -> new RunSettings(scaled(1_000, scale), 1, allSymbols.subList(0, 10), 1_000,
                    Duration.ofSeconds(10), Duration.ofSeconds(20), 4, 0, threads, pid, Duration.ofSeconds(30));
            // long enough for a stalled reader to pass the write-buffer high water and the slow-consumer grace
            case SLOW_CONSUMER -> new RunSettings(scaled(1_000, scale), 1, allSymbols.subList(0, 10), 1_000,
                    Duration.ofSeconds(10), Duration.ofSeconds(30), 4, 0, threads, pid, Duration.ofSeconds(30));
            case THROUGHPUT -> new RunSettings(scaled(100, scale), 10, allSymbols.subList(0, 10), 1_000,
                    Duration.ofSeconds(3), Duration.ofSeconds(7), 4, 0, threads, pid, Duration.ofSeconds(30));
            case CONNECTIONS -> new RunSettings(scaled(50_000, scale), 1, allSymbols.subList(0, 10), 0,
                    Duration.ZERO, Duration.ofSeconds(1), 4, 0, threads, pid, Duration.ofSeconds(5));
            case SMOKE -> new RunSettings(50, 2, allSymbols.subList(0, 5), 500, Duration.ofSeconds(2),
                    Duration.ofSeconds(6), 2, 0, threads, pid, Duration.ofSeconds(30));
        };
    }

    /** The published rates the throughput search steps through. */
    public static List<Double> throughputSteps(double scale) {
        List<Double> rates = new ArrayList<>();
        for (double r : new double[] {250, 500, 1_000, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 15_000, 20_000, 25_000, 30_000}) {
            rates.add(r);
        }
        return rates;
    }

    private static int scaled(int n, double scale) {
        return Math.max(2, (int) Math.round(n * scale));
    }
}
