package io.tickwire.auth.hmac;

import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Credential;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.model.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

/**
 * Checks TickTrader HMAC logins: the timestamp must be within the window around the server's
 * clock, the signature must match the key's secret (compared in constant time), and each
 * signature is accepted once. An unknown Web API id is refused like a wrong signature (after the
 * same work), so ids cannot be probed.
 *
 * <p>Which signatures were used is kept in memory, so a restart forgets it; a login signed before
 * this authenticator was created is therefore refused, since the previous run may have accepted
 * it. Clients sign each login afresh, so this costs a client whose clock lags the server's by
 * {@code d} only its logins in the first {@code d} after a restart. (A signature dated ahead of the
 * previous run's clock, within its window, stays replayable after a restart: only a client whose
 * clock runs ahead makes one.)
 *
 * <p>Thread-safe.
 */
public final class HmacAuthenticator {

    private static final byte[] DUMMY_SECRET = new byte[32];

    private final Clock clock;
    private final long windowMillis;
    private final ReplayGuard replays;
    /** When this authenticator started: nothing signed before is accepted (see the class comment). */
    private final long startMillis;

    /**
     * @param window   how far the login's timestamp may be from the server's clock, either way
     * @param capacity how many accepted signatures the replay guard remembers at most
     */
    public HmacAuthenticator(Clock clock, Duration window, int capacity) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.replays = new ReplayGuard(windowMillis, capacity);
        this.startMillis = clock.epochMillis();
    }

    /** Checks a login against the keys in {@code book}. */
    public AuthResult authenticate(AccountBook book, Credential.HmacSignature login) {
        long timestamp;
        try {
            timestamp = Long.parseLong(login.timestamp());
        } catch (NumberFormatException e) {
            return new AuthResult.Failure(AuthResult.Reason.TIMESTAMP_OUT_OF_WINDOW, "the timestamp must be milliseconds since the epoch");
        }
        long now = clock.epochMillis();
        if (Math.abs(now - timestamp) > windowMillis) {
            return new AuthResult.Failure(AuthResult.Reason.TIMESTAMP_OUT_OF_WINDOW, "the timestamp is " + (now - timestamp)
                    + " ms from the server's clock; at most " + windowMillis + " ms either way is accepted");
        }
        if (timestamp < startMillis) {
            return new AuthResult.Failure(AuthResult.Reason.TIMESTAMP_OUT_OF_WINDOW, "the timestamp is "
                    + (startMillis - timestamp) + " ms before the server started; sign the login with a fresh timestamp");
        }
        AccountBook.HmacKey key = book.hmacKey(login.webApiId());
        byte[] expected = HmacSignatures.mac(login.timestamp(), login.webApiId(), login.webApiKey(),
                key == null ? DUMMY_SECRET : key.secret());
        byte[] given;
        try {
            given = Base64.getDecoder().decode(login.signature());
        } catch (IllegalArgumentException e) {
            given = new byte[0];
        }
        boolean signatureOk = MessageDigest.isEqual(expected, given);
        boolean keyOk = key != null && MessageDigest.isEqual(key.key().getBytes(StandardCharsets.UTF_8),
                login.webApiKey().getBytes(StandardCharsets.UTF_8));
        if (!signatureOk || !keyOk) {
            return new AuthResult.Failure(AuthResult.Reason.SIGNATURE_INVALID, "the signature does not match the Web API key");
        }
        // keyed on the signature's bytes, not its text: Base64 has several spellings of the same
        // bytes (padding left off, unused low bits set), each of which would otherwise pass as new
        if (!replays.firstUse(login.webApiId(), Base64.getEncoder().encodeToString(expected), timestamp, now)) {
            return new AuthResult.Failure(AuthResult.Reason.SIGNATURE_REPLAYED,
                    "this signature was already used; sign each login with a fresh timestamp");
        }
        return new AuthResult.Success(key.account(), key.id(), AuthResult.Success.NEVER);
    }
}
