package io.tickwire.store.questdb;

import io.questdb.cairo.TableWriter;
import io.tickwire.model.Bar;
import io.tickwire.model.InstrumentCatalog;

/** Closed bars into the {@code bars} table, stamped with their open time. Writer thread only. */
final class BarSink extends TableSink<Bar> {

    private final InstrumentCatalog catalog;
    private int symbol;
    private int period;
    private int priceType;
    private int seq;
    private int open;
    private int high;
    private int low;
    private int close;
    private int volume;
    private int trades;
    private int updateTime;

    BarSink(QuestDatabase db, InstrumentCatalog catalog) {
        super(db, Schema.BARS);
        this.catalog = catalog;
    }

    @Override
    void resolveColumns(TableWriter w) {
        symbol = w.getColumnIndex("symbol");
        period = w.getColumnIndex("period");
        priceType = w.getColumnIndex("price_type");
        seq = w.getColumnIndex("seq");
        open = w.getColumnIndex("open");
        high = w.getColumnIndex("high");
        low = w.getColumnIndex("low");
        close = w.getColumnIndex("close");
        volume = w.getColumnIndex("volume");
        trades = w.getColumnIndex("trades");
        updateTime = w.getColumnIndex("update_time");
    }

    @Override
    void append(TableWriter w, Bar b) {
        TableWriter.Row row = w.newRow(b.openTime());
        row.putSym(symbol, catalog.get(b.instrumentId()).symbol());
        row.putSym(period, b.periodicity().wireName());
        row.putSym(priceType, b.priceType().wireName());
        row.putLong(seq, b.seq());
        row.putLong(open, b.open());
        row.putLong(high, b.high());
        row.putLong(low, b.low());
        row.putLong(close, b.close());
        row.putLong(volume, b.volume());
        row.putLong(trades, b.trades());
        row.putTimestamp(updateTime, b.updateTime());
        row.append();
    }
}
