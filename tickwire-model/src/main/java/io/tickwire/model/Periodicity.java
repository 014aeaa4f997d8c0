package io.tickwire.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

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

    /** The start of the bar that contains {@code micros} (microseconds since the epoch, UTC). */
    public long startOf(long micros) {
        return switch (this) {
            case W1 -> {
                LocalDate day = utc(micros).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                yield day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * MICROS;
            }
            case MN1 -> utc(micros).toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * MICROS;
            default -> Math.floorDiv(micros, fixedSeconds * MICROS) * fixedSeconds * MICROS;
        };
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
