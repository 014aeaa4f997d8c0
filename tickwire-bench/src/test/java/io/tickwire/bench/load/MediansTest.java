package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediansTest {

    @Test
    void eachFigureIsTheMedianOfItsRunsAndTheCurveComesFromTheMedianP99Run() {
        RunResult a = run("tickwire", "latency", 900, 3_000, 0, 1);
        RunResult b = run("tickwire", "latency", 1_100, 9_000, 0, 2);
        RunResult c = run("tickwire", "latency", 1_000, 2_000, 0, 3);

        RunResult m = Medians.of(List.of(a, b, c)).get(0);

        assertThat(m.p50()).isEqualTo(1_000);
        assertThat(m.p99()).isEqualTo(3_000);
        assertThat(m.serverCpuCores()).isEqualTo(0.2);
        assertThat(m.percentiles()).isSameAs(a.percentiles());
        assertThat(m.published()).isEqualTo(3 * 1_000);
    }

    @Test
    void anEvenCountAveragesTheMiddleTwoAndLossIsSummedNotMedianed() {
        RunResult a = run("nchan", "throughput@1000", 800, 2_000, 0, 1);
        RunResult b = run("nchan", "throughput@1000", 1_200, 4_000, 5, 2);

        RunResult m = Medians.of(List.of(a, b)).get(0);

        assertThat(m.p50()).isEqualTo(1_000);
        assertThat(m.p99()).isEqualTo(3_000);
        assertThat(m.lost()).isEqualTo(5);
        assertThat(m.correct()).isFalse();
    }

    @Test
    void runsAreGroupedByServerAndWorkloadInTheOrderTheyFirstRan() {
        List<RunResult> runs = List.of(run("nchan", "throughput@250", 1, 1, 0, 1), run("tickwire", "throughput@250", 2, 2, 0, 1),
                run("tickwire", "throughput@250", 4, 4, 0, 2), run("nchan", "throughput@500", 3, 3, 0, 1));

        assertThat(Medians.of(runs)).extracting(r -> r.target() + " " + r.label() + " " + r.p50())
                .containsExactly("nchan throughput@250 1.0", "tickwire throughput@250 3.0", "nchan throughput@500 3.0");
    }

    private static RunResult run(String target, String label, double p50, double p99, long lost, int n) {
        return new RunResult(target, label, 100, 1_000, 100_000, p50, p99 / 2, p99, p99 * 2, p99 * 3, 10,
                List.<double[]>of(new double[] {50, p50}, new double[] {99, p99}), 1_000, 1_000 - lost, lost, 0,
                List.of(), 0.1 * n, 0.5, 100L << 20, 1L << 20, 2L << 20, 50L << 20, null);
    }
}
