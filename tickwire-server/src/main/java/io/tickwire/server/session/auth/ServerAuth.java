package io.tickwire.server.session.auth;

import io.tickwire.auth.Authenticator;
import io.tickwire.auth.Scheme;
import io.tickwire.auth.oauth.SessionExchange;
import io.tickwire.auth.store.AccountDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the server authenticates, as assembled by the application: the authenticator for every
 * scheme, the account directory (two-factor seeds, revocation, support e-mails, session tokens),
 * the OAuth2 exchange if configured, and the tuning. Immutable.
 *
 * @param authenticator checks first-factor credentials
 * @param directory     the live accounts and credentials, or {@code null} (then no two-factor,
 *                      no revocation checks, support e-mails kept in memory)
 * @param exchange      the OAuth2 exchange, or {@code null} when no provider is configured
 * @param settings      the tuning
 */
public record ServerAuth(Authenticator authenticator, AccountDirectory directory, SessionExchange exchange,
                         Settings settings) {

    public ServerAuth {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(settings, "settings");
    }

    /** Only an authenticator, with default settings (API tokens; what the server did before schemes). */
    public static ServerAuth of(Authenticator authenticator) {
        return new ServerAuth(authenticator, null, null, Settings.defaults());
    }

    /**
     * @param schemes                the schemes offered in {@code welcome.auth.methods}
     * @param sessionHeader          the handshake header that carries an OAuth2 session token
     * @param exchangePath           the HTTP path of the OAuth2 exchange ({@code POST})
     * @param twoFactorDeadline      how long a session may wait for its second factor
     * @param twoFactorGrantLifetime how long a verified second factor can be resumed
     * @param expiryWarning          how long before a credential expires the session is warned
     * @param maxFailures            failed attempts within {@code failureWindow} that ban an address (or an
     *                               account's one-time passwords, from any address)
     * @param failureWindow          the window of {@code maxFailures}
     * @param banDuration            how long a ban lasts
     */
    public record Settings(List<Scheme> schemes, String sessionHeader, String exchangePath, Duration twoFactorDeadline,
                           Duration twoFactorGrantLifetime, Duration expiryWarning, int maxFailures,
                           Duration failureWindow, Duration banDuration) {
        public Settings {
            schemes = List.copyOf(schemes);
            Objects.requireNonNull(sessionHeader, "sessionHeader");
            if (!exchangePath.startsWith("/")) {
                throw new IllegalArgumentException("auth exchange path must start with '/'");
            }
            if (maxFailures < 1) {
                throw new IllegalArgumentException("auth.maxFailures must be >= 1");
            }
        }

        /** The documented defaults. */
        public static Settings defaults() {
            return new Settings(List.of(Scheme.TOKEN), "X-ZUMO-AUTH", "/.auth/login/aad", Duration.ofMinutes(2),
                    Duration.ofHours(12), Duration.ofSeconds(30), 10, Duration.ofMinutes(1), Duration.ofMinutes(5));
        }

        /** These settings offering other schemes. */
        public Settings withSchemes(List<Scheme> newSchemes) {
            return new Settings(newSchemes, sessionHeader, exchangePath, twoFactorDeadline, twoFactorGrantLifetime,
                    expiryWarning, maxFailures, failureWindow, banDuration);
        }
    }
}
