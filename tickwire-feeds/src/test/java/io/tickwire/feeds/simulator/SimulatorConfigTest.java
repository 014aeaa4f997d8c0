package io.tickwire.feeds.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void shouldDefaultToSeed42AtTwoThousandEventsPerSecondRespectingMarketHours() {
        SimulatorConfig defaults = SimulatorConfig.defaults();
        assertThat(defaults.seed()).isEqualTo(42);
        assertThat(defaults.eventsPerSecond()).isEqualTo(2_000);
        assertThat(defaults.respectMarketHours()).isTrue();
        assertThat(defaults.meanTimeBetweenBursts()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void shouldChangeOneFieldAtATime() {
        SimulatorConfig config = SimulatorConfig.defaults().withSeed(7).withEventsPerSecond(0)
                .withRespectMarketHours(false).withMeanTimeBetweenBursts(Duration.ZERO);
        assertThat(config).isEqualTo(new SimulatorConfig(7, 0, false, Duration.ZERO));
    }

    @Test
    void shouldRejectRatesOutsideTheSupportedRange() {
        assertThatThrownBy(() -> SimulatorConfig.defaults().withEventsPerSecond(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventsPerSecond must be between 0 and 10000000 (0 = paused), was -1.0");
        assertThatThrownBy(() -> SimulatorConfig.defaults().withEventsPerSecond(Double.NaN))
                .hasMessageContaining("was NaN");
        assertThatThrownBy(() -> SimulatorConfig.defaults().withEventsPerSecond(Double.POSITIVE_INFINITY))
                .hasMessageContaining("was Infinity");
        assertThatThrownBy(() -> SimulatorConfig.defaults().withEventsPerSecond(20_000_000))
                .hasMessageContaining("eventsPerSecond must be between 0 and 10000000");
        assertThat(SimulatorConfig.defaults().withEventsPerSecond(100_000).eventsPerSecond()).isEqualTo(100_000);
        assertThat(SimulatorConfig.defaults().withEventsPerSecond(0.5).eventsPerSecond()).isEqualTo(0.5);
    }

    @Test
    void shouldRejectNegativeOrMissingBurstIntervals() {
        assertThatThrownBy(() -> SimulatorConfig.defaults().withMeanTimeBetweenBursts(Duration.ofSeconds(-1)))
                .hasMessageContaining("meanTimeBetweenBursts must not be negative");
        assertThatThrownBy(() -> SimulatorConfig.defaults().withMeanTimeBetweenBursts(Duration.ofNanos(10)))
                .hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> SimulatorConfig.defaults().withMeanTimeBetweenBursts(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("meanTimeBetweenBursts");
    }
}
