package io.tickwire.server.net;

import io.tickwire.model.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Admits new WebSocket connections at a bounded rate: a token bucket of {@code burst} tokens
 * refilled at {@code rate} per second. A connection that finds the bucket empty is turned away
 * with a retry hint that spreads the turned-away clients over the time the bucket needs to admit
 * them all, so 10,000 clients reconnecting at once arrive back as a steady stream instead of a
 * second wave of the same storm.
 *
 * <p>Thread-safe (every event loop admits here); a few nanoseconds under a lock per connection,
 * never on the data path.
 */
public final class AdmissionControl {

    private final Clock clock;
    private final double ratePerNano;
    private final double burst;
    private final double rate;
    private double tokens;
    private long lastNanos;
    /** Clients turned away recently, decayed at the admission rate: how long the queue of returners is. */
    private double waiting;
    /** Connections turned away since start. */
    private long turnedAway;
    /** Why no connection is admitted at all now (a gateway catching up), or {@code null}. */
    private volatile String held;

    public AdmissionControl(int ratePerSecond, int burst, Clock clock) {
        this.clock = clock;
        long nowNanos = clock.monotonicNanos();
        this.rate = ratePerSecond;
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /**
     * Takes a token for a new connection.
     *
     * @return 0 if the connection is admitted, else how many milliseconds the client should wait
     *         before trying again (at least 1)
     */
    public long admit() {
        return admit(clock.monotonicNanos());
    }

    /** Connections turned away since start (the {@code tickwire_connections_turned_away_total} meter). */
    public synchronized long turnedAway() {
        return turnedAway;
    }

    /**
     * Admits no connection until {@link #release()}, whatever the rate: each is turned away with
     * {@code reason} and a retry hint of 0.5 to 1.5 s (a node not ready to serve, such as a cluster
     * gateway still reading its lookback).
     */
    public void hold(String reason) {
        held = java.util.Objects.requireNonNull(reason, "reason");
    }

    /** Admits connections again (at the rate). */
    public void release() {
        held = null;
    }

    /** Why connections are held, or {@code null} when they are admitted. */
    public String heldBecause() {
        return held;
    }

    synchronized long admit(long nowNanos) {
        if (held != null) {
            turnedAway++;
            return 500 + ThreadLocalRandom.current().nextLong(1_000);
        }
        double refill = Math.max(0, nowNanos - lastNanos) * ratePerNano;
        lastNanos = Math.max(lastNanos, nowNanos);
        tokens = Math.min(burst, tokens + refill);
        waiting = Math.max(0, waiting - refill);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        waiting += 1;
        turnedAway++;
        // the returners ahead of this one need waiting/rate seconds; land somewhere in that span
        double spanMillis = Math.max(1, waiting / rate * 1_000);
        return 1 + (long) (ThreadLocalRandom.current().nextDouble() * spanMillis);
    }
}
