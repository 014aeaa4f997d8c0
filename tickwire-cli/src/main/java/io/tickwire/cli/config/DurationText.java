package io.tickwire.cli.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people write them in configuration: {@code 500us}, {@code 250ms}, {@code 10s}, {@code 5m},
 * {@code 2h}, {@code 30d}, or ISO-8601 ({@code PT10S}). A bare number is refused: a unit avoids
 * guessing between seconds and milliseconds. Stateless.
 */
public final class DurationText {

    private DurationText() {
    }

    /** Parses a duration; the message of the exception says what is accepted. */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("us") || t.endsWith("µs")) {
                return Duration.ofNanos(1_000 * Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1).trim());
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 500us, 250ms, 10s, 5m, 2h, 30d or PT10S");
        }
    }
}
