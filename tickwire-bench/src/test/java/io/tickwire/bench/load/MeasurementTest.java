package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Latencies recorded on several threads all reach the histogram; only trades due in the window count. */
class MeasurementTest {

    @Test
    void everyThreadsLatenciesInTheWindowAreCountedOnce() throws InterruptedException {
        Measurement m = new Measurement();
        m.window(1_000, 2_000);
        Runnable receiver = () -> {
            for (long ts = 0; ts < 3_000; ts++) {
                m.record(ts, ts + 250);
            }
        };
        Thread[] threads = {new Thread(receiver), new Thread(receiver), new Thread(receiver)}; // three recorders
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }

        Histogram h = m.take();
        assertThat(h.getTotalCount()).isEqualTo(3_000);
        assertThat(m.delivered()).isEqualTo(3_000);
        assertThat(h.getMinValue()).isEqualTo(250);
        assertThat(h.getMaxValue()).isEqualTo(250);
        assertThat(m.take().getTotalCount()).as("each take returns what came since the previous").isZero();
    }
}
