package io.tickwire.feeds.simulator;

import static io.tickwire.feeds.simulator.TradingSession.AFTER_HOURS;
import static io.tickwire.feeds.simulator.TradingSession.CLOSED;
import static io.tickwire.feeds.simulator.TradingSession.PRE_MARKET;
import static io.tickwire.feeds.simulator.TradingSession.REGULAR;
import static io.tickwire.model.AssetClass.CRYPTO;
import static io.tickwire.model.AssetClass.EQUITY;
import static io.tickwire.model.AssetClass.FX;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.AssetClass;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Times are written in UTC on purpose: the same UTC hour falls in a different New York session
 * before and after a daylight-saving change, which is what these tests pin down.
 */
class MarketHoursTest {

    @Test
    void equitiesTradeOnWeekdaysInNewYorkSessions() {
        // Wednesday 13 November 2024, New York on EST (UTC-5).
        assertThat(at(EQUITY, "2024-11-13T15:00:00Z")).as("10:00 NY").isEqualTo(REGULAR);
        assertThat(at(EQUITY, "2024-11-13T14:29:59Z")).as("09:29:59 NY").isEqualTo(PRE_MARKET);
        assertThat(at(EQUITY, "2024-11-13T14:30:00Z")).as("09:30 NY").isEqualTo(REGULAR);
        assertThat(at(EQUITY, "2024-11-13T20:59:59Z")).as("15:59:59 NY").isEqualTo(REGULAR);
        assertThat(at(EQUITY, "2024-11-13T21:00:00Z")).as("16:00 NY").isEqualTo(AFTER_HOURS);
        assertThat(at(EQUITY, "2024-11-14T00:59:59Z")).as("19:59:59 NY").isEqualTo(AFTER_HOURS);
        assertThat(at(EQUITY, "2024-11-14T01:00:00Z")).as("20:00 NY").isEqualTo(CLOSED);
        assertThat(at(EQUITY, "2024-11-14T03:00:00Z")).as("22:00 NY").isEqualTo(CLOSED);
        assertThat(at(EQUITY, "2024-11-13T08:00:00Z")).as("03:00 NY").isEqualTo(CLOSED);
        assertThat(at(EQUITY, "2024-11-13T09:00:00Z")).as("04:00 NY").isEqualTo(PRE_MARKET);
    }

    @Test
    void equitiesAreClosedAtWeekends() {
        assertThat(at(EQUITY, "2024-11-16T15:00:00Z")).as("Saturday 10:00 NY").isEqualTo(CLOSED);
        assertThat(at(EQUITY, "2024-11-17T15:00:00Z")).as("Sunday 10:00 NY").isEqualTo(CLOSED);
        assertThat(at(EQUITY, "2024-11-16T01:30:00Z")).as("Friday 20:30 NY").isEqualTo(CLOSED);
    }

    @Test
    void equitiesOpenAtTenNewYorkTimeOnBothSidesOfTheSpringChange() {
        // Clocks went forward on Sunday 9 March 2025: 10:00 NY is 15:00 UTC before, 14:00 UTC after.
        assertThat(at(EQUITY, "2025-03-07T15:00:00Z")).as("Friday 10:00 EST").isEqualTo(REGULAR);
        assertThat(at(EQUITY, "2025-03-07T14:00:00Z")).as("Friday 09:00 EST").isEqualTo(PRE_MARKET);
        assertThat(at(EQUITY, "2025-03-10T14:00:00Z")).as("Monday 10:00 EDT").isEqualTo(REGULAR);
        assertThat(at(EQUITY, "2025-03-10T13:29:00Z")).as("Monday 09:29 EDT").isEqualTo(PRE_MARKET);
        assertThat(at(EQUITY, "2025-03-10T20:00:00Z")).as("Monday 16:00 EDT").isEqualTo(AFTER_HOURS);
    }

    @Test
    void equitiesOpenAtTenNewYorkTimeOnBothSidesOfTheAutumnChange() {
        // Clocks went back on Sunday 2 November 2025: 10:00 NY is 14:00 UTC before, 15:00 UTC after.
        assertThat(at(EQUITY, "2025-10-31T14:00:00Z")).as("Friday 10:00 EDT").isEqualTo(REGULAR);
        assertThat(at(EQUITY, "2025-11-03T15:00:00Z")).as("Monday 10:00 EST").isEqualTo(REGULAR);
        assertThat(at(EQUITY, "2025-11-03T14:00:00Z")).as("Monday 09:00 EST").isEqualTo(PRE_MARKET);
        assertThat(at(EQUITY, "2025-11-02T06:30:00Z")).as("Sunday 01:30 EST, the repeated hour").isEqualTo(CLOSED);
    }

    @Test
    void fxTradesFromSundayEveningToFridayEveningNewYorkTime() {
        assertThat(at(FX, "2024-11-13T12:00:00Z")).as("Wednesday").isEqualTo(REGULAR);
        assertThat(at(FX, "2024-11-14T03:00:00Z")).as("Wednesday night").isEqualTo(REGULAR);
        assertThat(at(FX, "2024-11-16T15:00:00Z")).as("Saturday").isEqualTo(CLOSED);
        assertThat(at(FX, "2024-11-15T21:59:59Z")).as("Friday 16:59:59 EST").isEqualTo(REGULAR);
        assertThat(at(FX, "2024-11-15T22:00:00Z")).as("Friday 17:00 EST").isEqualTo(CLOSED);
        assertThat(at(FX, "2024-11-17T21:59:59Z")).as("Sunday 16:59:59 EST").isEqualTo(CLOSED);
        assertThat(at(FX, "2024-11-17T22:00:00Z")).as("Sunday 17:00 EST").isEqualTo(REGULAR);
    }

    @Test
    void fxOpensAtFiveNewYorkTimeWhateverTheOffset() {
        // Sunday 9 March 2025 is the day clocks go forward: 17:00 EDT is 21:00 UTC.
        assertThat(at(FX, "2025-03-09T20:59:00Z")).as("Sunday 16:59 EDT").isEqualTo(CLOSED);
        assertThat(at(FX, "2025-03-09T21:00:00Z")).as("Sunday 17:00 EDT").isEqualTo(REGULAR);
        // A week earlier, on EST, the same UTC time is still before the open.
        assertThat(at(FX, "2025-03-02T21:00:00Z")).as("Sunday 16:00 EST").isEqualTo(CLOSED);
        assertThat(at(FX, "2025-03-02T22:00:00Z")).as("Sunday 17:00 EST").isEqualTo(REGULAR);
        assertThat(at(FX, "2025-03-14T21:00:00Z")).as("Friday 17:00 EDT").isEqualTo(CLOSED);
        assertThat(at(FX, "2025-03-14T20:59:59Z")).as("Friday 16:59:59 EDT").isEqualTo(REGULAR);
    }

    @Test
    void cryptoNeverCloses() {
        for (String time : new String[] {"2024-11-16T15:00:00Z", "2024-11-17T03:00:00Z", "2025-03-09T07:30:00Z",
                "2024-12-25T12:00:00Z", "1970-01-01T00:00:00Z"}) {
            assertThat(at(CRYPTO, time)).as(time).isEqualTo(REGULAR);
        }
    }

    @Test
    void onlyClosedHasNoActivity() {
        assertThat(CLOSED.isOpen()).isFalse();
        assertThat(CLOSED.activity()).isZero();
        assertThat(REGULAR.activity()).isEqualTo(1.0);
        assertThat(PRE_MARKET.activity()).isBetween(0.01, 0.2);
        assertThat(AFTER_HOURS.activity()).isBetween(0.01, 0.2);
    }

    private static TradingSession at(AssetClass assetClass, String utc) {
        Instant instant = Instant.parse(utc);
        return MarketHours.session(assetClass, instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
    }
}
