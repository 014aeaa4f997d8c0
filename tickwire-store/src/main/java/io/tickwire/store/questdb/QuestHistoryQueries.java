package io.tickwire.store.questdb;

import io.questdb.cairo.CairoException;
import io.questdb.griffin.SqlException;
import io.questdb.cairo.sql.Record;
import io.questdb.std.str.Utf8s;
import io.tickwire.model.Bar;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.store.BarPage;
import io.tickwire.store.BarQuery;
import io.tickwire.store.HistoryQueries;
import io.tickwire.store.HistoryUnavailableException;
import io.tickwire.store.InstrumentHistory;
import io.tickwire.store.TickPage;
import io.tickwire.store.TickQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * History queries on the embedded database.
 *
 * <p>Bars: the store holds the closed bars of the live stream from the moment it first received
 * one for a stream ({@link StoredRanges#barsSince}); those are served as stored, so they agree
 * exactly with what the live stream closed. Earlier periods (history recorded before, imported
 * trades) are computed from the stored ticks by {@link ComputedBars} with the same definition, and
 * so are the periods after the last stored bar of a range: the live stream closes a bar by market
 * time (the last event time plus the wall time since), which may trail the wall clock, and a
 * server stopped before it closed a bar never stores it. A page is therefore at most three runs
 * (computed, stored, computed), never an interleaving. Only periods closed by the wall clock are
 * returned: a period still forming is the live stream's.
 *
 * <p>Thread-safe; a query runs on the calling thread.
 */
final class QuestHistoryQueries implements HistoryQueries {

    private final QuestDatabase db;
    private final StoredRanges ranges;
    private final Clock clock;
    private final ComputedBars computed;
    /** Queries hold the read side; closing takes the write side, so the database never closes under a query. */
    private final ReadWriteLock gate = new ReentrantReadWriteLock();
    private boolean closed;

    QuestHistoryQueries(QuestDatabase db, StoredRanges ranges, Clock clock) {
        this.db = db;
        this.ranges = ranges;
        this.clock = clock;
        this.computed = new ComputedBars(db);
    }

    /** Waits for running queries, then refuses new ones; call before closing the database. */
    void close() {
        gate.writeLock().lock();
        try {
            closed = true;
        } finally {
            gate.writeLock().unlock();
        }
    }

    private <T> T guarded(Supplier<T> query) {
        gate.readLock().lock();
        try {
            if (closed) {
                throw new HistoryUnavailableException("the history store is closed");
            }
            return query.get();
        } finally {
            gate.readLock().unlock();
        }
    }

    @Override
    public BarPage bars(BarQuery q) {
        return guarded(() -> readBars(q));
    }

    private BarPage readBars(BarQuery q) {
        Periodicity p = q.periodicity();
        long now = clock.epochMicros();
        long lo = ceilToBoundary(p, Math.max(0, q.from()));
        long hi = Math.min(ceilToBoundary(p, Math.min(q.to(), now)), p.startOf(now));
        if (lo >= hi) {
            return new BarPage(List.of(), false);
        }
        Instrument instrument = q.instrument();
        long since = ranges.barsSince(instrument.id(), p, q.priceType());
        int want = q.limit() + 1;
        InstrumentHistory.Span ticks = q.priceType() == PriceType.LAST ? ranges.trades(instrument.id())
                : ranges.quotes(instrument.id());
        try {
            List<Bar> bars;
            if (!q.backwards()) {
                bars = computed.read(instrument, p, q.priceType(), lo, Math.min(hi, since), want, false, ticks);
                if (bars.size() < want && since < hi) {
                    long from = Math.max(lo, since);
                    List<Bar> kept = stored(q, from, hi, want - bars.size(), false);
                    bars.addAll(kept);
                    if (bars.size() < want) { // every stored bar of the range is in: compute the periods after them
                        long after = kept.isEmpty() ? from : kept.getLast().closeTime();
                        bars.addAll(computed.read(instrument, p, q.priceType(), after, hi, want - bars.size(), false,
                                ticks));
                    }
                }
                boolean more = bars.size() > q.limit();
                return new BarPage(more ? bars.subList(0, q.limit()) : bars, more);
            }
            bars = new ArrayList<>();
            if (since < hi) {
                long from = Math.max(lo, since);
                List<Bar> kept = stored(q, from, hi, want, true);
                long after = kept.isEmpty() ? from : kept.getLast().closeTime();
                bars.addAll(kept);
                bars.addAll(computed.read(instrument, p, q.priceType(), after, hi, want, true, ticks));
                if (bars.size() > want) {
                    bars = new ArrayList<>(bars.subList(bars.size() - want, bars.size()));
                }
            }
            if (bars.size() < want && lo < since) {
                List<Bar> earlier = computed.read(instrument, p, q.priceType(), lo, Math.min(hi, since),
                        want - bars.size(), true, ticks);
                earlier.addAll(bars);
                bars = earlier;
            }
            boolean more = bars.size() > q.limit();
            return new BarPage(more ? bars.subList(bars.size() - q.limit(), bars.size()) : bars, more);
        } catch (SqlException | CairoException e) {
            throw unavailable(e);
        }
    }

    /** Stored closed bars with open times in {@code [lo, hi)}, oldest first, the first or last {@code n}. */
    private List<Bar> stored(BarQuery q, long lo, long hi, int n, boolean backwards) throws SqlException {
        List<Bar> bars = new ArrayList<>();
        int id = q.instrument().id();
        Periodicity p = q.periodicity();
        PriceType t = q.priceType();
        db.select("SELECT ts, seq, open, high, low, close, volume, trades, update_time FROM " + Schema.BARS
                        + " WHERE symbol = $1 AND period = $2 AND price_type = $3 AND ts >= $4 AND ts < $5"
                        + (backwards ? " ORDER BY ts DESC" : "") + " LIMIT " + n,
                b -> {
                    b.setStr(0, q.instrument().symbol());
                    b.setStr(1, p.wireName());
                    b.setStr(2, t.wireName());
                    b.setTimestamp(3, lo);
                    b.setTimestamp(4, hi);
                },
                r -> {
                    bars.add(new Bar(id, r.getLong(1), p, t, r.getTimestamp(0), r.getLong(2), r.getLong(3), r.getLong(4),
                            r.getLong(5), r.getLong(6), r.getLong(7), r.getTimestamp(8), true));
                    return true;
                });
        if (backwards) {
            Collections.reverse(bars);
        }
        return bars;
    }

    @Override
    public TickPage<Trade> trades(TickQuery q) {
        return guarded(() -> readTrades(q));
    }

    private TickPage<Trade> readTrades(TickQuery q) {
        List<Trade> trades = new ArrayList<>();
        int id = q.instrument().id();
        try {
            db.select("SELECT ts, seq, price, size, side, trade_id FROM " + Schema.TRADES
                            + " WHERE symbol = $1 AND ts >= $2 AND ts < $3" + limit(q),
                    b -> bindTicks(b, q),
                    r -> {
                        Side side = Side.fromWire(String.valueOf(r.getSymA(4)));
                        trades.add(new Trade(id, r.getLong(1), r.getTimestamp(0), r.getLong(2), r.getLong(3),
                                side == null ? Side.BUY : side, r.getLong(5)));
                        return true;
                    });
        } catch (SqlException | CairoException e) {
            throw unavailable(e);
        }
        boolean more = trades.size() > q.limit();
        return new TickPage<>(more ? trades.subList(0, q.limit()) : trades, more);
    }

    @Override
    public TickPage<Quote> quotes(TickQuery q) {
        return guarded(() -> readQuotes(q));
    }

    private TickPage<Quote> readQuotes(TickQuery q) {
        List<Quote> quotes = new ArrayList<>();
        int id = q.instrument().id();
        try {
            db.select("SELECT ts, seq, bid, bid_size, ask, ask_size, last, volume FROM " + Schema.QUOTES
                            + " WHERE symbol = $1 AND ts >= $2 AND ts < $3" + limit(q),
                    b -> bindTicks(b, q),
                    r -> {
                        quotes.add(new Quote(id, r.getLong(1), r.getTimestamp(0), r.getLong(2), r.getLong(3),
                                r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7)));
                        return true;
                    });
        } catch (SqlException | CairoException e) {
            throw unavailable(e);
        }
        boolean more = quotes.size() > q.limit();
        return new TickPage<>(more ? quotes.subList(0, q.limit()) : quotes, more);
    }

    @Override
    public TickPage<BookUpdate> books(TickQuery q) {
        return guarded(() -> readBooks(q));
    }

    private TickPage<BookUpdate> readBooks(TickQuery q) {
        List<BookUpdate> books = new ArrayList<>();
        try {
            db.select("SELECT ts, seq, bids, asks FROM " + Schema.BOOK_SNAPSHOTS
                            + " WHERE symbol = $1 AND ts >= $2 AND ts < $3" + limit(q),
                    b -> bindTicks(b, q),
                    r -> books.add(picture(q.instrument(), r)));
        } catch (SqlException | CairoException e) {
            throw unavailable(e);
        }
        boolean more = books.size() > q.limit();
        return new TickPage<>(more ? books.subList(0, q.limit()) : books, more);
    }

    @Override
    public BookUpdate bookBefore(Instrument instrument, long time) {
        return guarded(() -> {
            List<BookUpdate> found = new ArrayList<>(1);
            try {
                db.select("SELECT ts, seq, bids, asks FROM " + Schema.BOOK_SNAPSHOTS
                                + " WHERE symbol = $1 AND ts < $2 ORDER BY ts DESC LIMIT 1",
                        b -> {
                            b.setStr(0, instrument.symbol());
                            b.setTimestamp(1, time);
                        },
                        r -> {
                            found.add(picture(instrument, r));
                            return false;
                        });
            } catch (SqlException | CairoException e) {
                throw unavailable(e);
            }
            return found.isEmpty() ? null : found.getFirst();
        });
    }

    /** A row of {@code ts, seq, bids, asks} as the full picture it stores. */
    private static BookUpdate picture(Instrument instrument, Record r) {
        BookUpdate.Builder picture = BookUpdate.builder(instrument.id(), r.getTimestamp(0)).replace();
        try {
            BookText.parseInto(picture, BookSide.BID, instrument, Utf8s.toString(r.getVarcharA(2)));
            BookText.parseInto(picture, BookSide.ASK, instrument, Utf8s.toString(r.getVarcharA(3)));
        } catch (NumberFormatException e) {
            throw new HistoryUnavailableException("a stored book of " + instrument.symbol() + " is unreadable: "
                    + e.getMessage(), e);
        }
        return picture.build().withSeq(r.getLong(1));
    }

    @Override
    public List<InstrumentHistory> instruments() {
        return guarded(ranges::all);
    }

    private static void bindTicks(io.questdb.cairo.sql.BindVariableService b, TickQuery q) throws SqlException {
        b.setStr(0, q.instrument().symbol());
        b.setTimestamp(1, q.from());
        b.setTimestamp(2, q.to());
    }

    /** Rows {@code skip} to {@code skip + limit} inclusive: one more than asked, to tell whether there are more. */
    private static String limit(TickQuery q) {
        return " LIMIT " + q.skip() + ", " + ((long) q.skip() + q.limit() + 1);
    }

    /** The first period boundary at or after {@code micros}. */
    private static long ceilToBoundary(Periodicity p, long micros) {
        long start = p.startOf(micros);
        return start == micros ? start : p.next(start);
    }

    private static HistoryUnavailableException unavailable(Exception e) {
        String message = e instanceof SqlException s ? String.valueOf(s.getFlyweightMessage())
                : e instanceof CairoException c ? String.valueOf(c.getFlyweightMessage()) : e.getMessage();
        return new HistoryUnavailableException("history query failed: " + message, e);
    }
}
