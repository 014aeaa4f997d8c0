package io.tickwire.auth.hmac;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Credential;
import io.tickwire.auth.TestAccounts;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HmacAuthenticatorTest {

    private final ManualClock clock = new ManualClock();
    private final HmacAuthenticator hmac = new HmacAuthenticator(clock, Duration.ofSeconds(30), 1_000);
    private final AccountBook book = TestAccounts.book(StoredCredentials.EMPTY.with("alice", c -> c.withHmac(
            new StoredCredentials.StoredHmacKey("web-id", "web-key", TestAccounts.MASTER_KEY.encrypt(
                    "s3cret".getBytes(StandardCharsets.UTF_8), AccountBook.hmacContext("alice", "web-id")), null))));

    /** The authenticator has run a minute: timestamps up to the window's edge are after its start. */
    @org.junit.jupiter.api.BeforeEach
    void runAMinute() {
        clock.advance(Duration.ofMinutes(1));
    }

    private Credential.HmacSignature login(long timestamp, String id, String key, String secret) {
        return new Credential.HmacSignature(id, key, Long.toString(timestamp), HmacSignatures.sign(timestamp, id, key, secret));
    }

    @Test
    void signatureIsTheOneTickTradersJavaScriptComputes() {
        // CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA256(1475157761354 + "id-1" + "key-1", "secret")),
        // checked with an independent HMAC implementation
        assertThat(HmacSignatures.sign(1475157761354L, "id-1", "key-1", "secret"))
                .isEqualTo("AxFfeO5muNHGHSM9drygFSPY4VqxVSd5dzR1GGNzZuM=");
    }

    @Test
    void acceptsAFreshSignatureOnceAndRefusesItsReplay() {
        Credential.HmacSignature login = login(clock.epochMillis() - 1_000, "web-id", "web-key", "s3cret");
        AuthResult first = hmac.authenticate(book, login);
        assertThat(first).isInstanceOfSatisfying(AuthResult.Success.class, s -> {
            assertThat(s.account()).isEqualTo(TestAccounts.ALICE);
            assertThat(s.credentialId()).isEqualTo("web-id");
        });
        assertThat(reason(hmac.authenticate(book, login))).isEqualTo(AuthResult.Reason.SIGNATURE_REPLAYED);
        clock.advance(Duration.ofMillis(1));
        assertThat(hmac.authenticate(book, login(clock.epochMillis(), "web-id", "web-key", "s3cret")))
                .isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void shouldRefuseTimestampsOutsideTheWindowEitherWay() {
        long now = clock.epochMillis();
        assertThat(hmac.authenticate(book, login(now - 30_000, "web-id", "web-key", "s3cret"))).isInstanceOf(AuthResult.Success.class);
        assertThat(reason(hmac.authenticate(book, login(now - 30_001, "web-id", "web-key", "s3cret"))))
                .isEqualTo(AuthResult.Reason.TIMESTAMP_OUT_OF_WINDOW);
        assertThat(reason(hmac.authenticate(book, login(now + 30_001, "web-id", "web-key", "s3cret"))))
                .isEqualTo(AuthResult.Reason.TIMESTAMP_OUT_OF_WINDOW);
        assertThat(reason(hmac.authenticate(book, new Credential.HmacSignature("web-id", "web-key", "yesterday", "x"))))
                .isEqualTo(AuthResult.Reason.TIMESTAMP_OUT_OF_WINDOW);
    }

    @Test
    void aLoginSignedBeforeTheServerStartedIsRefusedSinceItsPreviousRunMayHaveAcceptedIt() {
        ManualClock restarted = new ManualClock();
        HmacAuthenticator fresh = new HmacAuthenticator(restarted, Duration.ofSeconds(30), 1_000);
        long start = restarted.epochMillis();
        AuthResult before = fresh.authenticate(book, login(start - 1, "web-id", "web-key", "s3cret"));
        assertThat(reason(before)).isEqualTo(AuthResult.Reason.TIMESTAMP_OUT_OF_WINDOW);
        assertThat(((AuthResult.Failure) before).message()).contains("before the server started");
        assertThat(fresh.authenticate(book, login(start, "web-id", "web-key", "s3cret"))).isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void shouldRefuseAWrongSecretKeyOrIdAlike() {
        long now = clock.epochMillis();
        assertThat(reason(hmac.authenticate(book, login(now, "web-id", "web-key", "wrong")))).isEqualTo(AuthResult.Reason.SIGNATURE_INVALID);
        assertThat(reason(hmac.authenticate(book, login(now, "web-id", "other-key", "s3cret")))).isEqualTo(AuthResult.Reason.SIGNATURE_INVALID);
        assertThat(reason(hmac.authenticate(book, login(now, "nobody", "web-key", "s3cret")))).isEqualTo(AuthResult.Reason.SIGNATURE_INVALID);
        assertThat(reason(hmac.authenticate(book, new Credential.HmacSignature("web-id", "web-key", Long.toString(now), "%%%"))))
                .isEqualTo(AuthResult.Reason.SIGNATURE_INVALID);
        assertThat(login(now, "web-id", "web-key", "s3cret").toString()).doesNotContain(login(now, "web-id", "web-key", "s3cret").signature());
    }

    @Test
    void replayGuardForgetsSignaturesOnlyOnceTheirTimestampCannotPassAnyMore() {
        ReplayGuard guard = new ReplayGuard(30_000, 2);
        assertThat(guard.firstUse("id", "a", 1_000, 1_000)).isTrue();
        assertThat(guard.firstUse("id", "b", 1_000, 1_000)).isTrue();
        assertThat(guard.firstUse("id", "c", 1_000, 1_000)).as("full: refused, never forgotten early").isFalse();
        assertThat(guard.firstUse("id", "a", 1_000, 60_000)).as("still remembered at the edge").isFalse();
        assertThat(guard.firstUse("id", "c", 62_000, 62_001)).isTrue();
        assertThat(guard.size()).isEqualTo(1);
    }

    private static AuthResult.Reason reason(AuthResult result) {
        assertThat(result).isInstanceOf(AuthResult.Failure.class);
        return ((AuthResult.Failure) result).reason();
    }
}
