package io.tickwire.auth.throttle;

import io.tickwire.model.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Throttles failed authentication attempts per remote address and per key: {@code maxFailures}
 * failures within {@code window} ban the address (or the key) for {@code ban}. A banned address or
 * key is refused before its credential is even looked at, so guessing gets nowhere and costs the
 * server nothing.
 *
 * <p>Thread-safe (one lock; only authentication comes here, never market data). Bounded: at most
 * {@code capacity} addresses and as many keys are tracked; past that the least recently seen are
 * forgotten (an attacker with that many addresses gains at most a fresh count for the oldest).
 */
public final class FailedLogins {

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
     * @param key the key presented (see {@code Credential.keyId()}), or {@code null}
     */
    public synchronized long bannedForMillis(String address, String key) {
        long now = clock.monotonicNanos();
        long left = Math.max(left(byAddress.get(address), now), key == null ? 0 : left(byKey.get(key), now));
        return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
    }

    /**
     * Counts a failure of the address and the key.
     *
     * @return true if this failure started a ban
     */
    public synchronized boolean failed(String address, String key) {
        long now = clock.monotonicNanos();
        boolean banned = count(byAddress, address, now);
        if (key != null) {
            banned |= count(byKey, key, now);
        }
        return banned;
    }

    /** A success forgets the key's failures (not the address's: one good key must not clear a scan). */
    public synchronized void succeeded(String key) {
        if (key != null) {
            byKey.remove(key);
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
