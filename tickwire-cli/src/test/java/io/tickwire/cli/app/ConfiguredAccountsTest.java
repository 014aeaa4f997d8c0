package io.tickwire.cli.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.auth.AuthResult;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Credential;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.cli.config.ConfigException;
import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredAccountsTest {

    @TempDir
    Path dir;

    private TickwireConfig config(String accounts) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                plans:
                  basic: {maxConnections: 1, onConnectionLimit: replace-oldest, maxSymbols: 10,
                          channels: [quote], requestsPerSecond: 5, requestBurst: 10}
                """ + accounts);
        return new ConfigLoader().load(file, Map.of());
    }

    @Test
    void buildsAccountsWithTheirPlansFromHashedTokens() throws IOException {
        var auth = ConfiguredAccounts.authenticator(config("""
                accounts:
                  - {name: desk, plan: basic, tokens: ["%s"]}
                """.formatted(TokenHash.of("s3cret"))));
        AuthResult result = auth.authenticate(new Credential.ApiToken("s3cret"));
        assertThat(result).isInstanceOf(AuthResult.Success.class);
        var account = ((AuthResult.Success) result).account();
        assertThat(account.name()).isEqualTo("desk");
        assertThat(account.plan().onConnectionLimit()).isEqualTo(ConnectionPolicy.REPLACE_OLDEST);
        assertThat(account.plan().channels()).containsExactly(Channel.QUOTE);
    }

    @Test
    void shouldNameTheMistake() throws IOException {
        assertThatThrownBy(() -> ConfiguredAccounts.authenticator(config("accounts: [{name: a, plan: gold, tokens: []}]\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no plan named 'gold'");
        assertThatThrownBy(() -> ConfiguredAccounts.authenticator(config(
                "accounts: [{name: a, plan: basic, tokens: [plain-token]}]\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("accounts.a.tokens").hasMessageContaining("sha256");
        assertThatThrownBy(() -> ConfiguredAccounts.authenticator(config(
                "accounts: [{name: a, plan: basic}, {name: a, plan: basic}]\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("defined twice");
        Path file = dir.resolve("bad-plan.yaml");
        Files.writeString(file, "plans:\n  p: {maxConnections: 1, onConnectionLimit: kick, maxSymbols: 1, channels: [quote],"
                + " requestsPerSecond: 1, requestBurst: 1}\n");
        TickwireConfig badPolicy = new ConfigLoader().load(file, Map.of());
        assertThatThrownBy(() -> ConfiguredAccounts.authenticator(badPolicy))
                .isInstanceOf(ConfigException.class).hasMessageContaining("plans.p").hasMessageContaining("reject-new or replace-oldest");
    }
}
