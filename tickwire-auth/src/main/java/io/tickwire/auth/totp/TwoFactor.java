package io.tickwire.auth.totp;

import io.tickwire.auth.Account;
import io.tickwire.auth.AuthResult;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.model.Clock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The second factor: accounts with a TOTP seed must give a one-time password after their first
 * credential. A code is accepted once (a step at or before the last accepted one of the account
 * is refused as reused) within ±1 step of the server's clock. A verified second factor yields a
 * resume token, valid until its expiry, with which a later login of the same account may skip the
 * code (TickTrader's "resume" of a two-factor token); resuming does not extend the expiry.
 *
 * <p>Thread-safe. Resume tokens live in memory (lost on restart), at most {@code maxGrants} of
 * them; the oldest go first.
 */
public final class TwoFactor {

    /** A verified second factor: the resume token (give it to the client once) and when it expires. */
    public record Grant(String resumeToken, long expiresAtMicros) {
        @Override
        public String toString() {
            return "Grant[<redacted>, expires " + expiresAtMicros + "]";
        }
    }

    /** The outcome of a code or a resume: a grant, or a failure. */
    public sealed interface Outcome {
        /** Accepted. */
        record Verified(Grant grant) implements Outcome {
        }

        /** Refused (reason {@code TOTP_INVALID}, {@code TOTP_REUSED} or {@code RESUME_INVALID}). */
        record Refused(AuthResult.Failure failure) implements Outcome {
        }
    }

    private record Stored(String account, long expiresAtMicros) {
    }

    private final Clock clock;
    private final long grantLifetimeMicros;
    private final int maxGrants;
    private final Map<String, Long> lastStep = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, Stored> grants = new LinkedHashMap<>();

    public TwoFactor(Clock clock, Duration grantLifetime, int maxGrants) {
        this.clock = clock;
        this.grantLifetimeMicros = grantLifetime.toNanos() / 1_000;
        this.maxGrants = maxGrants;
    }

    /** Whether the account must give a second factor. */
    public boolean required(AccountBook book, Account account) {
        return book.totpSeed(account.name()) != null;
    }

    /** Checks a one-time password of the account. */
    public Outcome verify(AccountBook book, Account account, String code) {
        byte[] seed = book.totpSeed(account.name());
        if (seed == null) {
            return refused(AuthResult.Reason.TOTP_INVALID, "this account has no two-factor authentication");
        }
        long step = Totp.matchingStep(seed, code, clock.epochMillis(), 1);
        if (step < 0) {
            return refused(AuthResult.Reason.TOTP_INVALID, "invalid one-time password");
        }
        boolean[] fresh = {false};
        lastStep.compute(account.name(), (k, last) -> {
            if (last != null && step <= last) {
                return last;
            }
            fresh[0] = true;
            return step;
        });
        if (!fresh[0]) {
            return refused(AuthResult.Reason.TOTP_REUSED, "this one-time password was already used; wait for the next one");
        }
        return new Outcome.Verified(grant(account));
    }

    /** Resumes an earlier verified second factor of the same account. */
    public Outcome resume(Account account, String resumeToken) {
        if (resumeToken == null || resumeToken.isEmpty()) {
            return refused(AuthResult.Reason.RESUME_INVALID, "no two-factor token to resume");
        }
        ByteBuffer key = ByteBuffer.wrap(TokenHash.digest(resumeToken));
        Stored stored;
        synchronized (grants) {
            stored = grants.get(key);
        }
        if (stored == null || !stored.account().equals(account.name())) {
            return refused(AuthResult.Reason.RESUME_INVALID, "unknown two-factor token");
        }
        if (clock.epochMicros() >= stored.expiresAtMicros()) {
            return refused(AuthResult.Reason.RESUME_INVALID, "the two-factor token has expired; give a one-time password");
        }
        return new Outcome.Verified(new Grant(resumeToken, stored.expiresAtMicros()));
    }

    private Grant grant(Account account) {
        String token = "tw2f_" + TokenHash.newToken().substring(3);
        long expires = clock.epochMicros() + grantLifetimeMicros;
        synchronized (grants) {
            long now = clock.epochMicros();
            for (Iterator<Stored> it = grants.values().iterator(); it.hasNext(); ) {
                Stored s = it.next();
                if (s.expiresAtMicros() <= now || grants.size() >= maxGrants) {
                    it.remove();
                } else {
                    break;
                }
            }
            grants.put(ByteBuffer.wrap(TokenHash.digest(token)), new Stored(account.name(), expires));
        }
        return new Grant(token, expires);
    }

    private static Outcome refused(AuthResult.Reason reason, String message) {
        return new Outcome.Refused(new AuthResult.Failure(reason, message));
    }
}
