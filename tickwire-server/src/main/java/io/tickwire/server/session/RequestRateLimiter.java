package io.tickwire.server.session;

/**
 * A token bucket for one connection's requests: {@code burst} requests at once, then
 * {@code perSecond} sustained. Also counts refusals in a sliding window so a connection that keeps
 * hammering after being refused can be cut off.
 *
 * <p>Confined to the connection's event loop. Time comes in as monotonic nanoseconds from the
 * caller's clock, so tests drive it without waiting.
 */
final class RequestRateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private double perSecond;
    private double burst;
    private double tokens;
    private long lastRefill;
    private final long floodWindowNanos;
    private final int floodLimit;
    private long windowStart;
    private int refusedInWindow;

    RequestRateLimiter(int perSecond, int burst, int floodLimit, long floodWindowNanos, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefill = nowNanos;
        this.floodLimit = floodLimit;
        this.floodWindowNanos = floodWindowNanos;
        this.windowStart = nowNanos;
    }

    /**
     * Changes the rate, as when a connection authenticates into its plan. The bucket starts full:
     * the plan's burst is available at once (a session authenticates once, so this cannot be
     * used to refill a bucket).
     */
    void reconfigure(int newPerSecond, int newBurst, long nowNanos) {
        refill(nowNanos);
        perSecond = newPerSecond;
        burst = newBurst;
        tokens = burst;
    }

    /** Takes one request's token if there is one. */
    boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        if (nowNanos - windowStart > floodWindowNanos) {
            windowStart = nowNanos;
            refusedInWindow = 0;
        }
        refusedInWindow++;
        return false;
    }

    /** Whether refusals in the current window reached the flood limit. */
    boolean flooding() {
        return refusedInWindow >= floodLimit;
    }

    /** Milliseconds until the next token, at least 1. */
    long retryAfterMillis() {
        double missing = Math.max(0, 1 - tokens);
        return Math.max(1, (long) Math.ceil(missing * 1_000 / perSecond));
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perSecond / NANOS_PER_SECOND);
            lastRefill = nowNanos;
        }
    }
}
