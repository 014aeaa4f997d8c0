package io.tickwire.server.session.auth;

import io.tickwire.auth.Account;
import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Credential;
import io.tickwire.auth.LogSafe;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.throttle.FailedLogins;
import io.tickwire.auth.totp.TwoFactor;
import io.tickwire.model.Clock;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.metrics.AuthMetrics;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every authentication step for every session and dialect: first factor, second factor,
 * resume; with the failed-attempt throttle in front (a banned address, or for one-time passwords a
 * banned account, is refused before its credential is looked at), a stable error code and close
 * code per reason, metrics, and logs that never hold a secret. Also owns the small executor for blocking auth work (the OAuth2 exchange,
 * writes to the credentials file), so none of it runs on an event loop.
 *
 * <p>Thread-safe; shared by all sessions. Non-blocking except {@link #blocking()}'s tasks.
 */
public final class AuthGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuthGate.class);

    /** What a step decided. */
    public sealed interface Decision {
        /** The credential is good; {@code secondFactor}: the account needs a one-time password next. */
        record Accepted(AuthResult.Success success, boolean secondFactor) implements Decision {
        }

        /** The second factor is good. */
        record SecondFactorAccepted(TwoFactor.Grant grant) implements Decision {
        }

        /**
         * Refused. {@code retryAfterMs} is -1 unless banned; {@code close} is the close code when the
         * step was the connection's login (a refresh or second-factor retry may keep the session).
         */
        record Refused(ErrorCode code, String message, long retryAfterMs, CloseCode close) implements Decision {
        }
    }

    private final ServerAuth auth;
    private final AuthMetrics metrics;
    private final FailedLogins failures;
    private final TwoFactor twoFactor;
    private final ExecutorService blocking;

    public AuthGate(ServerAuth auth, AuthMetrics metrics, Clock clock) {
        this.auth = auth;
        this.metrics = metrics;
        ServerAuth.Settings s = auth.settings();
        this.failures = new FailedLogins(clock, s.maxFailures(), s.failureWindow(), s.banDuration(), 65_536);
        this.twoFactor = new TwoFactor(clock, s.twoFactorGrantLifetime(), 65_536);
        this.blocking = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1_024), r -> {
            Thread t = new Thread(r, "tickwire-auth");
            t.setDaemon(true);
            return t;
        });
    }

    /** The server's auth configuration. */
    public ServerAuth auth() {
        return auth;
    }

    /** The schemes offered, by wire name. */
    public List<String> methods() {
        return auth.settings().schemes().stream().map(io.tickwire.auth.Scheme::wireName).toList();
    }

    /** Where blocking auth work runs (bounded queue; a full queue rejects). */
    public Executor blocking() {
        return blocking;
    }

    /** The failed-attempt throttle. */
    public FailedLogins failures() {
        return failures;
    }

    /** The metrics. */
    public AuthMetrics metrics() {
        return metrics;
    }

    private final java.util.Map<String, String> emailsInMemory = new java.util.concurrent.ConcurrentHashMap<>();

    /** Stores an account's support e-mail: in the directory (and its file) if there is one, else in memory. Blocking. */
    public void registerEmail(String account, String email) {
        if (auth.directory() != null) {
            auth.directory().registerEmail(account, email);
        } else {
            emailsInMemory.put(account, email);
        }
    }

    private AccountBook book() {
        return auth.directory() == null ? null : auth.directory().get();
    }

    /** The address failed attempts are counted against: the peer's IP address. */
    public static String addressOf(io.netty.channel.Channel channel) {
        return channel.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
    }

    /** Checks a first-factor credential presented from {@code address}. */
    public Decision firstFactor(Credential credential, String address) {
        String scheme = credential.scheme().wireName();
        String key = credential.keyId();
        // counted against the address only: a first factor (an API or session token, an HMAC
        // secret, a JWT signing key) is far too long to guess, so a ban of its key would stop no
        // one but its owner, whom anyone knowing the (non-secret) key id could then lock out
        long banned = failures.bannedForMillis(address, null);
        if (banned > 0) {
            metrics.failed(scheme, ErrorCode.TOO_MANY_FAILURES.wire());
            return tooMany(banned);
        }
        AuthResult result = auth.authenticator().authenticate(credential);
        if (result instanceof AuthResult.Failure failure) {
            ErrorCode code = codeOf(failure.reason());
            metrics.failed(scheme, code.wire());
            // the key id may be the client's own text (an HMAC Web API id): escaped, so it cannot forge lines
            LOG.info("authentication from {} failed: {} {} ({})", address, scheme, code.wire(), LogSafe.of(key));
            failures.failed(address, null);
            return new Decision.Refused(code, failure.message(), -1,
                    code == ErrorCode.CREDENTIAL_EXPIRED ? CloseCode.CREDENTIAL_EXPIRED : CloseCode.AUTH_FAILED);
        }
        AuthResult.Success success = (AuthResult.Success) result;
        AccountBook book = book();
        boolean second = book != null && twoFactor.required(book, success.account());
        if (!second) {
            metrics.succeeded(scheme);
        }
        return new Decision.Accepted(success, second);
    }

    /**
     * Checks the credential of a login with no room for a second factor (a REST request, a
     * publisher) from {@code address}: as {@link #firstFactor}, but an account that needs a
     * one-time password is refused with {@code two_factor_required}, since its first factor alone
     * must never serve it. Every such path comes through here, so none can forget the check.
     *
     * @param path    the path as the refusal names it ("REST")
     * @param instead what the refusal suggests instead
     * @return {@link Decision.Refused} or {@link Decision.Accepted} (never with a second factor due)
     */
    public Decision withoutSecondFactor(Credential credential, String address, String path, String instead) {
        Decision decision = firstFactor(credential, address);
        if (decision instanceof Decision.Accepted accepted && accepted.secondFactor()) {
            metrics.failed(credential.scheme().wireName(), ErrorCode.TWO_FACTOR_REQUIRED.wire());
            return new Decision.Refused(ErrorCode.TWO_FACTOR_REQUIRED, "account " + accepted.success().account().name()
                    + " needs a second factor, which " + path + " cannot take: " + instead, -1, CloseCode.AUTH_FAILED);
        }
        return decision;
    }

    /** Checks a one-time password of {@code account}. */
    public Decision secondFactor(Account account, String code, String address) {
        return second(account, address, () -> {
            AccountBook book = book();
            return book == null ? null : twoFactor.verify(book, account, code);
        });
    }

    /** Resumes an earlier verified second factor of {@code account}. */
    public Decision resume(Account account, String resumeToken, String address) {
        return second(account, address, () -> twoFactor.resume(account, resumeToken));
    }

    private Decision second(Account account, String address, java.util.function.Supplier<TwoFactor.Outcome> check) {
        // a six-digit code can be guessed: failures count against the account too, from any address
        String key = "totp:" + account.name();
        long banned = failures.bannedForMillis(address, key);
        if (banned > 0) {
            metrics.failed("totp", ErrorCode.TOO_MANY_FAILURES.wire());
            return tooMany(banned);
        }
        TwoFactor.Outcome outcome = check.get();
        if (outcome instanceof TwoFactor.Outcome.Verified verified) {
            failures.succeeded(key);
            metrics.succeeded("totp");
            return new Decision.SecondFactorAccepted(verified.grant());
        }
        AuthResult.Failure failure = outcome == null
                ? new AuthResult.Failure(AuthResult.Reason.TOTP_INVALID, "two-factor authentication is not available")
                : ((TwoFactor.Outcome.Refused) outcome).failure();
        ErrorCode code = codeOf(failure.reason());
        metrics.failed("totp", code.wire());
        LOG.info("second factor from {} for {} failed: {}", address, account.name(), code.wire());
        if (failures.failed(address, key)) {
            return tooMany(failures.bannedForMillis(address, key));
        }
        return new Decision.Refused(code, failure.message(), -1, null);
    }

    private static Decision tooMany(long retryAfterMs) {
        return new Decision.Refused(ErrorCode.TOO_MANY_FAILURES, "too many failed authentication attempts; retry after "
                + retryAfterMs + " ms", retryAfterMs, CloseCode.TOO_MANY_FAILURES);
    }

    /** The wire code of a refusal reason. */
    public static ErrorCode codeOf(AuthResult.Reason reason) {
        return switch (reason) {
            case INVALID_CREDENTIAL -> ErrorCode.AUTH_FAILED;
            case UNSUPPORTED_CREDENTIAL -> ErrorCode.SCHEME_NOT_ENABLED;
            case SIGNATURE_INVALID -> ErrorCode.SIGNATURE_INVALID;
            case SIGNATURE_REPLAYED -> ErrorCode.SIGNATURE_REPLAYED;
            case TIMESTAMP_OUT_OF_WINDOW -> ErrorCode.TIMESTAMP_OUT_OF_WINDOW;
            case JWT_INVALID -> ErrorCode.JWT_INVALID;
            case JWT_ALG_NOT_ALLOWED -> ErrorCode.JWT_ALG_NOT_ALLOWED;
            case JWT_UNKNOWN_KEY -> ErrorCode.JWT_UNKNOWN_KEY;
            case JWT_EXPIRED -> ErrorCode.JWT_EXPIRED;
            case JWT_NOT_YET_VALID -> ErrorCode.JWT_NOT_YET_VALID;
            case JWT_LIFETIME_TOO_LONG -> ErrorCode.JWT_LIFETIME_TOO_LONG;
            case CREDENTIAL_EXPIRED -> ErrorCode.CREDENTIAL_EXPIRED;
            case TOTP_INVALID -> ErrorCode.TOTP_INVALID;
            case TOTP_REUSED -> ErrorCode.TOTP_REUSED;
            case RESUME_INVALID -> ErrorCode.RESUME_INVALID;
        };
    }

    @Override
    public void close() {
        blocking.shutdownNow();
    }
}
