package io.tickwire.cli;

import io.tickwire.auth.jwt.JwtKeys;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.store.CredentialsFile;
import io.tickwire.auth.store.MasterKey;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.auth.totp.Totp;
import io.tickwire.cli.config.ConfigException;
import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.cli.config.TickwireConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tickwire keys}: creates, lists and revokes credentials in the credentials file
 * ({@code auth.credentialsFile}). Secrets are printed once, at creation, and stored only as hashes,
 * public keys or ciphertexts under {@code $TICKWIRE_MASTER_KEY}. A running server picks changes up
 * within {@code auth.reloadInterval}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Create, list and revoke credentials.",
                "API tokens, HMAC keys, JWT keys, TOTP seeds and OAuth2 sessions live in the credentials file "
                        + "(auth.credentialsFile); a running server reloads it by itself."},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class, KeysCommand.NewMasterKey.class})
final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the credentials file is: {@code --credentials}, else the configuration's {@code auth.credentialsFile}. */
    static final class Location {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration naming the credentials file (default: $TICKWIRE_CONFIG).")
        Path config;

        @Option(names = "--credentials", paramLabel = "FILE", description = "The credentials file itself.")
        Path credentials;

        TickwireConfig loadedConfig;
        Path configFile;

        CredentialsFile file() {
            configFile = config;
            if (configFile == null && System.getenv("TICKWIRE_CONFIG") != null) {
                configFile = Path.of(System.getenv("TICKWIRE_CONFIG"));
            }
            if (configFile != null) {
                loadedConfig = new ConfigLoader().load(configFile, System.getenv());
            }
            if (credentials != null) {
                return new CredentialsFile(credentials);
            }
            if (loadedConfig == null || loadedConfig.auth().credentialsFile().isBlank()) {
                throw new ConfigException("no credentials file: give --credentials FILE, or --config FILE with auth.credentialsFile set");
            }
            return new CredentialsFile(Path.of(loadedConfig.auth().credentialsFile()));
        }

        /**
         * Refuses an account the configuration does not define: the server ignores credentials of
         * accounts it has no plan for, so such a credential would never log in. Returns whether the
         * account could be checked at all (not without a configuration).
         */
        boolean checkAccount(String account) {
            if (loadedConfig == null) {
                return false;
            }
            if (loadedConfig.accounts().stream().noneMatch(a -> a.name().equals(account))) {
                String known = loadedConfig.accounts().stream().map(TickwireConfig.AccountSettings::name).sorted()
                        .collect(java.util.stream.Collectors.joining(", "));
                throw new ConfigException("no account '" + account + "' in " + configFile + " (accounts: "
                        + (known.isEmpty() ? "none" : known) + "); add it under accounts: first");
            }
            return true;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a credential for an account and print its secret once.",
                    "The account must be defined under accounts: in the server's configuration: the server ignores "
                            + "credentials of other accounts. With --config (or $TICKWIRE_CONFIG) an unknown account is "
                            + "refused; with --credentials alone it cannot be checked."})
    static final class Create implements Callable<Integer> {
        private static final SecureRandom RANDOM = new SecureRandom();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Location location = new Location();

        @Option(names = {"-a", "--account"}, required = true,
                description = "The account, as named under accounts: in the server's configuration.")
        String account;

        @Option(names = {"-s", "--scheme"}, required = true, description = "token, hmac, jwt or totp.")
        String scheme;

        @Option(names = "--algorithm", defaultValue = "ES256", description = "For jwt: ES256 (default) or EdDSA.")
        String algorithm;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "For jwt: where to write the private key (default: ./<account>-<id>.pem).")
        Path out;

        @Override
        public Integer call() throws IOException {
            CredentialsFile file = location.file();
            boolean checked = location.checkAccount(account);
            PrintWriter o = spec.commandLine().getOut();
            String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            switch (scheme) {
                case "token" -> {
                    String token = TokenHash.newToken();
                    String hash = TokenHash.of(token);
                    String id = TokenHash.idOfStored(hash);
                    file.update(s -> s.with(account, c -> c.withToken(new StoredCredentials.StoredToken(id, hash, now))));
                    o.printf("API token %s for account %s:%n  %s%nKeep it now: it is stored only as a hash.%n", id, account, token);
                }
                case "hmac" -> {
                    MasterKey key = masterKey();
                    String id = java.util.UUID.randomUUID().toString();
                    String webKey = random(16);
                    String secret = random(32);
                    String sealed = key.encrypt(secret.getBytes(StandardCharsets.UTF_8), AccountBook.hmacContext(account, id));
                    file.update(s -> s.with(account, c -> c.withHmac(new StoredCredentials.StoredHmacKey(id, webKey, sealed, now))));
                    o.printf("HMAC key for account %s:%n  WebApiId   %s%n  WebApiKey  %s%n  Secret     %s%n"
                            + "Keep the secret now: it is stored only encrypted with $%s.%n", account, id, webKey, secret,
                            MasterKey.ENVIRONMENT_VARIABLE);
                }
                case "jwt" -> {
                    KeyPair pair = JwtKeys.generate(algorithm);
                    String shortId = random(6).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "x");
                    String kid = "tickwire/" + account + "/" + shortId;
                    Path target = out != null ? out : Path.of(account + "-" + shortId + ".pem");
                    writePrivate(target, JwtKeys.toPem(pair.getPrivate()));
                    file.update(s -> s.with(account, c -> c.withJwt(new StoredCredentials.StoredJwtKey(kid, algorithm,
                            JwtKeys.toPem(pair.getPublic()), now))));
                    o.printf("JWT key for account %s (%s):%n  key name (kid)  %s%n  private key     %s%n"
                            + "Sign each JWT with the private key; the server keeps only the public key.%n", account, algorithm,
                            kid, target.toAbsolutePath());
                }
                case "totp" -> {
                    MasterKey key = masterKey();
                    byte[] seed = Totp.newSeed();
                    file.update(s -> s.with(account, c -> c.withTotp(new StoredCredentials.StoredTotp(
                            key.encrypt(seed, AccountBook.totpContext(account)), now))));
                    o.printf("Two-factor authentication for account %s. Add this to an authenticator app:%n  %s%n  secret %s%n",
                            account, Totp.uri("Tickwire", account, seed), Totp.base32(seed));
                }
                default -> throw new ConfigException("--scheme must be token, hmac, jwt or totp, was '" + scheme + "'");
            }
            o.printf("Written to %s.%n", file.path());
            if (!checked) {
                o.flush();
                PrintWriter e = spec.commandLine().getErr();
                e.printf("tickwire keys: account '%s' not checked (no --config): it must be defined under accounts: in "
                        + "the server's configuration, or the server ignores this credential.%n", account);
                e.flush();
            }
            return 0;
        }

        private static MasterKey masterKey() {
            return MasterKey.fromEnvironment(System.getenv()).orElseThrow(() -> new ConfigException(
                    "$" + MasterKey.ENVIRONMENT_VARIABLE + " is not set: it encrypts stored secrets (make one with 'tickwire keys master-key')"));
        }

        private static String random(int bytes) {
            byte[] b = new byte[bytes];
            RANDOM.nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }

        private static void writePrivate(Path target, String pem) throws IOException {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target + " exists; choose another --out");
            }
            if (target.toAbsolutePath().getParent() != null) {
                Files.createDirectories(target.toAbsolutePath().getParent());
            }
            try {
                Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(target);
            }
            Files.writeString(target, pem, StandardCharsets.UTF_8);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the credentials in the credentials file (never their secrets).",
                    "Credentials written in the configuration file itself (accounts[].tokens, hmac, jwt, totp) are not "
                            + "listed: see the configuration."})
    static final class ListKeys implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Location location = new Location();

        @Option(names = {"-a", "--account"}, description = "Only this account.")
        String account;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            CredentialsFile file = location.file();
            o.printf("%-12s %-8s %-44s %-26s %s%n", "ACCOUNT", "SCHEME", "ID", "CREATED", "EXPIRES / DETAIL");
            for (Map.Entry<String, StoredCredentials.AccountCredentials> e : file.read().accounts().entrySet()) {
                if (account != null && !account.equals(e.getKey())) {
                    continue;
                }
                String a = e.getKey();
                StoredCredentials.AccountCredentials c = e.getValue();
                c.tokens().forEach(t -> row(o, a, "token", t.id(), t.created(), ""));
                c.hmac().forEach(k -> row(o, a, "hmac", k.id(), k.created(), "key " + k.key()));
                c.jwt().forEach(k -> row(o, a, "jwt", k.kid(), k.created(), k.algorithm()));
                if (c.totp() != null) {
                    row(o, a, "totp", "totp", c.totp().created(), "");
                }
                c.sessions().forEach(s -> row(o, a, "session", s.id(), s.created(), s.expires() + "  " + s.userId()));
                if (c.supportEmail() != null) {
                    row(o, a, "email", "-", "", c.supportEmail());
                }
            }
            // tokens written straight into the configuration work as well as these but are not in this
            // file: say so, or a user looking for a token that logs in fine concludes it does not exist
            o.println();
            o.printf("Listed: %s. Not listed: credentials written in the configuration file itself%s.%n", file.path(),
                    inConfiguration());
            return 0;
        }

        private String inConfiguration() {
            TickwireConfig c = location.loadedConfig;
            if (c == null) {
                return " (accounts[].tokens, hmac, jwt, totp)";
            }
            long n = c.accounts().stream().filter(a -> account == null || account.equals(a.name()))
                    .mapToLong(a -> a.tokens().size() + a.hmac().size() + a.jwt().size() + (a.totp() == null ? 0 : 1))
                    .sum();
            return " (" + location.configFile + " has " + n + " under accounts:)";
        }

        private static void row(PrintWriter o, String account, String scheme, String id, String created, String detail) {
            o.printf("%-12s %-8s %-44s %-26s %s%n", account, scheme, id, created == null ? "" : created, detail);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a credential by its id (as 'keys list' shows it); sessions using it are closed.")
    static final class Revoke implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Location location = new Location();

        @Parameters(paramLabel = "ID", description = "The credential's id.")
        String id;

        @Option(names = {"-a", "--account"}, description = "Only in this account (required for 'totp').")
        String account;

        @Override
        public Integer call() {
            CredentialsFile file = location.file();
            int[] removed = {0};
            file.update(s -> {
                StoredCredentials out = s;
                for (String name : s.accounts().keySet()) {
                    if ((account == null && !"totp".equals(id)) || name.equals(account)) {
                        StoredCredentials.AccountCredentials before = s.of(name);
                        StoredCredentials.AccountCredentials after = before.without(id);
                        if (!after.equals(before)) {
                            removed[0]++;
                            out = out.with(name, c -> after);
                        }
                    }
                }
                return out;
            });
            if (removed[0] == 0) {
                spec.commandLine().getErr().printf("tickwire: no credential '%s'%s%n", id, account == null ? "" : " in account " + account);
                return 1;
            }
            spec.commandLine().getOut().printf("Revoked %s. A running server closes the sessions that use it at its next reload.%n", id);
            return 0;
        }
    }

    @Command(name = "master-key", mixinStandardHelpOptions = true,
            description = "Print a new random master key for $TICKWIRE_MASTER_KEY (it encrypts HMAC secrets and TOTP seeds).")
    static final class NewMasterKey implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(MasterKey.generate());
            return 0;
        }
    }
}
