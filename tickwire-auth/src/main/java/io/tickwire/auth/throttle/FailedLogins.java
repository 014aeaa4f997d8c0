package io.tickwire.auth.throttle;

import io.tickwire.model.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Throttles failed authentication attempts per remote address and per key: {@code maxFailures}
 * failures within {@code window} ban the address (or the key) for {@code ban}. A banned address or
 * key is refused before its credential is even looked at, so guessing gets nowhere and costs the
 * server nothing.
 *
 * <p>Count per key only what can be guessed (a one-time password of an account): a key whose
 * secret cannot be guessed gains nothing from a ban, and since its id is rarely secret, anyone could
 * lock its owner out with a few garbage attempts.
 *
 * <p>Thread-safe (one lock; only authentication comes here, never market data). Bounded: at most
 * {@code capacity} addresses and as many keys are tracked, each in at most 71 characters (one
 * longer than {@value #MAX_ID_CHARS}, which a client may have chosen, is kept as its SHA-256); past that the least recently seen are forgotten (an attacker with that many addresses gains at
 * most a fresh count for the oldest).
 */
public final class FailedLogins {

    /** The longest address or key kept as given; a longer one is kept as {@code sha256:} and its digest. */
    static final int MAX_ID_CHARS = 64;

    /** Monotonic times have an arbitrary origin (they may be negative): a ban is a flag plus its end. */
    private static final class Record {
        long windowStart;
        int failures;
        boolean banned;
        long bannedUntil;
    }

    private final Clock clock;
    private final int maxFailures;
    private final long windowNanos;
    private final long banNanos;
    private final Map<String, Record> byAddress;
    private final Map<String, Record> byKey;

    public FailedLogins(Clock clock, int maxFailures, Duration window, Duration ban, int capacity) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.banNanos = ban.toNanos();
        this.byAddress = lru(capacity);
        this.byKey = lru(capacity);
    }

    private static Map<String, Record> lru(int capacity) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * How long the address or the key is still banned for, in milliseconds (rounded up); 0 if neither is.
     *
     * @param key what guesses are aimed at when they can succeed (an account's one-time passwords,
     *            {@code totp:NAME}), or {@code null}: the address alone
     */
    public synchronized long bannedForMillis(String address, String key) {
        long now = clock.monotonicNanos();
        long left = Math.max(left(byAddress.get(bounded(address)), now), key == null ? 0 : left(byKey.get(bounded(key)), now));
        return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
    }

    /**
     * Counts a failure of the address and the key.
     *
     * @return true if this failure started a ban
     */
    public synchronized boolean failed(String address, String key) {
        long now = clock.monotonicNanos();
        boolean banned = count(byAddress, bounded(address), now);
        if (key != null) {
            banned |= count(byKey, bounded(key), now);
        }
        return banned;
    }

    /** A success forgets the key's failures (not the address's: one good key must not clear a scan). */
    public synchronized void succeeded(String key) {
        if (key != null) {
            byKey.remove(bounded(key));
        }
    }

    /** For tests: the characters held in tracked addresses and keys. */
    synchronized long retainedChars() {
        return byAddress.keySet().stream().mapToLong(String::length).sum()
                + byKey.keySet().stream().mapToLong(String::length).sum();
    }

    /**
     * The id as tracked: as given up to {@link #MAX_ID_CHARS}, else its digest, so a client-chosen
     * id (a 64 KB Web API id) costs no more than a short one, and two long ids that share a prefix
     * are still told apart.
     */
    static String bounded(String id) {
        if (id == null || id.length() <= MAX_ID_CHARS) {
            return id;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private boolean count(Map<String, Record> map, String id, long now) {
        Record r = map.computeIfAbsent(id, k -> new Record());
        if (r.failures == 0 || now - r.windowStart > windowNanos) {
            r.windowStart = now;
            r.failures = 0;
        }
        r.failures++;
        if (r.failures >= maxFailures && left(r, now) <= 0) {
            r.banned = true;
            r.bannedUntil = now + banNanos;
            r.failures = 0;
            return true;
        }
        return false;
    }

    private static long left(Record r, long now) {
        return r == null || !r.banned ? 0 : r.bannedUntil - now;
    }
}
