package io.tickwire.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Credential;
import io.tickwire.auth.SchemeAuthenticator;
import io.tickwire.auth.TestAccounts;
import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.OidcProvider;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OAuth2 exchange against a real OpenID Connect provider on loopback. */
class SessionExchangeTest {

    private static OidcProvider provider;

    @BeforeAll
    static void startProvider() {
        provider = OidcProvider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(System.currentTimeMillis()));
    private final AccountDirectory directory = new AccountDirectory(new AccountDirectory.Configured(
            Map.of("alice", TestAccounts.ALICE), Map.of("alice", List.of("alice-client")), StoredCredentials.EMPTY),
            io.tickwire.auth.store.CredentialStore.inMemory(StoredCredentials.EMPTY), null);

    private SessionExchange exchange(URI issuer, URI jwks) {
        OidcSettings settings = new OidcSettings(issuer, "tickwire", jwks, "sub", Duration.ofDays(30), Duration.ofSeconds(30), null);
        return new SessionExchange(new AccessTokenValidator(settings, clock), directory, settings, clock);
    }

    @Test
    void aClientCredentialsTokenBecomesASessionTokenValidForThirtyDays() {
        SessionExchange exchange = exchange(provider.issuer("corp"), null);
        String accessToken = provider.clientCredentialsToken("corp", "alice-client", "tickwire");
        SessionExchange.Outcome outcome = exchange.exchange(accessToken);
        assertThat(outcome).isInstanceOf(SessionExchange.Outcome.Exchanged.class);
        SessionExchange.Outcome.Exchanged exchanged = (SessionExchange.Outcome.Exchanged) outcome;
        assertThat(exchanged.userId()).matches("sid:[0-9a-f]{32}");
        assertThat(exchanged.expiresAtMicros()).isEqualTo(clock.epochMicros() + Duration.ofDays(30).toNanos() / 1_000);
        assertThat(exchanged.toString()).doesNotContain(exchanged.sessionToken());
        SessionExchange.Outcome.Exchanged again = (SessionExchange.Outcome.Exchanged) exchange.exchange(
                provider.clientCredentialsToken("corp", "alice-client", "tickwire"));
        assertThat(again.userId()).as("one user id per client").isEqualTo(exchanged.userId());
        assertThat(again.sessionToken()).isNotEqualTo(exchanged.sessionToken());

        SchemeAuthenticator auth = new SchemeAuthenticator(directory, clock, SchemeAuthenticator.Settings.defaults());
        assertThat(auth.authenticate(new Credential.SessionToken(exchanged.sessionToken())))
                .isInstanceOfSatisfying(AuthResult.Success.class, s -> assertThat(s.account()).isEqualTo(TestAccounts.ALICE));
        clock.advance(Duration.ofDays(30));
        assertThat(auth.authenticate(new Credential.SessionToken(exchanged.sessionToken())))
                .isEqualTo(new AuthResult.Failure(AuthResult.Reason.CREDENTIAL_EXPIRED,
                        "the session token has expired; exchange a new access token"));
        assertThat(refusal(exchange(provider.issuer("corp"), null).exchange(accessToken)))
                .as("the access token itself expired by now").isEqualTo(AuthResult.Reason.JWT_EXPIRED);
    }

    @Test
    void shouldRefuseTokensOfAnotherAudienceIssuerOrClientAndExpiredOnes() {
        SessionExchange exchange = exchange(provider.issuer("corp"), null);
        assertThat(refusal(exchange.exchange(provider.clientCredentialsToken("corp", "alice-client", "other-api"))))
                .isEqualTo(AuthResult.Reason.JWT_INVALID);
        assertThat(refusal(exchange.exchange(provider.clientCredentialsToken("elsewhere", "alice-client", "tickwire"))))
                .as("another tenant signs with another key").isIn(AuthResult.Reason.JWT_UNKNOWN_KEY, AuthResult.Reason.JWT_INVALID);
        assertThat(refusal(exchange.exchange(provider.clientCredentialsToken("corp", "stranger", "tickwire"))))
                .isEqualTo(AuthResult.Reason.INVALID_CREDENTIAL);
        String shortLived = provider.issueToken("corp", "alice-client", "tickwire", 60);
        clock.advance(Duration.ofMinutes(2));
        assertThat(refusal(exchange.exchange(shortLived))).isEqualTo(AuthResult.Reason.JWT_EXPIRED);
        assertThat(refusal(exchange.exchange("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."))).isEqualTo(AuthResult.Reason.JWT_ALG_NOT_ALLOWED);
        assertThat(refusal(exchange.exchange("garbage"))).isEqualTo(AuthResult.Reason.JWT_INVALID);
    }

    @Test
    void aTamperedTokenFailsItsSignatureAndAnUnreachableProviderIsUnavailable() {
        SessionExchange exchange = exchange(provider.issuer("corp"), null);
        String token = provider.clientCredentialsToken("corp", "alice-client", "tickwire");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThat(refusal(exchange.exchange(forged))).isEqualTo(AuthResult.Reason.JWT_INVALID);
        SessionExchange down = exchange(provider.issuer("corp"), URI.create("http://127.0.0.1:1/jwks"));
        assertThat(down.exchange(token)).isInstanceOf(SessionExchange.Outcome.Unavailable.class);
    }

    private static AuthResult.Reason refusal(SessionExchange.Outcome outcome) {
        assertThat(outcome).isInstanceOf(SessionExchange.Outcome.Refused.class);
        return ((SessionExchange.Outcome.Refused) outcome).reason();
    }
}
