package io.tickwire.bench.jmh;

import io.tickwire.engine.bar.BarSeries;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Aggregating trades into bars: one series (one period), and all nine periods as the engine does
 * for every trade. Trades are 1 ms apart, so minute bars close every 60,000 trades. Target: 10 M trades/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class BarAggregationBenchmark {

    private final BarSeries[] all = new BarSeries[Periodicity.values().length];
    private BarSeries minute;
    private long[] prices;
    private long time = 1_700_000_000_000_000L;
    private int next;

    @Setup
    public void setUp() {
        for (Periodicity p : Periodicity.values()) {
            all[p.ordinal()] = new BarSeries(0, p, PriceType.LAST);
        }
        minute = new BarSeries(0, Periodicity.M1, PriceType.LAST);
        SplittableRandom r = new SplittableRandom(7);
        prices = new long[1 << 14];
        long price = 1_000_000;
        for (int i = 0; i < prices.length; i++) {
            price += r.nextInt(-3, 4);
            prices[i] = price;
        }
    }

    @Benchmark
    public long oneSeries() {
        long t = time += 1_000;
        minute.closeIfDue(t);
        minute.add(t, t, prices[next++ & (prices.length - 1)], 5, 1);
        return minute.seq();
    }

    @Benchmark
    public long allNinePeriods() {
        long t = time += 1_000;
        long price = prices[next++ & (prices.length - 1)];
        for (BarSeries s : all) {
            s.closeIfDue(t);
            s.add(t, t, price, 5, 1);
        }
        return all[0].seq();
    }
}
