package io.tickwire.server.session;

import io.tickwire.auth.Account;
import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Scheme;
import io.tickwire.auth.totp.TwoFactor;
import io.tickwire.protocol.CloseCode;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.protocol.ErrorCode;
import java.util.List;

/**
 * What a session operation decided, for a protocol handler to put into its own wire words.
 * Protocol-neutral: the native protocol and every dialect answer from the same outcomes.
 */
public sealed interface SessionOutcome {

    /**
     * The operation was refused as a whole; nothing changed. {@code limit} and {@code retryAfterMs}
     * are -1 unless the code names one; {@code close}, if not {@code null}, is how the session must
     * now be closed (after the error is sent).
     */
    /**
     * A refusal; {@code close} is the close code when it ends the session (a failed login, a
     * connection limit, a deadline), {@code null} when the session carries on (a refused renewal,
     * a wrong one-time password): protocol handlers close with it and derive nothing.
     */
    record Refused(ErrorCode code, String message, long limit, long retryAfterMs, CloseCode close) implements SessionOutcome {
        Refused(ErrorCode code, String message, long limit) {
            this(code, message, limit, -1, null);
        }

        Refused(ErrorCode code, String message) {
            this(code, message, -1);
        }
    }

    /**
     * Authentication succeeded (or, with {@code refreshed}, renewed the credential of an
     * authenticated session). {@code expiresAtMicros} is when the credential expires
     * ({@code AuthResult.Success.NEVER} if it does not); {@code twoFactor} is the grant of a second
     * factor just given, else {@code null}.
     */
    record Authenticated(Account account, Scheme scheme, long expiresAtMicros, TwoFactor.Grant twoFactor,
                         boolean refreshed) implements SessionOutcome {
        Authenticated(Account account) {
            this(account, null, AuthResult.Success.NEVER, null, false);
        }
    }

    /** The first factor was accepted; the session waits for the second ({@code methods}) until {@code deadlineMs} passes. */
    record TwoFactorRequired(List<String> methods, long deadlineMs) implements SessionOutcome {
    }

    /** The support e-mail was stored on the account. */
    record EmailRegistered(String email) implements SessionOutcome {
    }

    /**
     * One stream of a request: a known instrument on a channel, with the stream's key (which
     * {@link io.tickwire.engine.StreamKey} reads for depth, period, price type and throttle).
     */
    record Stream(Instrument instrument, Channel channel, long streamKey) {
    }

    /** One refused item of a request; {@code channel} is null when the whole symbol is meant. */
    record Rejected(String symbol, Channel channel, ErrorCode code, String message) {
    }

    /**
     * A subscribe or unsubscribe was carried out for {@code streams} (including ones that were
     * already in the requested state: both are idempotent) and refused for {@code rejected}.
     */
    record Applied(List<Stream> streams, List<Instrument> instruments, List<Rejected> rejected) implements SessionOutcome {
    }
}
