package io.tickwire.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * Timestamps as history requests and CSV files write them: microseconds since the Unix epoch as an
 * integer ({@code 1763900747695519}), an ISO-8601 instant ({@code 2025-11-23T12:25:47.695519Z},
 * offsets allowed) or a UTC date ({@code 2025-11-23}, meaning its midnight). Accepted times lie in
 * 1970-01-01..9999-12-31. Stateless and thread-safe.
 */
public final class TimeText {

    /** The latest time accepted: 9999-12-31T23:59:59.999999Z. */
    public static final long MAX_MICROS = 253_402_300_799_999_999L;

    private static final DateTimeFormatter ISO_MICROS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss").appendFraction(java.time.temporal.ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z').toFormatter().withZone(ZoneOffset.UTC);

    private TimeText() {
    }

    /**
     * Parses a timestamp.
     *
     * @throws IllegalArgumentException with a message for people if it is malformed or out of range
     */
    public static long parseMicros(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty timestamp");
        }
        String t = text.trim();
        long micros;
        if (isDigits(t)) {
            if (t.length() > 18) {
                throw new IllegalArgumentException("timestamp " + shown(t) + " is out of range");
            }
            micros = Long.parseLong(t);
        } else {
            try {
                if (t.length() == 10 && t.charAt(4) == '-' && t.charAt(7) == '-') {
                    micros = LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
                } else {
                    Instant instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(t, Instant::from);
                    micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
                    if (instant.getNano() % 1_000 != 0) {
                        throw new IllegalArgumentException("timestamp " + shown(t) + " is finer than a microsecond");
                    }
                }
            } catch (DateTimeException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + shown(t) + "' is not a timestamp: give microseconds since the"
                        + " epoch or an ISO-8601 time such as 2025-11-23T12:00:00Z");
            }
        }
        if (micros < 0 || micros > MAX_MICROS) {
            throw new IllegalArgumentException("timestamp " + shown(t) + " is outside 1970-01-01..9999-12-31");
        }
        return micros;
    }

    /** ISO-8601 in UTC with microseconds: {@code 2025-11-23T12:25:47.695519Z}. */
    public static String formatIso(long micros) {
        return ISO_MICROS.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L));
    }

    private static boolean isDigits(String t) {
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String shown(String t) {
        return t.length() <= 40 ? t : t.substring(0, 40) + "…";
    }
}
