package io.tickwire.cli.app;

import io.tickwire.auth.Scheme;
import io.tickwire.auth.SchemeAuthenticator;
import io.tickwire.auth.oauth.AccessTokenValidator;
import io.tickwire.auth.oauth.OidcSettings;
import io.tickwire.auth.oauth.SessionExchange;
import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.auth.store.CredentialStore;
import io.tickwire.auth.store.CredentialsFile;
import io.tickwire.auth.store.MasterKey;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.cli.config.ConfigException;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.Clock;
import io.tickwire.server.session.auth.ServerAuth;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code auth:} section, the accounts and the environment's master key into the
 * server's {@link ServerAuth}: the account directory over the credentials file, every enabled
 * scheme, and the OAuth2 exchange if a provider is configured. Stateless; mistakes are
 * {@link ConfigException}s naming the key.
 */
final class ConfiguredAuth {

    private ConfiguredAuth() {
    }

    /** The account directory: configured accounts merged with the credentials file (or memory if none). */
    static AccountDirectory directory(TickwireConfig config, Map<String, String> env) {
        MasterKey masterKey;
        try {
            masterKey = MasterKey.fromEnvironment(env).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        String file = config.auth().credentialsFile();
        CredentialStore store = file == null || file.isBlank() ? CredentialStore.inMemory(StoredCredentials.EMPTY)
                : new CredentialsFile(Path.of(file));
        try {
            return new AccountDirectory(ConfiguredAccounts.configured(config), store, masterKey);
        } catch (IllegalArgumentException e) {
            String where = file == null || file.isBlank() ? "accounts" : file;
            String problem = String.valueOf(e.getMessage());
            // a file that cannot be read already names itself: once is enough
            throw new ConfigException(problem.startsWith(where) ? problem : where + ": " + problem, e);
        }
    }

    /** The server's authentication over {@code directory}. */
    static ServerAuth serverAuth(TickwireConfig config, AccountDirectory directory, Clock clock) {
        TickwireConfig.AuthSettings a = config.auth();
        List<Scheme> schemes = new ArrayList<>();
        for (String name : a.schemes()) {
            Scheme scheme = Scheme.fromWire(name);
            if (scheme == null) {
                throw new ConfigException("auth.schemes: unknown scheme '" + name + "' (token, hmac, jwt, session)");
            }
            schemes.add(scheme);
        }
        SchemeAuthenticator authenticator = new SchemeAuthenticator(directory, clock, new SchemeAuthenticator.Settings(
                java.util.Set.copyOf(schemes), a.hmacWindow(), a.jwtMaxLifetime(), a.jwtLeeway(), 100_000));
        TickwireConfig.OAuth2Settings o = a.oauth2();
        SessionExchange exchange = null;
        String exchangePath = o == null || o.exchangePath() == null ? "/.auth/login/aad" : o.exchangePath();
        if (o != null && o.issuer() != null && !o.issuer().isBlank()) {
            try {
                OidcSettings oidc = new OidcSettings(URI.create(o.issuer()), o.audience(),
                        o.jwksUri() == null || o.jwksUri().isBlank() ? null : URI.create(o.jwksUri()), o.subjectClaim(),
                        o.sessionLifetime(), null, null);
                exchange = new SessionExchange(new AccessTokenValidator(oidc, clock), directory, oidc, clock);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ConfigException("auth.oauth2: " + e.getMessage());
            }
        }
        try {
            return new ServerAuth(authenticator, directory, exchange, new ServerAuth.Settings(schemes, a.sessionHeader(),
                    exchangePath, a.twoFactorDeadline(), a.twoFactorResumeLifetime(), a.expiryWarning(), a.maxFailures(),
                    a.failureWindow(), a.banDuration()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
