package io.tickwire.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.AuthResult;
import io.tickwire.auth.AuthResult.Reason;
import io.tickwire.auth.Credential;
import io.tickwire.auth.TestAccounts;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.testkit.ManualClock;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {

    private static final KeyPair EC = JwtKeys.generate(JwtKeys.ES256);
    private static final KeyPair ED = JwtKeys.generate(JwtKeys.EDDSA);
    private static final KeyPair OTHER_EC = JwtKeys.generate(JwtKeys.ES256);
    private static final String EC_KID = "organizations/acme/apiKeys/ec-1";
    private static final String ED_KID = "organizations/acme/apiKeys/ed-1";

    private final ManualClock clock = new ManualClock();
    private final JwtAuthenticator jwt = new JwtAuthenticator(clock, Duration.ofMinutes(2), Duration.ofSeconds(5));
    private final AccountBook book = TestAccounts.book(StoredCredentials.EMPTY
            .with("alice", c -> c.withJwt(new StoredCredentials.StoredJwtKey(EC_KID, "ES256", JwtKeys.toPem(EC.getPublic()), null)))
            .with("bob", c -> c.withJwt(new StoredCredentials.StoredJwtKey(ED_KID, null, JwtKeys.toPem(ED.getPublic()), null))));

    private long now() {
        return clock.epochMillis() / 1_000;
    }

    private AuthResult check(String token) {
        return jwt.authenticate(book, new Credential.Jwt(token));
    }

    private Reason reason(String token) {
        AuthResult result = check(token);
        assertThat(result).isInstanceOf(AuthResult.Failure.class);
        return ((AuthResult.Failure) result).reason();
    }

    @Test
    void acceptsEs256AndEdDsaTokensOfTheirKeyUntilExp() {
        String es = TestJwts.mint("ES256", EC_KID, TestJwts.claims(EC_KID, now(), now() + 120), EC.getPrivate());
        assertThat(check(es)).isInstanceOfSatisfying(AuthResult.Success.class, s -> {
            assertThat(s.account()).isEqualTo(TestAccounts.ALICE);
            assertThat(s.credentialId()).isEqualTo(EC_KID);
            assertThat(s.expiresAtMicros()).as("exp plus the leeway").isEqualTo((now() + 125) * 1_000_000);
        });
        String ed = TestJwts.mint("EdDSA", ED_KID, TestJwts.claims(ED_KID, now(), now() + 120), ED.getPrivate());
        assertThat(check(ed)).isInstanceOfSatisfying(AuthResult.Success.class, s -> assertThat(s.account()).isEqualTo(TestAccounts.BOB));
        long start = now();
        clock.advance(Duration.ofSeconds(124));
        assertThat(check(es)).as("within the leeway, valid until the leeway ends too")
                .isInstanceOfSatisfying(AuthResult.Success.class, s -> assertThat(s.expiresAtMicros())
                        .isEqualTo((start + 125) * 1_000_000).isGreaterThan(clock.epochMicros()));
        clock.advance(Duration.ofSeconds(1));
        assertThat(reason(es)).isEqualTo(Reason.JWT_EXPIRED);
    }

    @Test
    void shouldRefuseAlgNoneAndAlgorithmConfusion() {
        String claims = TestJwts.claims(EC_KID, now(), now() + 60);
        assertThat(reason(TestJwts.unsigned(EC_KID, claims))).isEqualTo(Reason.JWT_ALG_NOT_ALLOWED);
        assertThat(reason(TestJwts.hmacWithPublicKey(EC_KID, claims, EC.getPublic().getEncoded()))).isEqualTo(Reason.JWT_ALG_NOT_ALLOWED);
        assertThat(reason(TestJwts.hmacWithPublicKey(EC_KID, claims, JwtKeys.toPem(EC.getPublic()).getBytes()))).isEqualTo(Reason.JWT_ALG_NOT_ALLOWED);
        assertThat(reason(TestJwts.withAlg("RS256", EC_KID, claims))).isEqualTo(Reason.JWT_ALG_NOT_ALLOWED);
        // an EdDSA token under a kid registered for ES256
        assertThat(reason(TestJwts.mint("EdDSA", EC_KID, claims, ED.getPrivate()))).isEqualTo(Reason.JWT_ALG_NOT_ALLOWED);
    }

    @Test
    void shouldRefuseUnknownKeyWrongKeyAndTamperedTokens() {
        assertThat(reason(TestJwts.mint("ES256", "nobody", TestJwts.claims("nobody", now(), now() + 60), EC.getPrivate())))
                .isEqualTo(Reason.JWT_UNKNOWN_KEY);
        assertThat(reason(TestJwts.mint("ES256", EC_KID, TestJwts.claims(EC_KID, now(), now() + 60), OTHER_EC.getPrivate())))
                .isEqualTo(Reason.JWT_INVALID);
        String good = TestJwts.mint("ES256", EC_KID, TestJwts.claims(EC_KID, now(), now() + 60), EC.getPrivate());
        String[] parts = good.split("\\.");
        String otherClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                TestJwts.claims(EC_KID, now(), now() + 100).getBytes());
        assertThat(reason(parts[0] + "." + otherClaims + "." + parts[2])).isEqualTo(Reason.JWT_INVALID);
        assertThat(reason("not.a.jwt")).isEqualTo(Reason.JWT_INVALID);
        assertThat(reason("x".repeat(JwtAuthenticator.MAX_LENGTH + 1))).isEqualTo(Reason.JWT_INVALID);
    }

    @Test
    void shouldRefuseTokensTooLongLivedNotYetValidOrMadeForRest() {
        assertThat(reason(TestJwts.mint("ES256", EC_KID, TestJwts.claims(EC_KID, now(), now() + 121), EC.getPrivate())))
                .isEqualTo(Reason.JWT_LIFETIME_TOO_LONG);
        assertThat(reason(TestJwts.mint("ES256", EC_KID, TestJwts.claims(EC_KID, now() + 60, now() + 120), EC.getPrivate())))
                .isEqualTo(Reason.JWT_NOT_YET_VALID);
        assertThat(reason(TestJwts.mint("ES256", EC_KID, "{\"sub\":\"" + EC_KID + "\",\"nbf\":" + now() + ",\"exp\":" + (now() + 60)
                + ",\"uri\":\"GET api.coinbase.com/api/v3/brokerage/accounts\"}", EC.getPrivate()))).isEqualTo(Reason.JWT_INVALID);
        assertThat(reason(TestJwts.mint("ES256", EC_KID, "{\"sub\":\"" + EC_KID + "\",\"nbf\":" + now() + "}", EC.getPrivate())))
                .as("no exp").isEqualTo(Reason.JWT_INVALID);
        assertThat(reason(TestJwts.mint("ES256", EC_KID, TestJwts.claims(ED_KID, now(), now() + 60), EC.getPrivate())))
                .as("sub is another key").isEqualTo(Reason.JWT_INVALID);
    }

    @Test
    void keysRoundTripThroughPem() {
        assertThat(JwtKeys.publicKeyFromPem(JwtKeys.toPem(ED.getPublic()))).isEqualTo(ED.getPublic());
        assertThat(JwtKeys.privateKeyFromPem(JwtKeys.toPem(EC.getPrivate()))).isEqualTo(EC.getPrivate());
        assertThat(JwtKeys.algorithmOf(JwtKeys.publicKeyFromPem(JwtKeys.toPem(EC.getPublic())))).isEqualTo("ES256");
    }
}
