package io.tickwire.auth;

import io.tickwire.auth.hmac.HmacAuthenticator;
import io.tickwire.auth.jwt.JwtAuthenticator;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.model.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every scheme against the live {@link AccountBook}: API tokens, HMAC logins, JWTs and OAuth2
 * session tokens, each checked by its own authenticator; a scheme that is not enabled is refused.
 * Thread-safe and non-blocking: nothing here calls out (the OAuth2 exchange, which does, happens
 * before, on its own executor).
 */
public final class SchemeAuthenticator implements Authenticator {

    /**
     * How the schemes are tuned.
     *
     * @param schemes           the schemes accepted
     * @param hmacWindow        how far an HMAC login's timestamp may be from the server's clock
     * @param jwtMaxLifetime    the longest JWT lifetime accepted
     * @param jwtLeeway         clock skew tolerated on JWT times
     * @param replayCapacity    HMAC signatures remembered at most to refuse replays
     */
    public record Settings(Set<Scheme> schemes, Duration hmacWindow, Duration jwtMaxLifetime, Duration jwtLeeway,
                           int replayCapacity) {
        public Settings {
            schemes = schemes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(schemes));
        }

        /** Every scheme; HMAC window ±30 s; JWTs up to 2 minutes with 5 s leeway. */
        public static Settings defaults() {
            return new Settings(EnumSet.allOf(Scheme.class), Duration.ofSeconds(30), Duration.ofMinutes(2),
                    Duration.ofSeconds(5), 100_000);
        }
    }

    private final Supplier<AccountBook> book;
    private final Clock clock;
    private final Settings settings;
    private final HmacAuthenticator hmac;
    private final JwtAuthenticator jwt;

    public SchemeAuthenticator(Supplier<AccountBook> book, Clock clock, Settings settings) {
        this.book = book;
        this.clock = clock;
        this.settings = settings;
        this.hmac = new HmacAuthenticator(clock, settings.hmacWindow(), settings.replayCapacity());
        this.jwt = new JwtAuthenticator(clock, settings.jwtMaxLifetime(), settings.jwtLeeway());
    }

    /** The schemes accepted. */
    public Set<Scheme> schemes() {
        return settings.schemes();
    }

    @Override
    public AuthResult authenticate(Credential credential) {
        if (!settings.schemes().contains(credential.scheme())) {
            return new AuthResult.Failure(AuthResult.Reason.UNSUPPORTED_CREDENTIAL,
                    "the " + credential.scheme().wireName() + " scheme is not enabled on this server");
        }
        AccountBook current = book.get();
        return switch (credential) {
            case Credential.ApiToken token -> current.tokens().authenticate(token);
            case Credential.HmacSignature login -> hmac.authenticate(current, login);
            case Credential.Jwt token -> jwt.authenticate(current, token);
            case Credential.SessionToken session -> session(current, session);
        };
    }

    private AuthResult session(AccountBook current, Credential.SessionToken credential) {
        AccountBook.SessionGrant grant = current.session(TokenHash.digest(credential.token()));
        if (grant == null) {
            return new AuthResult.Failure(AuthResult.Reason.INVALID_CREDENTIAL, "unknown or revoked session token");
        }
        if (clock.epochMicros() >= grant.expiresAtMicros()) {
            return new AuthResult.Failure(AuthResult.Reason.CREDENTIAL_EXPIRED,
                    "the session token has expired; exchange a new access token");
        }
        return new AuthResult.Success(grant.account(), grant.id(), grant.expiresAtMicros());
    }
}
