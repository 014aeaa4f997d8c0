package io.tickwire.server.history;

import io.tickwire.auth.Plan;
import io.tickwire.model.Bar;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.history.HistoryCursor;
import io.tickwire.protocol.history.HistoryRequest;
import io.tickwire.protocol.history.InstrumentListing;
import io.tickwire.store.BarPage;
import io.tickwire.store.BarQuery;
import io.tickwire.store.HistoryQueries;
import io.tickwire.store.HistoryUnavailableException;
import io.tickwire.store.InstrumentHistory;
import io.tickwire.store.StoreStats;
import io.tickwire.store.TickPage;
import io.tickwire.store.TickQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers history requests for every protocol, off the I/O threads: resolves the symbol, runs the
 * store query on one of a few query threads, and works out the cursor of the next page.
 *
 * <p>Bounded: {@code queryThreads} threads and a queue of {@code queryQueue} waiting requests;
 * a request that finds the queue full is refused at once with {@code server_busy}. Queries never
 * touch the engine, so history load cannot slow the live stream beyond sharing the CPU.
 * Thread-safe.
 */
public final class HistoryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryService.class);

    private final ServerHistory history;
    private final InstrumentCatalog catalog;
    private final Clock clock;
    private final ThreadPoolExecutor executor;

    public HistoryService(ServerHistory history, InstrumentCatalog catalog, Clock clock) {
        this.history = history;
        this.catalog = catalog;
        this.clock = clock;
        if (history.queries() == null) {
            this.executor = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.executor = new ThreadPoolExecutor(history.queryThreads(), history.queryThreads(), 0, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(history.queryQueue()), r -> {
                        Thread t = new Thread(r, "tickwire-history-" + n.getAndIncrement());
                        t.setDaemon(true);
                        return t;
                    }, new ThreadPoolExecutor.AbortPolicy());
        }
    }

    /** Whether this server has a store to answer from. */
    public boolean available() {
        return executor != null;
    }

    /** The most stored trades one resume may take from the store; beyond, the client is told of the gap. */
    public static final int MAX_RESUME_FROM_STORE = 100_000;

    /**
     * The stored trades of an instrument numbered {@code fromSeq..toSeq}, looked for from event
     * time {@code fromTs} on, in stream order: for a subscription resuming after a break longer
     * than the engine's window. Completes on a query thread with the trades found (fewer than
     * asked if some were never stored), or exceptionally if the store cannot answer.
     */
    public CompletableFuture<List<Trade>> tradesBySeq(Instrument instrument, long fromSeq, long toSeq, long fromTs) {
        return onQueryThread(() -> readTradesBySeq(instrument, fromSeq, toSeq, fromTs));
    }

    /** Runs a read for a resuming subscription on a query thread; fails the future if there is no store or no room. */
    private <T> CompletableFuture<T> onQueryThread(java.util.function.Supplier<T> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (executor == null) {
            result.completeExceptionally(new IllegalStateException("this server keeps no history"));
            return result;
        }
        try {
            executor.execute(() -> {
                try {
                    result.complete(read.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                } catch (Error e) {
                    // the resuming stream holds its live frames until this completes: it must, whatever happened
                    result.completeExceptionally(e);
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private List<Trade> readTradesBySeq(Instrument instrument, long fromSeq, long toSeq, long fromTs) {
        List<Trade> found = new ArrayList<>();
        int skip = 0;
        int pages = MAX_RESUME_FROM_STORE / TickQuery.MAX_LIMIT + 2; // the window may start a page early
        for (int page = 0; page < pages; page++) {
            TickPage<Trade> trades = history.queries().trades(new TickQuery(instrument, fromTs, Long.MAX_VALUE - 1, skip,
                    TickQuery.MAX_LIMIT));
            for (Trade t : trades.events()) {
                if (t.seq() > toSeq) {
                    return found;
                }
                if (t.seq() >= fromSeq) {
                    found.add(t);
                }
            }
            if (!trades.more()) {
                break;
            }
            skip += trades.events().size();
        }
        return found;
    }

    /** The most closed bars one {@code since} subscription is given from the store. */
    public static final int MAX_SINCE_BARS = 10_000;

    /**
     * The closed bars of a stream with open times in {@code [from, to)}, oldest first, at most
     * {@link #MAX_SINCE_BARS}: the history half of a bar subscription {@code since} a time.
     * Completes on a query thread, or exceptionally if the store cannot answer.
     */
    public CompletableFuture<List<Bar>> barsBetween(Instrument instrument, io.tickwire.model.Periodicity period,
                                                    io.tickwire.model.PriceType priceType, long from, long to) {
        return onQueryThread(() -> {
            List<Bar> bars = new ArrayList<>();
            long lo = from;
            while (lo < to && bars.size() < MAX_SINCE_BARS) {
                BarPage page = history.queries().bars(new BarQuery(instrument, period, priceType, lo, to,
                        BarQuery.MAX_LIMIT, false));
                bars.addAll(page.bars());
                if (!page.more() || page.bars().isEmpty()) {
                    break;
                }
                lo = page.bars().getLast().closeTime();
            }
            return bars.size() > MAX_SINCE_BARS ? bars.subList(0, MAX_SINCE_BARS) : bars;
        });
    }

    /** Whether the live feed is a replay of stored history. */
    public boolean replayFeed() {
        return history.replayFeed();
    }

    /** The store writer's state, for health. */
    public StoreStats storeStats() {
        return history.storeStats().get();
    }

    /**
     * Runs a request for an account on {@code plan}. Never throws: the future completes (on a query
     * thread, or at once when refused) with a page or a refusal. An instrument outside the plan's
     * instrument sets is refused with {@code not_entitled}, as a live subscription to it is.
     */
    public CompletableFuture<HistoryResult> query(HistoryRequest request, Plan plan) {
        if (executor == null) {
            return CompletableFuture.completedFuture(new HistoryResult.Refused(ErrorCode.HISTORY_UNAVAILABLE,
                    "this server keeps no history (the store is disabled)"));
        }
        Instrument instrument = request.symbol().length() <= 32 ? catalog.find(request.symbol()) : null;
        if (instrument == null) {
            String shown = request.symbol().length() <= 32 ? request.symbol() : request.symbol().substring(0, 32) + "…";
            return CompletableFuture.completedFuture(new HistoryResult.Refused(ErrorCode.UNKNOWN_SYMBOL,
                    "no instrument '" + shown + "'"));
        }
        if (!plan.entitles(instrument.assetClass())) {
            return CompletableFuture.completedFuture(new HistoryResult.Refused(ErrorCode.NOT_ENTITLED, "plan '" + plan.name()
                    + "' does not include " + instrument.assetClass().wireName() + " instruments"));
        }
        CompletableFuture<HistoryResult> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(answer(instrument, request)); // answer() turns exceptions into refusals itself
                } catch (Error e) {
                    // even then the request is answered: its connection counts it as in flight until it is
                    result.complete(new HistoryResult.Refused(ErrorCode.INTERNAL_ERROR, "the history query failed"));
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(new HistoryResult.Refused(ErrorCode.SERVER_BUSY, executor.isShutdown()
                    ? "the server is shutting down" : "too many history requests are waiting; retry shortly"));
        }
        return result;
    }

    /**
     * The instruments of the catalogue that {@code plan} includes, with what is stored of each; cheap
     * (no table scan), callable on any thread. The others are left out: their history would be refused.
     */
    public Listings instruments(Plan plan) {
        HistoryQueries queries = history.queries();
        if (queries != null) {
            try {
                List<InstrumentListing> listings = queries.instruments().stream()
                        .filter(h -> plan.entitles(h.instrument().assetClass()))
                        .map(h -> new InstrumentListing(h.instrument(), span(h.trades()), span(h.quotes()))).toList();
                return new Listings(listings, true);
            } catch (HistoryUnavailableException e) {
                LOG.debug("instrument history unavailable: {}", e.getMessage());
            }
        }
        return new Listings(catalog.all().stream().filter(i -> plan.entitles(i.assetClass()))
                .map(i -> new InstrumentListing(i, null, null)).toList(), false);
    }

    /** The instrument list and whether history was readable. */
    public record Listings(List<InstrumentListing> instruments, boolean historyAvailable) {
    }

    private static InstrumentListing.Span span(InstrumentHistory.Span s) {
        return s == null ? null : new InstrumentListing.Span(s.first(), s.last(), s.count());
    }

    /** Runs on a query thread, for a known instrument the plan includes. */
    private HistoryResult answer(Instrument instrument, HistoryRequest r) {
        HistoryQueries queries = history.queries();
        try {
            return switch (r.kind()) {
                case BARS -> bars(queries, instrument, r);
                case TRADES -> {
                    long to = fixedEnd(r);
                    TickPage<Trade> page = r.from() >= to ? new TickPage<>(List.of(), false)
                            : queries.trades(new TickQuery(instrument, r.from(), to, r.skip(), r.limit()));
                    yield new HistoryResult.Trades(instrument, r, page.events(), next(instrument, r, to, page));
                }
                case QUOTES -> {
                    long to = fixedEnd(r);
                    TickPage<Quote> page = r.from() >= to ? new TickPage<>(List.of(), false)
                            : queries.quotes(new TickQuery(instrument, r.from(), to, r.skip(), r.limit()));
                    yield new HistoryResult.Quotes(instrument, r, page.events(), next(instrument, r, to, page));
                }
            };
        } catch (HistoryUnavailableException e) {
            return new HistoryResult.Refused(ErrorCode.HISTORY_UNAVAILABLE, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("history request {} failed", r, e);
            return new HistoryResult.Refused(ErrorCode.INTERNAL_ERROR, "the history query failed on the server");
        }
    }

    private static HistoryResult bars(HistoryQueries queries, Instrument instrument, HistoryRequest r) {
        BarPage page = queries.bars(new BarQuery(instrument, r.periodicity(), r.priceType(), r.from(), r.to(), r.limit(),
                r.backwards()));
        String next = null;
        List<Bar> bars = page.bars();
        if (page.more() && !bars.isEmpty()) {
            HistoryRequest following = r.backwards()
                    ? new HistoryRequest(r.kind(), instrument.symbol(), r.periodicity(), r.priceType(), r.from(),
                            bars.get(0).openTime(), r.limit(), true, 0)
                    : new HistoryRequest(r.kind(), instrument.symbol(), r.periodicity(), r.priceType(),
                            bars.get(bars.size() - 1).openTime() + 1, r.to(), r.limit(), false, 0);
            next = HistoryCursor.encode(following);
        }
        return new HistoryResult.Bars(instrument, r, bars, next);
    }

    /** An open end is fixed at the time of the answer, so the pages of one walk stay consistent. */
    private long fixedEnd(HistoryRequest r) {
        return r.to() == HistoryRequest.OPEN_END ? clock.epochMicros() + 1 : r.to();
    }

    private static String next(Instrument instrument, HistoryRequest r, long to, TickPage<? extends MarketEvent> page) {
        if (!page.more() || page.events().isEmpty()) {
            return null;
        }
        long lastTime = page.events().get(page.events().size() - 1).eventTime();
        return HistoryCursor.encode(new HistoryRequest(r.kind(), instrument.symbol(), null, null, lastTime, to, r.limit(),
                false, page.skipAfter(r.from(), r.skip())));
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
