package io.tickwire.store.questdb;

import io.questdb.cairo.TableWriter;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;

/** Trades into the {@code trades} table. Writer thread only. */
final class TradeSink extends TableSink<Trade> {

    private final InstrumentCatalog catalog;
    private final SymbolKeys symbols = new SymbolKeys();
    private final SymbolKeys sides = new SymbolKeys();
    private int symbol;
    private int seq;
    private int price;
    private int size;
    private int side;
    private int tradeId;

    TradeSink(QuestDatabase db, InstrumentCatalog catalog) {
        super(db, Schema.TRADES);
        this.catalog = catalog;
    }

    @Override
    void resolveColumns(TableWriter w) {
        symbol = w.getColumnIndex("symbol");
        seq = w.getColumnIndex("seq");
        price = w.getColumnIndex("price");
        size = w.getColumnIndex("size");
        side = w.getColumnIndex("side");
        tradeId = w.getColumnIndex("trade_id");
        symbols.reset(symbol, catalog.size());
        sides.reset(side, Side.values().length);
    }

    @Override
    void append(TableWriter w, Trade t) {
        TableWriter.Row row = w.newRow(t.eventTime());
        symbols.put(w, row, t.instrumentId(), catalog.get(t.instrumentId()).symbol());
        row.putLong(seq, t.seq());
        row.putLong(price, t.price());
        row.putLong(size, t.size());
        sides.put(w, row, t.aggressor().ordinal(), t.aggressor().wireName());
        row.putLong(tradeId, t.tradeId());
        row.append();
    }
}
