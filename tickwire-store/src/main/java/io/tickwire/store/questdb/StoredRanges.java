package io.tickwire.store.questdb;

import io.questdb.griffin.SqlException;
import io.tickwire.engine.ingest.NumberReservations;
import io.tickwire.model.Bar;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.store.InstrumentHistory;
import java.util.Arrays;
import java.util.List;

/**
 * What the store holds, per instrument: the span and count of its trades and quotes, and per bar
 * stream the open time of the first closed bar stored (before it, bars are computed from ticks).
 * Loaded from the tables when the store opens, then kept current by the writer after each commit,
 * so answering "what is stored" never scans a table.
 *
 * <p>Thread-safe: the writer updates under the lock, readers copy under it.
 */
final class StoredRanges {

    private static final int PERIODS = Periodicity.values().length;
    private static final int PRICE_TYPES = PriceType.values().length;

    private final InstrumentCatalog catalog;
    private final long[] tradeFirst;
    private final long[] tradeLast;
    private final long[] tradeCount;
    private final long[] quoteFirst;
    private final long[] quoteLast;
    private final long[] quoteCount;
    private final long[] barsSince;
    /** What the store held when it opened: each instrument's last trade and quote numbers and trade id. */
    final long[] lastTradeSeqAtOpen;
    final long[] lastTradeIdAtOpen;
    final long[] lastQuoteSeqAtOpen;
    /** Per {@link io.tickwire.engine.ingest.NumberReservations#counter}: the highest number committed so far. */
    private final long[] lastCommitted;

    StoredRanges(InstrumentCatalog catalog) {
        this.catalog = catalog;
        int n = catalog.size();
        tradeFirst = new long[n];
        tradeLast = new long[n];
        tradeCount = new long[n];
        quoteFirst = new long[n];
        quoteLast = new long[n];
        quoteCount = new long[n];
        barsSince = new long[n * PERIODS * PRICE_TYPES];
        lastTradeSeqAtOpen = new long[n];
        lastTradeIdAtOpen = new long[n];
        lastQuoteSeqAtOpen = new long[n];
        lastCommitted = new long[n * NumberReservations.KINDS];
        Arrays.fill(barsSince, Long.MAX_VALUE);
    }

    /** Reads the spans from the tables; one aggregate query per table. */
    static StoredRanges load(QuestDatabase db, InstrumentCatalog catalog) throws SqlException {
        StoredRanges ranges = new StoredRanges(catalog);
        db.select("SELECT symbol, min(ts), max(ts), count(), max(seq), max(trade_id) FROM " + Schema.TRADES, b -> { },
                r -> {
            Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
            if (i != null) {
                ranges.add(ranges.tradeFirst, ranges.tradeLast, ranges.tradeCount, i.id(), r.getTimestamp(1),
                        r.getTimestamp(2), r.getLong(3));
                ranges.lastTradeSeqAtOpen[i.id()] = r.getLong(4);
                ranges.lastTradeIdAtOpen[i.id()] = r.getLong(5);
            }
            return true;
        });
        db.select("SELECT symbol, min(ts), max(ts), count(), max(seq) FROM " + Schema.QUOTES, b -> { }, r -> {
            Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
            if (i != null) {
                ranges.add(ranges.quoteFirst, ranges.quoteLast, ranges.quoteCount, i.id(), r.getTimestamp(1),
                        r.getTimestamp(2), r.getLong(3));
                ranges.lastQuoteSeqAtOpen[i.id()] = r.getLong(4);
            }
            return true;
        });
        db.select("SELECT symbol, period, price_type, min(ts) FROM " + Schema.BARS, b -> { }, r -> {
            Instrument i = catalog.find(String.valueOf(r.getSymA(0)));
            Periodicity p = Periodicity.fromWire(String.valueOf(r.getSymA(1)));
            PriceType t = PriceType.fromWire(String.valueOf(r.getSymA(2)));
            if (i != null && p != null && t != null) {
                ranges.barStored(i.id(), p, t, r.getTimestamp(3));
            }
            return true;
        });
        return ranges;
    }

    private synchronized void add(long[] first, long[] last, long[] count, int id, long from, long to, long rows) {
        if (rows <= 0) {
            return;
        }
        first[id] = count[id] == 0 ? from : Math.min(first[id], from);
        last[id] = count[id] == 0 ? to : Math.max(last[id], to);
        count[id] += rows;
    }

    /** Trades of a batch were committed. */
    synchronized void tradesCommitted(List<Trade> trades) {
        for (Trade t : trades) {
            add(tradeFirst, tradeLast, tradeCount, t.instrumentId(), t.eventTime(), t.eventTime(), 1);
            committed(t.instrumentId(), NumberReservations.TRADE_SEQ, t.seq());
            committed(t.instrumentId(), NumberReservations.TRADE_ID, t.tradeId());
        }
    }

    /** Quotes of a batch were committed. */
    synchronized void quotesCommitted(List<Quote> quotes) {
        for (Quote q : quotes) {
            add(quoteFirst, quoteLast, quoteCount, q.instrumentId(), q.eventTime(), q.eventTime(), 1);
            committed(q.instrumentId(), NumberReservations.QUOTE_SEQ, q.seq());
        }
    }

    private void committed(int instrumentId, int kind, long number) {
        int counter = NumberReservations.counter(instrumentId, kind);
        lastCommitted[counter] = Math.max(lastCommitted[counter], number);
    }

    /** Per {@link NumberReservations#counter}: the highest number committed since the store opened (0 if none). */
    synchronized long[] lastCommitted() {
        return lastCommitted.clone();
    }

    /** Bars of a batch were committed. */
    synchronized void barsCommitted(List<Bar> bars) {
        for (Bar b : bars) {
            barStored(b.instrumentId(), b.periodicity(), b.priceType(), b.openTime());
        }
    }

    private synchronized void barStored(int id, Periodicity p, PriceType t, long openTime) {
        int slot = slot(id, p, t);
        barsSince[slot] = Math.min(barsSince[slot], openTime);
    }

    /**
     * The open time of the first closed bar stored for a stream, or {@link Long#MAX_VALUE} if none:
     * from then on the live stream's closed bars are stored, before it bars are computed from ticks.
     */
    synchronized long barsSince(int id, Periodicity p, PriceType t) {
        return barsSince[slot(id, p, t)];
    }

    /** The span of an instrument's trades, or {@code null}. */
    synchronized InstrumentHistory.Span trades(int id) {
        return tradeCount[id] == 0 ? null : new InstrumentHistory.Span(tradeFirst[id], tradeLast[id], tradeCount[id]);
    }

    /** The span of an instrument's quotes, or {@code null}. */
    synchronized InstrumentHistory.Span quotes(int id) {
        return quoteCount[id] == 0 ? null : new InstrumentHistory.Span(quoteFirst[id], quoteLast[id], quoteCount[id]);
    }

    /** Every instrument with its spans. */
    synchronized List<InstrumentHistory> all() {
        return catalog.all().stream().map(i -> new InstrumentHistory(i, trades(i.id()), quotes(i.id()))).toList();
    }

    private static int slot(int id, Periodicity p, PriceType t) {
        return (id * PERIODS + p.ordinal()) * PRICE_TYPES + t.ordinal();
    }
}
