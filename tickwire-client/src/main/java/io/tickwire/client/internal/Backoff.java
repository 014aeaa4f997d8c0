package io.tickwire.client.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect delays with jitter. After the {@code n}-th consecutive failure
 * ({@code n} from 0) the delay is drawn uniformly from {@code [min, min(max, min × 2^(n+1))]}:
 * never shorter than {@code min}, so a flapping server is never hammered, and spread out so that
 * many clients dropped at once by a restart do not come back in lock step.
 *
 * <p>Immutable; thread-safe if the random generator is.
 */
public final class Backoff {

    private final long minNanos;
    private final long maxNanos;
    private final RandomGenerator random;

    /**
     * Delays between {@code min} and {@code max}.
     *
     * @param min    the shortest delay; positive
     * @param max    the longest delay; at least {@code min}
     * @param random the source of jitter (seeded in tests)
     */
    public Backoff(Duration min, Duration max, RandomGenerator random) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("min backoff must be positive, was " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is shorter than min " + min);
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The delay after {@code failures + 1} consecutive failures ({@code failures} from 0). */
    public Duration delay(int failures) {
        return Duration.ofNanos(minNanos + random.nextLong(ceilingNanos(failures) - minNanos + 1));
    }

    /** The longest delay {@link #delay(int)} can return for this many failures. */
    public Duration ceiling(int failures) {
        return Duration.ofNanos(ceilingNanos(failures));
    }

    private long ceilingNanos(int failures) {
        int doublings = Math.min(Math.max(failures, 0), 61) + 1;
        long ceiling = minNanos;
        for (int i = 0; i < doublings && ceiling < maxNanos; i++) {
            ceiling = ceiling > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : ceiling * 2;
        }
        return Math.min(ceiling, maxNanos);
    }
}
