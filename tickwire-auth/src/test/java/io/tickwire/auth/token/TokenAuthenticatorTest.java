package io.tickwire.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.auth.Account;
import io.tickwire.auth.AuthResult;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Credential;
import io.tickwire.auth.Plan;
import io.tickwire.model.Channel;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {

    private static final Plan PLAN = new Plan("basic", 2, ConnectionPolicy.REJECT_NEW, 10, Set.of(Channel.QUOTE), 10, 20);
    private static final Account ALICE = new Account("alice", PLAN);
    private static final Account BOB = new Account("bob", PLAN);

    @Test
    void acceptsTheTokenWhoseHashIsStoredAndNothingElse() {
        String token = TokenHash.newToken();
        TokenAuthenticator auth = TokenAuthenticator.builder().add(TokenHash.of(token), ALICE).build();
        assertThat(auth.authenticate(new Credential.ApiToken(token))).isEqualTo(new AuthResult.Success(ALICE, TokenHash.idOfStored(TokenHash.of(token)), AuthResult.Success.NEVER));
        assertThat(auth.authenticate(new Credential.ApiToken(token + "x"))).isInstanceOf(AuthResult.Failure.class);
        assertThat(auth.authenticate(new Credential.ApiToken(TokenHash.of(token))))
                .as("the stored hash itself is not a token").isInstanceOf(AuthResult.Failure.class);
    }

    @Test
    void storedHashesAreCaseInsensitiveHex() {
        TokenAuthenticator auth = TokenAuthenticator.builder().add(TokenHash.of("abc").toUpperCase().replace("SHA256", "sha256"), BOB).build();
        assertThat(auth.authenticate(new Credential.ApiToken("abc"))).isInstanceOfSatisfying(AuthResult.Success.class, s -> assertThat(s.account()).isEqualTo(BOB));
    }

    @Test
    void shouldRejectMalformedOrConflictingHashes() {
        assertThatThrownBy(() -> TokenAuthenticator.builder().add("md5:abc", ALICE)).hasMessageContaining("sha256");
        assertThatThrownBy(() -> TokenAuthenticator.builder().add("sha256:zz", ALICE)).hasMessageContaining("64 hex");
        assertThatThrownBy(() -> TokenAuthenticator.builder().add(TokenHash.of("t"), ALICE).add(TokenHash.of("t"), BOB))
                .hasMessageContaining("alice").hasMessageContaining("bob");
    }

    @Test
    void newTokensAreUniqueAndNeverPrinted() {
        assertThat(TokenHash.newToken()).startsWith("tw_").hasSize(43).isNotEqualTo(TokenHash.newToken());
        assertThat(new Credential.ApiToken("secret").toString()).doesNotContain("secret");
    }
}
