package io.tickwire.testkit;

import io.tickwire.model.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test moves it. Thread-safe. */
public final class ManualClock implements Clock {

    private final AtomicLong micros;
    private final AtomicLong nanos = new AtomicLong();

    /** A clock at the given instant. */
    public ManualClock(Instant start) {
        this.micros = new AtomicLong(start.getEpochSecond() * 1_000_000L + start.getNano() / 1_000);
    }

    /** A clock at 2024-11-15T12:00:00Z. */
    public ManualClock() {
        this(Instant.parse("2024-11-15T12:00:00Z"));
    }

    @Override
    public long epochMicros() {
        return micros.get();
    }

    @Override
    public long monotonicNanos() {
        return nanos.get();
    }

    /** Moves both the wall clock and the monotonic clock forward. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward here: " + duration);
        }
        micros.addAndGet(duration.toNanos() / 1_000);
        nanos.addAndGet(duration.toNanos());
    }

    /** Sets the wall clock (forward or back); the monotonic clock moves by the same amount if forward. */
    public void set(Instant instant) {
        long target = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
        long delta = target - micros.getAndSet(target);
        if (delta > 0) {
            nanos.addAndGet(delta * 1_000);
        }
    }

    /** The wall clock as an instant. */
    public Instant instant() {
        long m = micros.get();
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1_000);
    }
}
