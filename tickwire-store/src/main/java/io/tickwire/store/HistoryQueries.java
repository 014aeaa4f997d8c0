package io.tickwire.store;

import io.tickwire.model.BookUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import java.util.List;

/**
 * Reads stored history: closed bars, trades, quotes, and which instruments have history over
 * which time. The one query API behind the native protocol, REST and the dialects.
 *
 * <p>Thread-safe; each call may block for as long as the query takes (milliseconds to a few
 * hundred), so call it off I/O threads. Results are model objects at the instruments' scales.
 * Every call either answers from committed data or throws {@link HistoryUnavailableException};
 * nothing half-written is ever returned.
 */
public interface HistoryQueries {

    /**
     * Closed bars of one stream (instrument, period, price type) whose open time lies in the
     * query's range, oldest first, at most {@link BarQuery#limit()} of them, taken from the end of
     * the range nearest to where the query starts ({@link BarQuery#backwards()}).
     */
    BarPage bars(BarQuery query);

    /** Trades of one instrument with event times in the query's range, in stored order. */
    TickPage<Trade> trades(TickQuery query);

    /** Quotes (every top-of-book change) of one instrument in the query's range, in stored order. */
    TickPage<Quote> quotes(TickQuery query);

    /**
     * Stored pictures of one instrument's order book in the query's range, in stored order, each a
     * full picture ({@link BookUpdate#replace()}) with the book's sequence number at the time. The
     * store keeps at most one a second per instrument, and only while the book changes.
     */
    TickPage<BookUpdate> books(TickQuery query);

    /**
     * The last stored picture of an instrument's book strictly before {@code time} (microseconds),
     * or {@code null} when there is none: the book as it stood when a range starting at
     * {@code time} opens.
     */
    BookUpdate bookBefore(Instrument instrument, long time);

    /** Every instrument of the catalogue with the time span of its stored trades and quotes. */
    List<InstrumentHistory> instruments();
}
