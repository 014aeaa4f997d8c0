package io.tickwire.auth.oauth;

import io.tickwire.auth.Account;
import io.tickwire.auth.AuthResult.Reason;
import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.model.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The enterprise exchange (seed 003): an access token from the OpenID Connect provider in, a
 * Tickwire session token out. The token is validated ({@link AccessTokenValidator}), its subject
 * mapped to an account, and a session token issued for {@link OidcSettings#sessionLifetime()} and
 * stored (hashed) in the account directory, where it can be listed and revoked.
 *
 * <p>Thread-safe. <b>Blocking</b> (validation may call the provider; issuing writes the
 * credentials file): run it on an executor, never on an I/O thread.
 */
public final class SessionExchange {

    /** The outcome of an exchange. */
    public sealed interface Outcome {
        /**
         * The session token (give it to the client once), the user id, when the token expires and
         * how long it lasts from now (whole seconds, for clients that count down rather than compare
         * with their clock).
         */
        record Exchanged(String sessionToken, String userId, Account account, long expiresAtMicros, long expiresInSeconds)
                implements Outcome {
            @Override
            public String toString() {
                return "Exchanged[<redacted>, " + userId + ", " + account.name() + "]";
            }
        }

        /** Refused; {@code reason} maps to a stable error code. */
        record Refused(Reason reason, String message) implements Outcome {
        }

        /** The provider cannot be reached; retry later. */
        record Unavailable(String message) implements Outcome {
        }
    }

    private final AccessTokenValidator validator;
    private final AccountDirectory directory;
    private final OidcSettings settings;
    private final Clock clock;

    public SessionExchange(AccessTokenValidator validator, AccountDirectory directory, OidcSettings settings, Clock clock) {
        this.validator = validator;
        this.directory = directory;
        this.settings = settings;
        this.clock = clock;
    }

    /** Exchanges an access token (blocking). */
    public Outcome exchange(String accessToken) {
        return switch (validator.validate(accessToken)) {
            case AccessTokenValidator.Validation.Unavailable u -> new Outcome.Unavailable(u.message());
            case AccessTokenValidator.Validation.Invalid i -> new Outcome.Refused(i.reason(), i.message());
            case AccessTokenValidator.Validation.Valid v -> issue(v);
        };
    }

    private Outcome issue(AccessTokenValidator.Validation.Valid valid) {
        Account account = directory.get().bySubject(valid.subject());
        if (account == null) {
            return new Outcome.Refused(Reason.INVALID_CREDENTIAL, "the client '" + valid.subject()
                    + "' is not mapped to an account");
        }
        Instant now = Instant.ofEpochSecond(0, clock.epochMicros() * 1_000);
        Instant expires = now.plus(settings.sessionLifetime());
        String userId = userId(valid.issuer(), valid.subject());
        String token = directory.issueSession(account, valid.subject(), userId, now, expires);
        return new Outcome.Exchanged(token, userId, account,
                expires.getEpochSecond() * 1_000_000L + expires.getNano() / 1_000, settings.sessionLifetime().toSeconds());
    }

    /** A stable user id for a provider's subject: {@code sid:} and 32 hex digits, as the seed shows. */
    static String userId(String issuer, String subject) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((issuer + "|" + subject).getBytes(StandardCharsets.UTF_8));
            return "sid:" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
