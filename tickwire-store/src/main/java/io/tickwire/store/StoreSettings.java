package io.tickwire.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the history store writes. Immutable; {@code docs/configuration.md} documents each setting
 * under {@code store:}.
 *
 * @param dataDir        the directory holding the database (created if missing); one process at a time
 * @param queueCapacity  records the writer's queue holds; beyond it new records are dropped and counted
 * @param commitInterval how often written rows are committed; a kill -9 loses at most about this much
 * @param commitMode     whether a commit waits for the disk (see {@link CommitMode})
 * @param retryInterval  after a failed write (disk full), how long to wait before trying again
 */
public record StoreSettings(Path dataDir, int queueCapacity, Duration commitInterval, CommitMode commitMode,
                            Duration retryInterval) {

    public StoreSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(commitMode, "commitMode");
        if (queueCapacity < 1_024) {
            throw new IllegalArgumentException("store.queueCapacity must be >= 1024, was " + queueCapacity);
        }
        if (commitInterval == null || commitInterval.compareTo(Duration.ofMillis(10)) < 0
                || commitInterval.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("store.commitInterval must be 10ms..60s, was " + commitInterval);
        }
        if (retryInterval == null || retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("store.retryInterval must be positive, was " + retryInterval);
        }
    }

    /** The documented defaults with another data directory. */
    public static StoreSettings defaults(Path dataDir) {
        return new StoreSettings(dataDir, 1_048_576, Duration.ofMillis(500), CommitMode.NOSYNC, Duration.ofSeconds(1));
    }

    /** These settings with another commit interval. */
    public StoreSettings withCommitInterval(Duration interval) {
        return new StoreSettings(dataDir, queueCapacity, interval, commitMode, retryInterval);
    }

    /** These settings with another queue capacity. */
    public StoreSettings withQueueCapacity(int capacity) {
        return new StoreSettings(dataDir, capacity, commitInterval, commitMode, retryInterval);
    }

    /** These settings with another retry interval. */
    public StoreSettings withRetryInterval(Duration interval) {
        return new StoreSettings(dataDir, queueCapacity, commitInterval, commitMode, interval);
    }

    /**
     * What a commit waits for. Whatever the mode, committed rows survive the process being killed
     * (they are in the operating system's page cache); the mode decides what survives the machine
     * losing power.
     */
    public enum CommitMode {
        /** Leave flushing to the operating system (fastest; a power loss can lose recent commits). */
        NOSYNC,
        /** Ask the OS to flush after each commit without waiting for it. */
        ASYNC,
        /** Wait for the disk on each commit (slowest; a power loss loses nothing committed). */
        SYNC;

        /** {@code nosync}, {@code async} or {@code sync}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a name case-insensitively, or returns {@code null}. */
        public static CommitMode fromName(String name) {
            for (CommitMode mode : values()) {
                if (mode.name().equalsIgnoreCase(name)) {
                    return mode;
                }
            }
            return null;
        }
    }
}
