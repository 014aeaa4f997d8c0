package io.tickwire.bench.load;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Microseconds since the epoch from {@link System#nanoTime()}, anchored once to the wall clock:
 * monotonic, allocation-free and finer than {@code currentTimeMillis}. The publisher and every
 * receiver run in one process and read this one clock, so publish → receive differences are
 * exact to the microsecond whatever the wall clock does during a run. Thread-safe.
 */
public final class BenchClock {

    // Instant.now() has microseconds here (currentTimeMillis would put the anchor up to 1 ms early),
    // so times the server stamps on its messages ("sent") are comparable with this clock's.
    private static final long BASE_MICROS = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    private static final long BASE_NANOS = System.nanoTime();

    private BenchClock() {
    }

    /** Now, in microseconds since the epoch. */
    public static long micros() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
    }
}
