package io.tickwire.bench.load;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The measured window of a run and what falls into it: publish → receive latencies of trades
 * whose intended publish time lies in the window, and how many were delivered.
 *
 * <p>Latency is taken from the <em>intended</em> publish time the open-loop publisher stamps on
 * each event, not from when it managed to send it: a stall anywhere (publisher, server, network,
 * receiver) delays every event behind it and all of them count, which is what corrects for
 * coordinated omission. Thread-safe: receivers record concurrently, each thread into a recorder of
 * its own (one shared histogram's atomic counts and min/max were a sixth of the generator's Java
 * time at 1,000,000 msgs/s); {@link #take} adds them up.
 */
final class Measurement {

    /** Latencies above this (60 s) are clamped: the histogram stays bounded. */
    static final long MAX_MICROS = 60_000_000;

    private final List<SingleWriterRecorder> recorders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<SingleWriterRecorder> recorder = ThreadLocal.withInitial(() -> {
        SingleWriterRecorder r = new SingleWriterRecorder(MAX_MICROS, 3);
        recorders.add(r);
        return r;
    });
    private final LongAdder delivered = new LongAdder();
    /** When this run began: no trade of it is stamped earlier. */
    private final long begunMicros = BenchClock.micros();
    private volatile long startMicros = Long.MAX_VALUE;
    private volatile long endMicros = Long.MAX_VALUE;

    /**
     * Whether a trade stamped {@code ts} was published before this run began, by an earlier run
     * against the same server (the throughput steps run back to back, and a server may hand a new
     * subscriber the last message it kept of a channel, as nchan does).
     */
    boolean beforeRun(long ts) {
        return ts < begunMicros;
    }

    /** Opens the window at {@code start} (intended publish time), closing at {@code end}. */
    void window(long start, long end) {
        this.endMicros = end;
        this.startMicros = start;
    }

    /** Records a received trade stamped {@code ts}, received at {@code now}. */
    void record(long ts, long now) {
        if (ts >= startMicros && ts < endMicros) {
            recorder.get().recordValue(Math.min(MAX_MICROS, Math.max(0, now - ts)));
            delivered.increment();
        }
    }

    /** The latencies recorded so far (each call returns those since the previous). */
    Histogram take() {
        Histogram all = new Histogram(MAX_MICROS, 3);
        for (SingleWriterRecorder r : recorders) {
            all.add(r.getIntervalHistogram());
        }
        return all;
    }

    long delivered() {
        return delivered.sum();
    }
}
