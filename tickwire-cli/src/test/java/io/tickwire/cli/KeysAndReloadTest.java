package io.tickwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Credential;
import io.tickwire.auth.hmac.HmacSignatures;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.store.CredentialsFile;
import io.tickwire.auth.store.MasterKey;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.cli.app.TickwireApp;
import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tickwire keys} edits the credentials file; a running server picks the changes up without a restart. */
class KeysAndReloadTest {

    @TempDir
    Path dir;

    private Path config;

    private Path writeConfig(String extraPlan) throws Exception {
        config = dir.resolve("tickwire.yaml");
        Files.writeString(config, """
                server: {host: 127.0.0.1, port: 0}
                simulator: {enabled: false}
                plans:
                  pro: {maxConnections: 5, maxSymbols: 10, channels: [quote, trade], requestsPerSecond: 50, requestBurst: 100}
                %s
                accounts:
                  - {name: desk, plan: pro}
                auth:
                  credentialsFile: credentials.yaml
                  reloadInterval: 100ms
                """.formatted(extraPlan));
        return config;
    }

    private String keys(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TickwireCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 3];
        all[0] = "keys";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        int code = cli.execute(all);
        assertThat(code).as("tickwire keys %s: %s%s", String.join(" ", args), out, err).isZero();
        return out.toString();
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }

    @Test
    void aTokenCreatedWithTheCliWorksAtOnceAndRevokingItClosesItsSession() throws Exception {
        writeConfig("");
        TickwireConfig loaded = new ConfigLoader().load(config, Map.of());
        assertThat(loaded.auth().credentialsFile()).isEqualTo(dir.resolve("credentials.yaml").toString());
        try (TickwireApp app = TickwireApp.start(loaded, Clock.system(), Map.of(), config)) {
            String created = keys("create", "--account", "desk", "--scheme", "token");
            String token = group(created, "\\n  (tw_[a-z2-7]{40})\\n");
            String id = group(created, "API token (tok-[0-9a-f]{12})");
            assertThat(Files.readString(dir.resolve("credentials.yaml"))).doesNotContain(token);
            assertThat(keys("list")).contains(id).doesNotContain(token);

            // the server picks the new token up on its next reload, at most one interval away
            // (waiting on the accounts it holds, not on failed logins, which would get the address banned)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> app.accounts().get().tokens()
                    .authenticate(new Credential.ApiToken(token)) instanceof AuthResult.Success);
            URI uri = URI.create(app.nativeUrl());
            try (RawWebSocketClient session = RawWebSocketClient.connect(uri, Map.of("token", token))) {
                assertThat(session.expect(ServerMessage.Welcome.class).authenticated()).isTrue();
                assertThat(session.expect(ServerMessage.Authenticated.class).account()).isEqualTo("desk");
                keys("revoke", id);
                ServerMessage.Error error = session.expect(ServerMessage.Error.class);
                assertThat(error.errorCode()).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
                assertThat(session.awaitClose().code()).isEqualTo(4002);
            }
            assertThat(keys("list")).doesNotContain(id);
        }
    }

    @Test
    void jwtKeysAreWrittenOwnerOnlyAndHmacSecretsStoredEncrypted() throws Exception {
        writeConfig("");
        Path pem = dir.resolve("desk.pem");
        String created = keys("create", "--account", "desk", "--scheme", "jwt", "--algorithm", "EdDSA", "--out", pem.toString());
        assertThat(created).contains("tickwire/desk/");
        assertThat(Files.readString(pem)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(pem)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        StoredCredentials stored = new CredentialsFile(dir.resolve("credentials.yaml")).read();
        assertThat(stored.of("desk").jwt()).singleElement().satisfies(k -> {
            assertThat(k.algorithm()).isEqualTo("EdDSA");
            assertThat(k.publicKey()).startsWith("-----BEGIN PUBLIC KEY-----");
        });

        // an HMAC key as 'keys create --scheme hmac' stores it, then a login with it against the running server
        String master = MasterKey.generate();
        MasterKey key = MasterKey.parse(master);
        new CredentialsFile(dir.resolve("credentials.yaml")).update(s -> s.with("desk", c -> c.withHmac(
                new StoredCredentials.StoredHmacKey("web-1", "key-1", key.encrypt("sekret".getBytes(StandardCharsets.UTF_8),
                        AccountBook.hmacContext("desk", "web-1")), null))));
        assertThat(Files.readString(dir.resolve("credentials.yaml"))).doesNotContain("sekret");
        TickwireConfig loaded = new ConfigLoader().load(config, Map.of());
        try (TickwireApp app = TickwireApp.start(loaded, Clock.system(), Map.of(MasterKey.ENVIRONMENT_VARIABLE, master), config);
             RawWebSocketClient client = RawWebSocketClient.connect(URI.create(app.nativeUrl()))) {
            client.expect(ServerMessage.Welcome.class);
            long now = System.currentTimeMillis();
            client.send(CommandWriter.authHmac("h", "web-1", "key-1", now, HmacSignatures.sign(now, "web-1", "key-1", "sekret")));
            assertThat(client.expect(ServerMessage.Authenticated.class).account()).isEqualTo("desk");
        }
    }

    @Test
    void changedPlansInTheConfigurationApplyToNewSessionsWithoutRestart() throws Exception {
        writeConfig("");
        new CredentialsFile(dir.resolve("credentials.yaml")).update(s -> s.with("desk", c -> c.withToken(
                new StoredCredentials.StoredToken("tok-x", io.tickwire.auth.token.TokenHash.of("desk-token"), null))));
        try (TickwireApp app = TickwireApp.start(new ConfigLoader().load(config, Map.of()), Clock.system(), Map.of(), config)) {
            Files.writeString(config, Files.readString(config).replace("{name: desk, plan: pro}", "{name: desk, plan: crypto}")
                    .replace("plans:\n", "plans:\n  crypto: {maxConnections: 1, maxSymbols: 2, channels: [trade], requestsPerSecond: 5,"
                            + " requestBurst: 5, instrumentSets: [crypto], slowConsumer: conflate}\n"));
            app.reloadAccounts();
            try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create(app.nativeUrl()), Map.of("token", "desk-token"))) {
                client.expect(ServerMessage.Welcome.class);
                ServerMessage.Authenticated ok = client.expect(ServerMessage.Authenticated.class);
                assertThat(ok.plan()).isEqualTo("crypto");
                assertThat(ok.limits().channels()).containsExactly(Channel.TRADE);
                assertThat(ok.limits().slowConsumer()).isEqualTo("conflate");
            }
            Files.writeString(config, "plans: [broken");
            app.reloadAccountsQuietly();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TickwireCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anAccountTheConfigurationLacksIsRefusedAndWithoutOneTheUserIsTold() throws Exception {
        writeConfig("");

        Run ghost = run("keys", "create", "--config", config.toString(), "--account", "ghost", "--scheme", "token");
        assertThat(ghost.code()).isNotZero();
        assertThat(ghost.err()).contains("no account 'ghost' in " + config + " (accounts: desk)");
        assertThat(dir.resolve("credentials.yaml")).doesNotExist();

        // --credentials alone: the accounts cannot be known, so it is written, with a warning
        Path credentials = dir.resolve("other-credentials.yaml");
        Run unchecked = run("keys", "create", "--credentials", credentials.toString(), "--account", "demo", "--scheme", "token");
        assertThat(unchecked.code()).as(unchecked.err()).isZero();
        assertThat(unchecked.out()).contains("API token tok-");
        assertThat(unchecked.err()).contains("account 'demo' not checked (no --config)")
                .contains("must be defined under accounts:");
        assertThat(run("keys", "create", "--help").out()).contains("must be defined under accounts:");
    }

    @Test
    void listSaysItShowsTheCredentialsFileNotTokensWrittenInTheConfiguration() throws Exception {
        writeConfig("");
        Files.writeString(config, Files.readString(config).replace("{name: desk, plan: pro}",
                "{name: desk, plan: pro, tokens: [\"" + io.tickwire.auth.token.TokenHash.of("desk-token") + "\"]}"));
        keys("create", "--account", "desk", "--scheme", "token");

        String listed = keys("list");

        assertThat(listed).contains("Listed: " + dir.resolve("credentials.yaml"))
                .contains("Not listed: credentials written in the configuration file itself (" + config
                        + " has 1 under accounts:)");
        assertThat(run("keys", "list", "--help").out()).contains("are not listed");
    }
}
