package io.tickwire.feeds.simulator;

import io.tickwire.model.AssetClass;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The trading calendar of each asset class, in New York time (so daylight-saving changes move the
 * sessions in UTC, as they do in the real market): crypto trades always; FX from Sunday 17:00 to
 * Friday 17:00; US equities on weekdays, 09:30-16:00 regular with pre-market from 04:00 and
 * after-hours until 20:00.
 *
 * <p>Exchange holidays (Thanksgiving, Christmas, ...) and half days are deliberately ignored: the
 * simulator trades equities on them as on any weekday. Stateless and thread-safe. Every session
 * boundary falls on a whole minute in UTC, which callers may use to cache answers per minute.
 */
final class MarketHours {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static final LocalTime FX_ROLL = LocalTime.of(17, 0);
    private static final LocalTime PRE_MARKET_OPEN = LocalTime.of(4, 0);
    private static final LocalTime REGULAR_OPEN = LocalTime.of(9, 30);
    private static final LocalTime REGULAR_CLOSE = LocalTime.of(16, 0);
    private static final LocalTime AFTER_HOURS_CLOSE = LocalTime.of(20, 0);

    private MarketHours() {
    }

    /** The session an asset class is in at a time given in microseconds since the epoch. */
    static TradingSession session(AssetClass assetClass, long epochMicros) {
        if (assetClass == AssetClass.CRYPTO) {
            return TradingSession.REGULAR;
        }
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
        return session(assetClass, instant.atZone(NEW_YORK));
    }

    /** The session an asset class is in at a New York wall-clock time. */
    static TradingSession session(AssetClass assetClass, ZonedDateTime time) {
        ZonedDateTime ny = time.withZoneSameInstant(NEW_YORK);
        DayOfWeek day = ny.getDayOfWeek();
        LocalTime clock = ny.toLocalTime();
        return switch (assetClass) {
            case CRYPTO -> TradingSession.REGULAR;
            case FX -> switch (day) {
                case SATURDAY -> TradingSession.CLOSED;
                case SUNDAY -> clock.isBefore(FX_ROLL) ? TradingSession.CLOSED : TradingSession.REGULAR;
                case FRIDAY -> clock.isBefore(FX_ROLL) ? TradingSession.REGULAR : TradingSession.CLOSED;
                default -> TradingSession.REGULAR;
            };
            case EQUITY -> {
                if (day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY || clock.isBefore(PRE_MARKET_OPEN)
                        || !clock.isBefore(AFTER_HOURS_CLOSE)) {
                    yield TradingSession.CLOSED;
                }
                if (clock.isBefore(REGULAR_OPEN)) {
                    yield TradingSession.PRE_MARKET;
                }
                yield clock.isBefore(REGULAR_CLOSE) ? TradingSession.REGULAR : TradingSession.AFTER_HOURS;
            }
        };
    }
}
