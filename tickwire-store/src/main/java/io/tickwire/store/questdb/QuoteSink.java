package io.tickwire.store.questdb;

import io.questdb.cairo.TableWriter;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Quote;

/** Quotes (every top-of-book change) into the {@code quotes} table. Writer thread only. */
final class QuoteSink extends TableSink<Quote> {

    private final InstrumentCatalog catalog;
    private final SymbolKeys symbols = new SymbolKeys();
    private int symbol;
    private int seq;
    private int bid;
    private int bidSize;
    private int ask;
    private int askSize;
    private int last;
    private int volume;

    QuoteSink(QuestDatabase db, InstrumentCatalog catalog) {
        super(db, Schema.QUOTES);
        this.catalog = catalog;
    }

    @Override
    void resolveColumns(TableWriter w) {
        symbol = w.getColumnIndex("symbol");
        seq = w.getColumnIndex("seq");
        bid = w.getColumnIndex("bid");
        bidSize = w.getColumnIndex("bid_size");
        ask = w.getColumnIndex("ask");
        askSize = w.getColumnIndex("ask_size");
        last = w.getColumnIndex("last");
        volume = w.getColumnIndex("volume");
        symbols.reset(symbol, catalog.size());
    }

    @Override
    void append(TableWriter w, Quote q) {
        TableWriter.Row row = w.newRow(q.eventTime());
        symbols.put(w, row, q.instrumentId(), catalog.get(q.instrumentId()).symbol());
        row.putLong(seq, q.seq());
        row.putLong(bid, q.bidPrice());
        row.putLong(bidSize, q.bidSize());
        row.putLong(ask, q.askPrice());
        row.putLong(askSize, q.askSize());
        row.putLong(last, q.lastPrice());
        row.putLong(volume, q.volume());
        row.append();
    }
}
