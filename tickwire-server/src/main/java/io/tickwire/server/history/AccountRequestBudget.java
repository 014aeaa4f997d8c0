package io.tickwire.server.history;

import io.tickwire.auth.Account;
import io.tickwire.model.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The REST request budget of each account: a token bucket of its plan's {@code requestBurst},
 * refilled at {@code requestsPerSecond}, shared by all of the account's REST requests (a REST
 * request has no connection to hang a budget on, unlike a WebSocket session). Thread-safe.
 */
public final class AccountRequestBudget {

    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public AccountRequestBudget(Clock clock) {
        this.clock = clock;
    }

    /**
     * Charges one request to the account.
     *
     * @return -1 if it may go ahead, else the milliseconds after which a retry will be accepted
     */
    public long charge(Account account) {
        Bucket bucket = buckets.computeIfAbsent(account.name(), name -> new Bucket(account.plan().requestsPerSecond(),
                account.plan().requestBurst(), clock.monotonicNanos()));
        return bucket.take(clock.monotonicNanos());
    }

    private static final class Bucket {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last;

        Bucket(int perSecond, int burst, long now) {
            this.perNano = perSecond / 1e9;
            this.burst = burst;
            this.tokens = burst;
            this.last = now;
        }

        synchronized long take(long now) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return -1;
            }
            return (long) Math.ceil((1 - tokens) / perNano / 1e6);
        }
    }
}
