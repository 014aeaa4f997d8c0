package io.tickwire.store.replay;

import java.util.Locale;

/**
 * How fast a replay runs against the time it reproduces: {@code 1x} as it happened, {@code 10x}
 * ten times faster, {@code 0.5x} half speed, or {@code max}: as fast as the engine takes events.
 *
 * @param factor history seconds per wall-clock second; {@link Double#POSITIVE_INFINITY} for {@code max}
 */
public record ReplaySpeed(double factor) {

    /** As fast as possible. */
    public static final ReplaySpeed MAX = new ReplaySpeed(Double.POSITIVE_INFINITY);

    public ReplaySpeed {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("speed must be positive, was " + factor);
        }
    }

    /**
     * Parses {@code 10x}, {@code 10}, {@code 0.5x} or {@code max}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ReplaySpeed parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return MAX;
        }
        if (t.endsWith("x")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            double factor = Double.parseDouble(t);
            if (factor > 0 && factor <= 1_000_000 && !Double.isNaN(factor)) {
                return new ReplaySpeed(factor);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("speed must look like 1x, 10x, 0.5x or max, not '" + text + "'");
    }

    /** Wall-clock nanoseconds for a span of history in microseconds. */
    long wallNanos(long historyMicros) {
        return factor == Double.POSITIVE_INFINITY ? 0 : (long) (historyMicros * 1_000 / factor);
    }

    @Override
    public String toString() {
        return factor == Double.POSITIVE_INFINITY ? "max" : (factor == Math.rint(factor) ? Long.toString((long) factor)
                : Double.toString(factor)) + "x";
    }
}
