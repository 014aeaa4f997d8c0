package io.tickwire.auth.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailedLoginsTest {

    private final ManualClock clock = new ManualClock();
    private final FailedLogins throttle = new FailedLogins(clock, 10, Duration.ofMinutes(1), Duration.ofMinutes(5), 1_000);

    @Test
    void tenFailuresInAMinuteBanTheAddressForFiveMinutes() {
        for (int i = 0; i < 9; i++) {
            assertThat(throttle.failed("10.0.0.1", "token:" + i)).isFalse();
        }
        assertThat(throttle.bannedForMillis("10.0.0.1", null)).isZero();
        assertThat(throttle.failed("10.0.0.1", "token:9")).isTrue();
        assertThat(throttle.bannedForMillis("10.0.0.1", "token:new")).isEqualTo(300_000);
        assertThat(throttle.bannedForMillis("10.0.0.2", "token:new")).as("other addresses carry on").isZero();
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(throttle.bannedForMillis("10.0.0.1", null)).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.bannedForMillis("10.0.0.1", null)).isZero();
    }

    @Test
    void aClockWithANegativeOriginBansNobodyUnprovoked() {
        io.tickwire.model.Clock negative = new io.tickwire.model.Clock() {
            @Override
            public long epochMicros() {
                return 0;
            }

            @Override
            public long monotonicNanos() {
                return -5_000_000_000L; // System.nanoTime() may be negative
            }
        };
        FailedLogins onNegative = new FailedLogins(negative, 10, Duration.ofMinutes(1), Duration.ofMinutes(5), 10);
        onNegative.failed("10.0.0.1", "k");
        assertThat(onNegative.bannedForMillis("10.0.0.1", "k")).isZero();
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowDoNotBan() {
        for (int i = 0; i < 30; i++) {
            throttle.failed("10.0.0.1", null);
            clock.advance(Duration.ofSeconds(7));
        }
        assertThat(throttle.bannedForMillis("10.0.0.1", null)).isZero();
    }

    @Test
    void aKeyIsBannedAcrossAddressesAndASuccessClearsItsCount() {
        for (int i = 0; i < 9; i++) {
            throttle.failed("10.0.1." + i, "totp:desk");
        }
        throttle.succeeded("totp:desk");
        throttle.failed("10.0.2.1", "totp:desk");
        assertThat(throttle.bannedForMillis("10.0.3.1", "totp:desk")).isZero();
        for (int i = 0; i < 9; i++) {
            throttle.failed("10.0.4." + i, "totp:desk");
        }
        assertThat(throttle.bannedForMillis("10.0.3.1", "totp:desk")).isEqualTo(300_000);
    }

    @Test
    void aKeyOfAnyLengthIsKeptInAFewDozenCharactersAndStillToldApart() {
        // a key a client chose (a 64 KB Web API id): 65,536 of them must not cost gigabytes
        String huge = "totp:" + "x".repeat(65_536);
        for (int i = 0; i < 10; i++) {
            throttle.failed("10.0.5." + i, huge);
        }
        assertThat(throttle.retainedChars()).isLessThan(10 * 16 + 100);
        assertThat(throttle.bannedForMillis("10.0.6.1", huge)).isEqualTo(300_000);
        assertThat(throttle.bannedForMillis("10.0.6.1", huge + "y")).as("another long key with the same beginning").isZero();
        throttle.succeeded(huge);
        assertThat(throttle.bannedForMillis("10.0.6.1", huge)).as("a success forgets the long key too").isZero();
    }
}
