package io.tickwire.store.questdb;

import io.questdb.cairo.TableWriter;

/**
 * Gaps into {@code gaps}: records the writer could not store (queue full), with the event-time
 * span they came from, so history readers can tell "no trades" from "trades not stored". Writer
 * thread only.
 */
final class GapSink extends TableSink<GapSink.Gap> {

    /**
     * @param from     the earliest event time among the dropped records
     * @param until    the latest
     * @param records  how many were dropped
     * @param reason   why, e.g. {@code queue_full}
     * @param recorded when the gap was written
     */
    record Gap(long from, long until, long records, String reason, long recorded) {
    }

    private int until;
    private int records;
    private int reason;
    private int recorded;

    GapSink(QuestDatabase db) {
        super(db, Schema.GAPS);
    }

    @Override
    void resolveColumns(TableWriter w) {
        until = w.getColumnIndex("until");
        records = w.getColumnIndex("records");
        reason = w.getColumnIndex("reason");
        recorded = w.getColumnIndex("recorded");
    }

    @Override
    void append(TableWriter w, Gap g) {
        TableWriter.Row row = w.newRow(g.from());
        row.putTimestamp(until, g.until());
        row.putLong(records, g.records());
        row.putSym(reason, g.reason());
        row.putTimestamp(recorded, g.recorded());
        row.append();
    }
}
