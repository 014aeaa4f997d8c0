package io.tickwire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Credential;
import io.tickwire.auth.store.CredentialsFile;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.cli.app.TickwireApp;
import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.model.Clock;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration or credentials file cut short (an editor's crash, a copy over the live file)
 * must not revoke everyone on the next reload: only a file that says "none" in so many words does.
 */
class TruncatedAccountsFilesTest {

    @TempDir
    Path dir;

    private static final String ACCOUNTS = """
            accounts:
              - {name: desk, plan: pro}
            """;

    private Path config;
    private Path credentials;

    private void writeConfig(String accounts) throws Exception {
        Files.writeString(config, """
                server: {host: 127.0.0.1, port: 0}
                simulator: {enabled: false}
                store: {enabled: false}
                plans:
                  pro: {maxConnections: 5, maxSymbols: 10, channels: [quote, trade], requestsPerSecond: 50, requestBurst: 100}
                auth:
                  credentialsFile: credentials.yaml
                  reloadInterval: 1h
                """ + accounts);
    }

    private TickwireApp start() throws Exception {
        config = dir.resolve("tickwire.yaml");
        credentials = dir.resolve("credentials.yaml");
        writeConfig(ACCOUNTS);
        new CredentialsFile(credentials).update(s -> s.with("desk", c -> c.withToken(
                new StoredCredentials.StoredToken("tok-x", TokenHash.of("desk-token"), null))));
        return TickwireApp.start(new ConfigLoader().load(config, Map.of()), Clock.system(), Map.of(), config);
    }

    private static RawWebSocketClient session(TickwireApp app) {
        RawWebSocketClient session = RawWebSocketClient.connect(URI.create(app.nativeUrl()), Map.of("token", "desk-token"));
        session.expect(ServerMessage.Welcome.class);
        assertThat(session.expect(ServerMessage.Authenticated.class).account()).isEqualTo("desk");
        return session;
    }

    /** The session was not closed: it still answers, and its answer is the next thing it gets. */
    private static void stillServed(RawWebSocketClient session, String id) {
        session.send(CommandWriter.ping(id, "alive"));
        assertThat(session.expect(ServerMessage.Pong.class).id()).isEqualTo(id);
    }

    @Test
    void aCredentialsFileCutToItsCommentHeaderIsRefusedAndOnlyAnExplicitEmptyOneRevokes() throws Exception {
        try (TickwireApp app = start(); RawWebSocketClient session = session(app)) {
            String whole = Files.readString(credentials);
            Files.writeString(credentials, whole.substring(0, whole.indexOf("accounts:")));
            assertThatThrownBy(app::reloadAccounts).hasMessageContaining("refused")
                    .hasMessageContaining("accounts: {}");
            stillServed(session, "p1");

            Files.writeString(credentials, whole.substring(0, whole.indexOf("accounts:") + "accounts:".length()) + "\n");
            assertThatThrownBy(app::reloadAccounts).hasMessageContaining("refused");
            Files.delete(credentials);
            assertThatThrownBy(app::reloadAccounts).hasMessageContaining("refused");
            stillServed(session, "p2");
            assertThat(app.accounts().get().tokens().authenticate(new Credential.ApiToken("desk-token")))
                    .isInstanceOf(AuthResult.Success.class);

            Files.writeString(credentials, "accounts: {}\n");
            app.reloadAccounts();
            assertThat(session.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
            assertThat(session.awaitClose().code()).isEqualTo(4002);
        }
    }

    @Test
    void aConfigurationCutShortOrEmptiedIsRefusedAndOnlyAnExplicitEmptyAccountListRemovesThem() throws Exception {
        try (TickwireApp app = start(); RawWebSocketClient session = session(app)) {
            writeConfig(""); // still valid YAML, the accounts gone
            assertThatThrownBy(app::reloadAccounts).hasMessageContaining("names no accounts")
                    .hasMessageContaining("accounts: []");
            Files.writeString(config, "# Tickwire configuration\n\n");
            assertThatThrownBy(app::reloadAccounts).hasMessageContaining("empty or holds only comments");
            stillServed(session, "p1");

            writeConfig("accounts: []\n");
            app.reloadAccounts();
            assertThat(session.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
        }
    }

    @Test
    void aRevocationBesideARefusedConfigurationStillApplies() throws Exception {
        try (TickwireApp app = start(); RawWebSocketClient session = session(app)) {
            writeConfig(""); // cut short: refused
            Files.writeString(credentials, "accounts: {}\n"); // and, at the same time, every key revoked on purpose
            app.reloadAccountsQuietly(); // as the timer does: the configuration's refusal is logged
            assertThat(session.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
            assertThat(session.awaitClose().code()).isEqualTo(4002);
        }
    }

    @Test
    void anEmptyConfigurationFileIsRefusedAtStart() throws Exception {
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "# nothing here yet\n");
        assertThatThrownBy(() -> new ConfigLoader().load(empty, Map.of()))
                .hasMessageContaining("empty or holds only comments").hasMessageContaining("'{}'");
        Files.writeString(empty, "{}\n");
        assertThat(new ConfigLoader().load(empty, Map.of()).server().port()).isEqualTo(8080);
    }

    @Test
    void aCredentialsFileThatCannotBeReadIsNamedOnceWithTheReason() throws Exception {
        config = dir.resolve("tickwire.yaml");
        writeConfig(ACCOUNTS);
        Path unreadable = Files.createDirectory(dir.resolve("credentials.yaml"));
        assertThatThrownBy(() -> TickwireApp.start(new ConfigLoader().load(config, Map.of()), Clock.system(), Map.of(), config))
                .hasMessage(unreadable + ": cannot be read: Is a directory");
    }
}
