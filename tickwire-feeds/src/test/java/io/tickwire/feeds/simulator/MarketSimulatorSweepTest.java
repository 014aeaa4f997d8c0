package io.tickwire.feeds.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.feeds.catalog.SimulationCatalog;
import io.tickwire.model.MarketEvent;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tape stays consistent whatever the seed, the pace of time, the time of the week and the
 * market-hours flag: forty cases drawn from a fixed seed, so a failure reproduces by its name.
 */
class MarketSimulatorSweepTest {

    private static final SimulationCatalog CATALOG = DefaultCatalog.load();
    /** Sunday 10 November 2024, 00:00 UTC. */
    private static final long WEEK_START = MarketSimulatorTest.micros("2024-11-10T00:00:00Z");

    static Stream<Arguments> cases() {
        SplittableRandom random = new SplittableRandom(20_241_110);
        return Stream.generate(() -> Arguments.of(
                        random.nextLong(),
                        random.nextInt(4) == 0 ? random.nextInt(2_000_001) : random.nextInt(2_001),
                        random.nextLong(7L * 24 * 3600),
                        random.nextBoolean()))
                .limit(40);
    }

    @ParameterizedTest(name = "seed {0}, every {1} us, from second {2} of the week, market hours {3}")
    @MethodSource("cases")
    void everyTapeIsConsistent(long seed, int stepMicros, long startSecondOfWeek, boolean respectMarketHours) {
        SimulatorConfig config = SimulatorConfig.defaults().withSeed(seed).withRespectMarketHours(respectMarketHours);
        MarketSimulator simulator = new MarketSimulator(CATALOG, config);
        Tape tape = new Tape(CATALOG.instruments());
        long now = WEEK_START + startSecondOfWeek * 1_000_000L;
        int seen = 0;
        for (int i = 0; i < 3_000; i++) {
            now += stepMicros;
            MarketEvent event = simulator.next(now);
            if (event != null) {
                tape.check(event);
                seen++;
            }
        }
        // Crypto never closes, so something always trades.
        assertThat(seen).isEqualTo(3_000);
    }
}
