package io.tickwire.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The throttle intervals a subscription may ask for, as small class numbers: class 0 is every
 * update; classes 4 to 11 are TickTrader's {@code FrequencyPriority} 0 to 7 (once per 2^P × 500 ms).
 *
 * <p>A throttled stream sends at most one message per interval, on a grid aligned to the epoch, and
 * conflates what happened in between (the latest quote; the merged book changes). Immutable table.
 */
public final class Throttle {

    private static final long[] MILLIS = {0, 50, 100, 250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000};
    /** The class of TickTrader's FrequencyPriority 0. */
    private static final int FREQUENCY_PRIORITY_BASE = 4;

    private Throttle() {
    }

    /** The class for an interval in milliseconds, or -1 if that interval is not offered. */
    public static int classOf(long millis) {
        for (int c = 0; c < MILLIS.length; c++) {
            if (MILLIS[c] == millis) {
                return c;
            }
        }
        return -1;
    }

    /** The class for TickTrader's FrequencyPriority (0..7), or -1. */
    public static int ofFrequencyPriority(int priority) {
        return priority >= 0 && priority <= 7 ? FREQUENCY_PRIORITY_BASE + priority : -1;
    }

    /** The interval of a class in milliseconds (0 for class 0). */
    public static long millis(int throttle) {
        return MILLIS[throttle];
    }

    /** The interval of a class in microseconds. */
    public static long micros(int throttle) {
        return MILLIS[throttle] * 1_000;
    }

    /** The number of classes. */
    public static int classes() {
        return MILLIS.length;
    }

    /** The offered intervals, for error messages: {@code 0, 50, 100, …}. */
    public static String offered() {
        return Arrays.stream(MILLIS).mapToObj(Long::toString).collect(Collectors.joining(", "));
    }

    /** Returns the class if it exists, else throws {@link IllegalArgumentException}. */
    public static int check(int throttle) {
        if (throttle < 0 || throttle >= MILLIS.length) {
            throw new IllegalArgumentException("throttle class out of range: " + throttle);
        }
        return throttle;
    }
}
