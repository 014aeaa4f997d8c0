package io.tickwire.server.history;

import io.tickwire.store.HistoryQueries;
import io.tickwire.store.StoreStats;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a server reaches stored history: the queries its clients may run, the store's state for
 * {@code /health}, and whether its live feed is itself a replay of history (then every market-data
 * message is marked {@code "replayed":true}). Immutable.
 *
 * @param queries      the history queries, or {@code null} when the server has no store
 * @param storeStats   the store writer's state; {@link StoreStats#disabled()} when there is none
 * @param replayFeed   whether the feed is a replay of stored history
 * @param queryThreads threads that run history queries (they may take hundreds of milliseconds)
 * @param queryQueue   history requests that may wait for a thread; beyond it they get {@code server_busy}
 */
public record ServerHistory(HistoryQueries queries, Supplier<StoreStats> storeStats, boolean replayFeed, int queryThreads,
                            int queryQueue) {

    /** No history: requests get {@code history_unavailable}, health shows the store disabled. */
    public static final ServerHistory NONE = new ServerHistory(null, StoreStats::disabled, false, 1, 16);

    public ServerHistory {
        Objects.requireNonNull(storeStats, "storeStats");
        if (queryThreads < 1 || queryThreads > 64) {
            throw new IllegalArgumentException("queryThreads must be 1..64, was " + queryThreads);
        }
        if (queryQueue < 1) {
            throw new IllegalArgumentException("queryQueue must be >= 1, was " + queryQueue);
        }
    }
}
