package io.tickwire.store.questdb;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.CommitMode;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.griffin.engine.functions.bind.BindVariableServiceImpl;
import io.tickwire.store.StoreSettings;
import java.nio.file.Path;

/**
 * One embedded QuestDB engine on a data directory, with the few operations the store needs:
 * run DDL, take a table's writer, run a query with bind variables.
 *
 * <p>Thread-safe: the engine is; each thread gets its own execution context (QuestDB's contexts
 * and bind variables are not shareable).
 */
final class QuestDatabase implements AutoCloseable {

    static {
        // QuestDB reads its log configuration once, from the resource named by -Dout; keep its
        // INFO chatter out of the console unless the user configured it.
        if (System.getProperty("out") == null) {
            System.setProperty("out", "/io/tickwire/store/questdb-log.conf");
        }
    }

    private final CairoEngine engine;
    private final ThreadLocal<SqlExecutionContextImpl> contexts;

    QuestDatabase(Path root, StoreSettings.CommitMode commitMode) {
        int mode = switch (commitMode) {
            case NOSYNC -> CommitMode.NOSYNC;
            case ASYNC -> CommitMode.ASYNC;
            case SYNC -> CommitMode.SYNC;
        };
        DefaultCairoConfiguration configuration = new DefaultCairoConfiguration(root.toString()) {
            @Override
            public int getCommitMode() {
                return mode;
            }
        };
        this.engine = new CairoEngine(configuration);
        this.contexts = ThreadLocal.withInitial(() -> new SqlExecutionContextImpl(engine, 1)
                .with(AllowAllSecurityContext.INSTANCE, new BindVariableServiceImpl(engine.getConfiguration())));
    }

    /** Runs DDL or an insert. */
    void execute(String sql) {
        try {
            engine.execute(sql, contexts.get());
        } catch (SqlException e) {
            throw new IllegalStateException("QuestDB refused: " + sql + ": " + e.getFlyweightMessage(), e);
        }
    }

    /** The writer of a table; the caller owns it until it closes it. */
    TableWriter writer(String table) {
        TableToken token = engine.verifyTableName(table);
        return engine.getWriter(token, "tickwire store writer");
    }

    /** Sets a query's bind variables. */
    @FunctionalInterface
    interface Binds {
        void set(io.questdb.cairo.sql.BindVariableService binds) throws SqlException;
    }

    /** Receives a query's rows; returns {@code false} to stop early. */
    @FunctionalInterface
    interface Rows {
        boolean row(Record record);
    }

    /** Runs a query on the calling thread's context, handing each row to {@code rows}. */
    void select(String sql, Binds binds, Rows rows) throws SqlException {
        SqlExecutionContextImpl context = contexts.get();
        context.getBindVariableService().clear();
        binds.set(context.getBindVariableService());
        try (RecordCursorFactory factory = engine.select(sql, context);
             RecordCursor cursor = factory.getCursor(context)) {
            Record record = cursor.getRecord();
            while (cursor.hasNext()) {
                if (!rows.row(record)) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
