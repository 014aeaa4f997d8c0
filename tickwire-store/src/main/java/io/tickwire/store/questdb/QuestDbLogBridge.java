package io.tickwire.store.questdb;

import io.questdb.log.LogFactory;
import io.questdb.log.LogLevel;
import io.questdb.log.LogRecordUtf8Sink;
import io.questdb.log.LogWriter;
import io.questdb.mp.QueueConsumer;
import io.questdb.mp.RingQueue;
import io.questdb.mp.SCSequence;
import io.questdb.mp.SynchronizedJob;
import io.questdb.std.str.Utf8s;
import java.io.Closeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QuestDB log writer that hands QuestDB's log lines to SLF4J (logger {@code io.questdb}):
 * errors as errors (at most {@value #ERRORS_PER_WINDOW} per {@value #WINDOW_SECONDS} s, so a full
 * disk retried every second does not flood the log; the rest are counted), everything else at
 * debug. QuestDB otherwise writes straight to file descriptor 1, past the JVM, and its advisory
 * level cannot be turned off. Named in
 * {@code questdb-log.conf}; QuestDB instantiates it by reflection and runs it on its logging
 * thread.
 */
public final class QuestDbLogBridge extends SynchronizedJob implements Closeable, LogWriter {

    private static final Logger LOG = LoggerFactory.getLogger("io.questdb");
    private static final int ERRORS_PER_WINDOW = 10;
    private static final long WINDOW_SECONDS = 60;

    private final RingQueue<LogRecordUtf8Sink> ring;
    private final SCSequence subSeq;
    private final int level;
    private final QueueConsumer<LogRecordUtf8Sink> consumer = this::forward;
    private long windowStart = System.nanoTime();
    private int errorsInWindow;
    private long suppressed;

    public QuestDbLogBridge(RingQueue<LogRecordUtf8Sink> ring, SCSequence subSeq, int level) {
        this.ring = ring;
        this.subSeq = subSeq;
        this.level = level;
    }

    @Override
    public void bindProperties(LogFactory factory) {
        // no properties
    }

    @Override
    protected boolean runSerially() {
        return subSeq.consumeAll(ring, consumer);
    }

    private void forward(LogRecordUtf8Sink sink) {
        int recordLevel = sink.getLevel();
        if ((recordLevel & level) == 0) {
            return;
        }
        boolean error = (recordLevel & (LogLevel.ERROR | LogLevel.CRITICAL)) != 0;
        if (error) {
            long now = System.nanoTime();
            if (now - windowStart > WINDOW_SECONDS * 1_000_000_000L) {
                if (suppressed > 0) {
                    LOG.error("{} more QuestDB errors in the last {} s were not logged", suppressed, WINDOW_SECONDS);
                }
                windowStart = now;
                errorsInWindow = 0;
                suppressed = 0;
            }
            if (++errorsInWindow > ERRORS_PER_WINDOW) {
                suppressed++;
                return;
            }
        }
        if (error || LOG.isDebugEnabled()) {
            String line = Utf8s.toString(sink).stripTrailing();
            if (error) {
                LOG.error("{}", line);
            } else {
                LOG.debug("{}", line);
            }
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
