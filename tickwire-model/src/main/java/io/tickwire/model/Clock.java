package io.tickwire.model;

/**
 * The source of time for everything in Tickwire. Code asks a {@code Clock}, never
 * {@code System.currentTimeMillis()}, so tests can drive expiry, bars and throttling.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Clock {

    /** Wall-clock time in microseconds since the Unix epoch, UTC. */
    long epochMicros();

    /** Wall-clock time in milliseconds since the Unix epoch, UTC. */
    default long epochMillis() {
        return epochMicros() / 1_000;
    }

    /** A monotonic time in nanoseconds for measuring intervals; unrelated to the epoch. */
    long monotonicNanos();

    /** The system clock: {@link java.time.Instant#now()} resolution (microseconds on Linux). */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
