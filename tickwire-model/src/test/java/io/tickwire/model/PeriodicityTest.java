package io.tickwire.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import org.junit.jupiter.api.Test;

class PeriodicityTest {

    private static long micros(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    @Test
    void barsStartOnUtcBoundaries() {
        long t = micros("2024-11-15T13:47:31.250Z"); // a Friday
        assertThat(Periodicity.M1.startOf(t)).isEqualTo(micros("2024-11-15T13:47:00Z"));
        assertThat(Periodicity.M5.startOf(t)).isEqualTo(micros("2024-11-15T13:45:00Z"));
        assertThat(Periodicity.M15.startOf(t)).isEqualTo(micros("2024-11-15T13:45:00Z"));
        assertThat(Periodicity.M30.startOf(t)).isEqualTo(micros("2024-11-15T13:30:00Z"));
        assertThat(Periodicity.H1.startOf(t)).isEqualTo(micros("2024-11-15T13:00:00Z"));
        assertThat(Periodicity.H4.startOf(t)).isEqualTo(micros("2024-11-15T12:00:00Z"));
        assertThat(Periodicity.D1.startOf(t)).isEqualTo(micros("2024-11-15T00:00:00Z"));
        assertThat(Periodicity.W1.startOf(t)).isEqualTo(micros("2024-11-11T00:00:00Z"));
        assertThat(Periodicity.MN1.startOf(t)).isEqualTo(micros("2024-11-01T00:00:00Z"));
    }

    @Test
    void nextCrossesMonthsOfEveryLength() {
        assertThat(Periodicity.MN1.next(micros("2024-01-01T00:00:00Z"))).isEqualTo(micros("2024-02-01T00:00:00Z"));
        assertThat(Periodicity.MN1.next(micros("2024-02-01T00:00:00Z"))).isEqualTo(micros("2024-03-01T00:00:00Z"));
        assertThat(Periodicity.MN1.next(micros("2024-12-01T00:00:00Z"))).isEqualTo(micros("2025-01-01T00:00:00Z"));
        assertThat(Periodicity.W1.next(micros("2024-11-11T00:00:00Z"))).isEqualTo(micros("2024-11-18T00:00:00Z"));
        assertThat(Periodicity.W1.startOf(micros("2024-11-17T23:59:59Z"))).isEqualTo(micros("2024-11-11T00:00:00Z"));
        assertThat(Periodicity.W1.startOf(micros("2024-11-18T00:00:00Z"))).isEqualTo(micros("2024-11-18T00:00:00Z"));
    }

    @Test
    void weeksAndMonthsAgreeWithTheCalendarOnEveryDayFrom1900To2200() {
        long day = 86_400_000_000L;
        for (LocalDate d = LocalDate.of(1900, 1, 1); d.getYear() < 2200; d = d.plusDays(1)) {
            long midnight = d.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
            long monday = d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC)
                    .toEpochSecond() * 1_000_000L;
            long first = d.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
            for (long t : new long[] {midnight, midnight + day / 2, midnight + day - 1}) {
                assertThat(Periodicity.W1.startOf(t)).as("week of %s", d).isEqualTo(monday);
                assertThat(Periodicity.MN1.startOf(t)).as("month of %s", d).isEqualTo(first);
            }
        }
    }

    @Test
    void boundariesBeforeTheEpochRoundDown() {
        assertThat(Periodicity.M1.startOf(-1)).isEqualTo(-60_000_000L);
    }

    @Test
    void oneTableMapsEveryProtocolsName() {
        for (Periodicity p : Periodicity.values()) {
            assertThat(Periodicity.fromWire(p.wireName())).isEqualTo(p);
            assertThat(Periodicity.fromTickTrader(p.tickTraderName())).isEqualTo(p);
            if (p.itickCode() != 0) {
                assertThat(Periodicity.fromItickCode(p.itickCode())).isEqualTo(p);
            }
        }
        assertThat(Periodicity.fromItickCode(8)).isEqualTo(Periodicity.D1);
        assertThat(Periodicity.fromItickCode(10)).isEqualTo(Periodicity.MN1);
        assertThat(Periodicity.fromItickCode(6)).isNull();
        assertThat(Periodicity.fromWire("1M")).isEqualTo(Periodicity.MN1);
        assertThat(Periodicity.fromWire("1m")).isEqualTo(Periodicity.M1);
        assertThat(PriceType.fromWire("Bid")).isEqualTo(PriceType.BID);
        assertThat(PriceType.ASK.tickTraderName()).isEqualTo("Ask");
    }
}
