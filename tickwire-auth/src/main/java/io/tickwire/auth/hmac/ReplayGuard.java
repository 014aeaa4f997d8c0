package io.tickwire.auth.hmac;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Remembers the HMAC signatures accepted within the timestamp window so that each is accepted
 * once. A signature older than the window needs no memory: its timestamp alone refuses it.
 *
 * <p>Thread-safe (one lock; logins are rare next to market data). Bounded: at most
 * {@code capacity} signatures; when full, new logins are refused as replays until old ones age
 * out, which errs on the side of safety (and the failed-login throttle bounds how fast it fills).
 */
public final class ReplayGuard {

    private record Seen(String key, long timestampMillis) {
    }

    private final long windowMillis;
    private final int capacity;
    private final Set<String> seen = new HashSet<>();
    private final ArrayDeque<Seen> byAge = new ArrayDeque<>();

    public ReplayGuard(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /**
     * Records a signature if it has not been seen.
     *
     * @return {@code true} the first time, {@code false} for a replay (or when full)
     */
    public synchronized boolean firstUse(String webApiId, String signature, long timestampMillis, long nowMillis) {
        while (!byAge.isEmpty() && byAge.peekFirst().timestampMillis() < nowMillis - 2 * windowMillis) {
            seen.remove(byAge.pollFirst().key());
        }
        String key = webApiId + '\u0000' + signature;
        if (seen.contains(key) || seen.size() >= capacity) {
            return false;
        }
        seen.add(key);
        byAge.addLast(new Seen(key, Math.max(timestampMillis, byAge.isEmpty() ? timestampMillis
                : byAge.peekLast().timestampMillis())));
        return true;
    }

    /** Signatures remembered now. */
    public synchronized int size() {
        return seen.size();
    }
}
