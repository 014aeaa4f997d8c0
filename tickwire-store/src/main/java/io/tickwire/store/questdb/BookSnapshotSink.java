package io.tickwire.store.questdb;

import io.questdb.cairo.TableWriter;
import io.questdb.std.str.Utf8String;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.BookSnapshot;

/**
 * Book snapshots into {@code book_snapshots}. Each side is one text column of
 * {@code price:size} pairs, best first ({@link BookText}): readable in SQL and exact. Writer
 * thread only.
 */
final class BookSnapshotSink extends TableSink<BookSnapshot> {

    private final InstrumentCatalog catalog;
    private final StringBuilder text = new StringBuilder(1_024);
    private int symbol;
    private int seq;
    private int bids;
    private int asks;

    BookSnapshotSink(QuestDatabase db, InstrumentCatalog catalog) {
        super(db, Schema.BOOK_SNAPSHOTS);
        this.catalog = catalog;
    }

    @Override
    void resolveColumns(TableWriter w) {
        symbol = w.getColumnIndex("symbol");
        seq = w.getColumnIndex("seq");
        bids = w.getColumnIndex("bids");
        asks = w.getColumnIndex("asks");
    }

    @Override
    void append(TableWriter w, BookSnapshot s) {
        Instrument instrument = catalog.get(s.instrumentId());
        TableWriter.Row row = w.newRow(s.time());
        row.putSym(symbol, instrument.symbol());
        row.putLong(seq, s.seq());
        row.putVarchar(bids, new Utf8String(levels(instrument, s.bidPrices(), s.bidSizes())));
        row.putVarchar(asks, new Utf8String(levels(instrument, s.askPrices(), s.askSizes())));
        row.append();
    }

    /** The text of one side. */
    String levels(Instrument instrument, long[] prices, long[] sizes) {
        text.setLength(0);
        return BookText.append(text, instrument, prices, sizes).toString();
    }
}
