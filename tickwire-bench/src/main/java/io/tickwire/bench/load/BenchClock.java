package io.tickwire.bench.load;

/**
 * Microseconds since the epoch from {@link System#nanoTime()}, anchored once to the wall clock:
 * monotonic, allocation-free and finer than {@code currentTimeMillis}. The publisher and every
 * receiver run in one process and read this one clock, so publish → receive differences are
 * exact to the microsecond whatever the wall clock does during a run. Thread-safe.
 */
public final class BenchClock {

    private static final long BASE_MICROS = System.currentTimeMillis() * 1_000;
    private static final long BASE_NANOS = System.nanoTime();

    private BenchClock() {
    }

    /** Now, in microseconds since the epoch. */
    public static long micros() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
    }
}
