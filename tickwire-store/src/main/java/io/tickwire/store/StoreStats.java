package io.tickwire.store;

/**
 * A point-in-time reading of the store's writer, for health and metrics. Counts are since the
 * store opened.
 *
 * @param status        {@code ok}, {@code failed} (writes fail, e.g. disk full; retried every
 *                      retry interval) or {@code closed}
 * @param queued        records waiting in the writer's queue
 * @param queueCapacity the queue's capacity
 * @param received      records taken into the queue
 * @param committed     records committed to the database (durable against a process kill)
 * @param committedTicks of those, trades and quotes (the rest are closed bars and book snapshots)
 * @param dropped       records refused because the queue was full: not stored, counted here and
 *                      recorded as a gap in the {@code gaps} table
 * @param failures      failed commit attempts (each is retried)
 * @param lagMillis     age of the oldest record taken from the queue and not yet committed, in
 *                      milliseconds: below the commit interval while healthy, growing while writes fail;
 *                      0 when nothing waits
 * @param committedThrough the latest event time among committed records, microseconds (0 if none)
 * @param lastError     the last write error, or {@code null}
 */
public record StoreStats(String status, long queued, long queueCapacity, long received, long committed, long committedTicks,
                         long dropped,
                         long failures, long lagMillis, long committedThrough, String lastError) {

    /** The stats of a store that is not configured. */
    public static StoreStats disabled() {
        return new StoreStats("disabled", 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
    }

    /** Whether writes are currently failing. */
    public boolean failed() {
        return "failed".equals(status);
    }
}
