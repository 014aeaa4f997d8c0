package io.tickwire.auth.totp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.AuthResult;
import io.tickwire.auth.TestAccounts;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TwoFactorTest {

    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void codesAreThoseOfRfc6238() {
        // RFC 6238 appendix B, SHA-1, last six of the eight digits
        assertThat(Totp.codeAt(RFC_SEED, 59_000)).isEqualTo("287082");
        assertThat(Totp.codeAt(RFC_SEED, 1_111_111_109_000L)).isEqualTo("081804");
        assertThat(Totp.codeAt(RFC_SEED, 1_234_567_890_000L)).isEqualTo("005924");
        assertThat(Totp.fromBase32(Totp.base32(RFC_SEED))).isEqualTo(RFC_SEED);
        assertThat(Totp.base32(RFC_SEED)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    private final ManualClock clock = new ManualClock(Instant.parse("2024-11-15T12:00:10Z"));
    private final TwoFactor twoFactor = new TwoFactor(clock, Duration.ofHours(8), 100);
    private final AccountBook book = TestAccounts.book(StoredCredentials.EMPTY.with("alice", c -> c.withTotp(
            new StoredCredentials.StoredTotp(TestAccounts.MASTER_KEY.encrypt(RFC_SEED, AccountBook.totpContext("alice")), null))));

    @Test
    void onlyAccountsWithASeedNeedASecondFactor() {
        assertThat(twoFactor.required(book, TestAccounts.ALICE)).isTrue();
        assertThat(twoFactor.required(book, TestAccounts.BOB)).isFalse();
    }

    @Test
    void acceptsTheCurrentCodeAndOneStepEitherSideOnceEach() {
        long now = clock.epochMillis();
        String previous = Totp.codeAt(RFC_SEED, now - 30_000);
        String current = Totp.codeAt(RFC_SEED, now);
        String next = Totp.codeAt(RFC_SEED, now + 30_000);
        String tooOld = Totp.codeAt(RFC_SEED, now - 60_000);
        assertThat(reason(twoFactor.verify(book, TestAccounts.ALICE, tooOld))).isEqualTo(AuthResult.Reason.TOTP_INVALID);
        assertThat(twoFactor.verify(book, TestAccounts.ALICE, previous)).isInstanceOf(TwoFactor.Outcome.Verified.class);
        assertThat(reason(twoFactor.verify(book, TestAccounts.ALICE, previous))).isEqualTo(AuthResult.Reason.TOTP_REUSED);
        assertThat(twoFactor.verify(book, TestAccounts.ALICE, current)).isInstanceOf(TwoFactor.Outcome.Verified.class);
        assertThat(reason(twoFactor.verify(book, TestAccounts.ALICE, current))).isEqualTo(AuthResult.Reason.TOTP_REUSED);
        assertThat(twoFactor.verify(book, TestAccounts.ALICE, next)).isInstanceOf(TwoFactor.Outcome.Verified.class);
        assertThat(reason(twoFactor.verify(book, TestAccounts.ALICE, "12345"))).isEqualTo(AuthResult.Reason.TOTP_INVALID);
        assertThat(reason(twoFactor.verify(book, TestAccounts.BOB, current))).isEqualTo(AuthResult.Reason.TOTP_INVALID);
    }

    @Test
    void aResumeTokenWorksForItsAccountUntilItsExpiryWhichResumingDoesNotExtend() {
        TwoFactor.Outcome outcome = twoFactor.verify(book, TestAccounts.ALICE, Totp.codeAt(RFC_SEED, clock.epochMillis()));
        TwoFactor.Grant grant = ((TwoFactor.Outcome.Verified) outcome).grant();
        assertThat(grant.expiresAtMicros()).isEqualTo(clock.epochMicros() + Duration.ofHours(8).toNanos() / 1_000);
        assertThat(grant.toString()).doesNotContain(grant.resumeToken());

        clock.advance(Duration.ofHours(7));
        assertThat(twoFactor.resume(TestAccounts.ALICE, grant.resumeToken())).isEqualTo(new TwoFactor.Outcome.Verified(grant));
        assertThat(reason(twoFactor.resume(TestAccounts.BOB, grant.resumeToken()))).isEqualTo(AuthResult.Reason.RESUME_INVALID);
        assertThat(reason(twoFactor.resume(TestAccounts.ALICE, "tw2f_guess"))).isEqualTo(AuthResult.Reason.RESUME_INVALID);
        clock.advance(Duration.ofHours(1));
        assertThat(reason(twoFactor.resume(TestAccounts.ALICE, grant.resumeToken()))).isEqualTo(AuthResult.Reason.RESUME_INVALID);
    }

    private static AuthResult.Reason reason(TwoFactor.Outcome outcome) {
        assertThat(outcome).isInstanceOf(TwoFactor.Outcome.Refused.class);
        return ((TwoFactor.Outcome.Refused) outcome).failure().reason();
    }
}
