package io.tickwire.store.questdb;

import io.questdb.cairo.TableWriter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows waiting for one table, and that table's writer: {@link #commit()} appends them all and
 * commits, so a failed commit leaves nothing half-written and the rows can be tried again.
 *
 * <p>Confined to the store's writer thread (or to one importing thread): QuestDB allows one
 * writer per table.
 */
abstract class TableSink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(TableSink.class);

    private final QuestDatabase db;
    private final String table;
    private final List<T> pending = new ArrayList<>();
    private TableWriter writer;
    private long committedRows;

    TableSink(QuestDatabase db, String table) {
        this.db = db;
        this.table = table;
    }

    final void add(T row) {
        pending.add(row);
    }

    final int pending() {
        return pending.size();
    }

    /** Rows this sink committed since the store opened (writer thread only, or after it stopped). */
    final long committedRows() {
        return committedRows;
    }

    final List<T> pendingRows() {
        return pending;
    }

    /**
     * Appends the pending rows and commits them; on success they are no longer pending.
     *
     * @throws RuntimeException if the database refused (disk full, I/O error): the writer is
     *                          rolled back and released, the rows stay pending
     */
    final void commit() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            if (writer == null) {
                writer = db.writer(table);
                resolveColumns(writer);
            }
            for (T row : pending) {
                append(writer, row);
            }
            writer.commit();
            committedRows += pending.size();
            pending.clear();
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        }
    }

    /**
     * Rolls back anything uncommitted and gives the writer back; the next commit takes a fresh one.
     * QuestDB reports some failures (a distressed writer) as {@link Error}s: they are caught here
     * too, so the table's writer is always released and can be opened again once the disk has room.
     */
    final void release() {
        if (writer == null) {
            return;
        }
        TableWriter w = writer;
        writer = null;
        try {
            w.rollback();
        } catch (Throwable e) {
            // expected for a writer QuestDB marked distressed (disk full): closing it is what counts
            LOG.debug("rollback of {} failed", table, e);
        }
        try {
            w.close();
        } catch (Throwable e) {
            LOG.warn("closing the writer of {} failed", table, e);
        }
    }

    /** Looks up column indexes once per writer. */
    abstract void resolveColumns(TableWriter w);

    /** Appends one row (not committed). */
    abstract void append(TableWriter w, T row);

    final String table() {
        return table;
    }
}
