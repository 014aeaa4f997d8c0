package io.tickwire.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(42));

    @Test
    void ceilingDoublesFromTwiceTheMinimumUpToTheMaximum() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(6_400));
        assertThat(backoff.ceiling(8)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyDelayLiesBetweenTheMinimumAndTheCeiling() {
        for (int failures = 0; failures < 40; failures++) {
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delay(failures)).isBetween(Duration.ofMillis(100), backoff.ceiling(failures));
            }
        }
    }

    @Test
    void delaysAreSpreadOutNotInLockStep() {
        long distinct = java.util.stream.IntStream.range(0, 100).mapToObj(i -> backoff.delay(6)).distinct().count();
        assertThat(distinct).isGreaterThan(90);
    }

    @Test
    void equalBoundsGiveAFixedDelay() {
        Backoff fixed = new Backoff(Duration.ofMillis(50), Duration.ofMillis(50), new SplittableRandom(1));
        assertThat(fixed.delay(0)).isEqualTo(Duration.ofMillis(50));
        assertThat(fixed.delay(10)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void shouldRefuseBoundsInTheWrongOrder() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
