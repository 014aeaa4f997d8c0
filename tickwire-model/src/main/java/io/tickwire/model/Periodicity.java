package io.tickwire.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A bar period, with its boundaries in UTC and its name in every protocol — the one table that
 * maps the native names, iTick's {@code t} codes and TickTrader's periodicities.
 *
 * <p>Boundaries: minute and hour periods start on multiples of their length since the epoch
 * ({@code 4h} bars start at 00:00, 04:00, … UTC); days at 00:00 UTC; weeks on Monday 00:00 UTC;
 * months on the 1st at 00:00 UTC. Immutable.
 */
public enum Periodicity {
    M1("1m", 60, 1, "M1"),
    M5("5m", 300, 2, "M5"),
    M15("15m", 900, 3, "M15"),
    M30("30m", 1_800, 4, "M30"),
    H1("1h", 3_600, 5, "H1"),
    H4("4h", 14_400, 0, "H4"),
    D1("1d", 86_400, 8, "D1"),
    W1("1w", 604_800, 9, "W1"),
    MN1("1M", 0, 10, "MN1");

    private static final long MICROS = 1_000_000L;
    private static final long DAY = 86_400 * MICROS;

    private final String wireName;
    private final long fixedSeconds;
    private final int itickCode;
    private final String tickTraderName;

    Periodicity(String wireName, long fixedSeconds, int itickCode, String tickTraderName) {
        this.wireName = wireName;
        this.fixedSeconds = fixedSeconds;
        this.itickCode = itickCode;
        this.tickTraderName = tickTraderName;
    }

    /** The native protocol's name: {@code 1m 5m 15m 30m 1h 4h 1d 1w 1M}. */
    public String wireName() {
        return wireName;
    }

    /** iTick's kline code ({@code t}: 1, 2, 3, 4, 5, 8, 9, 10), or 0 where iTick has none (4h). */
    public int itickCode() {
        return itickCode;
    }

    /** TickTrader's periodicity name: {@code M1 M5 M15 M30 H1 H4 D1 W1 MN1}. */
    public String tickTraderName() {
        return tickTraderName;
    }

    /**
     * The start of the bar that contains {@code micros} (microseconds since the epoch, UTC).
     * Arithmetic only, no allocation: the engine calls it for every event and period.
     */
    public long startOf(long micros) {
        return switch (this) {
            case W1 -> {
                long day = Math.floorDiv(micros, DAY);
                yield (day - Math.floorMod(day + 3, 7)) * DAY; // 1970-01-01 was a Thursday: Monday is 3 days before
            }
            case MN1 -> {
                long day = Math.floorDiv(micros, DAY);
                yield (day - dayOfMonth(day) + 1) * DAY;
            }
            default -> Math.floorDiv(micros, fixedSeconds * MICROS) * fixedSeconds * MICROS;
        };
    }

    /**
     * The day of the month (1..31) of a day counted from 1970-01-01, in the proleptic Gregorian
     * calendar: the civil-from-days conversion of H. Hinnant's "chrono-compatible low-level date
     * algorithms", on March-based 400-year eras so that leap days fall at the end of a year.
     */
    static int dayOfMonth(long epochDay) {
        long z = epochDay + 719_468; // days since 0000-03-01
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        return (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
    }

    /** The start of the bar after the one starting at {@code start}. */
    public long next(long start) {
        if (this == MN1) {
            return utc(start).plusMonths(1).toEpochSecond() * MICROS;
        }
        return start + fixedSeconds * MICROS;
    }

    private static ZonedDateTime utc(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS)).atZone(ZoneOffset.UTC);
    }

    /** Parses a native name ({@code 1m}…{@code 1M}, case-sensitive because of {@code 1m}/{@code 1M}), or {@code null}. */
    public static Periodicity fromWire(String name) {
        for (Periodicity p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The periodicity of an iTick {@code t} code, or {@code null}. */
    public static Periodicity fromItickCode(int code) {
        for (Periodicity p : values()) {
            if (p.itickCode == code && code != 0) {
                return p;
            }
        }
        return null;
    }

    /** The periodicity of a TickTrader name (case-insensitive), or {@code null}. */
    public static Periodicity fromTickTrader(String name) {
        for (Periodicity p : values()) {
            if (p.tickTraderName.equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }
}
