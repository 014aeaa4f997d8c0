package io.tickwire.client;

import io.tickwire.client.internal.OrderedExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the user's code runs: the listeners given to the builder and the completion of the
 * client's futures. Either inline on the client's I/O thread, or handed in order to the user's
 * executor through an {@link OrderedExecutor}. Either way one client's callbacks never run
 * concurrently and run in the order the client produced them, so a subscribe future completes
 * before the first quote of the new stream is delivered.
 *
 * <p>Called only from the client's I/O thread, apart from {@link #backlogAboveHighWater()} and the
 * low-water signal.
 */
final class Callbacks {

    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);
    static final int HIGH_WATER = 10_000;
    static final int LOW_WATER = 1_000;

    private final Consumer<Quote> quotes;
    private final Consumer<Trade> trades;
    private final Consumer<BookView> books;
    private final Consumer<BookResync> resyncs;
    private final Consumer<Bar> bars;
    private final Consumer<Gap> gaps;
    private final Consumer<ConnectionEvent> events;
    private final OrderedExecutor executor;

    /**
     * @param executor   the user's executor, or {@code null} to run callbacks on the I/O thread
     * @param onLowWater called (on any thread) when a backlog that reached the high-water mark has
     *                   drained to the low-water mark
     */
    Callbacks(ClientOptions options, Runnable onLowWater) {
        this(options.onQuote(), options.onTrade(), options.onBook(), options.onBookResync(), options.onBar(),
                options.onGap(), options.onConnectionEvent(), options.callbackExecutor(), onLowWater);
    }

    Callbacks(Consumer<Quote> quotes, Consumer<Trade> trades, Consumer<BookView> books, Consumer<BookResync> resyncs,
              Consumer<Bar> bars, Consumer<Gap> gaps, Consumer<ConnectionEvent> events, Executor executor,
              Runnable onLowWater) {
        this.quotes = quotes;
        this.trades = trades;
        this.books = books;
        this.resyncs = resyncs;
        this.bars = bars;
        this.gaps = gaps;
        this.events = events;
        this.executor = executor == null ? null : new OrderedExecutor(executor, HIGH_WATER, LOW_WATER, onLowWater);
    }

    boolean wantsQuotes() {
        return quotes != null;
    }

    boolean wantsTrades() {
        return trades != null;
    }

    boolean wantsBars() {
        return bars != null;
    }

    void book(BookView view) {
        if (books != null) {
            run(() -> books.accept(view));
        }
    }

    void bookResync(BookResync resync) {
        if (resyncs != null) {
            run(() -> resyncs.accept(resync));
        }
    }

    void bar(Bar bar) {
        run(() -> bars.accept(bar));
    }

    void quote(Quote quote) {
        run(() -> quotes.accept(quote));
    }

    void trade(Trade trade) {
        run(() -> trades.accept(trade));
    }

    void gap(Gap gap) {
        if (gaps != null) {
            run(() -> gaps.accept(gap));
        } else {
            if (gap.announced()) {
                LOG.warn("gap in {} {}: the server could not deliver every update (no gap listener registered)",
                        gap.symbol(), gap.channel().wireName());
            } else {
                LOG.warn("gap in {} {}: expected seq {}, received {} (no gap listener registered)",
                        gap.symbol(), gap.channel().wireName(), gap.expected(), gap.received());
            }
        }
    }

    void event(ConnectionEvent event) {
        if (events != null) {
            run(() -> events.accept(event));
        }
    }

    <T> void complete(CompletableFuture<T> future, T value) {
        if (future != null) {
            run(() -> future.complete(value));
        }
    }

    void fail(CompletableFuture<?> future, Throwable cause) {
        if (future != null) {
            run(() -> future.completeExceptionally(cause));
        }
    }

    /** Whether so many callbacks wait on the user's executor that the client should stop reading. */
    boolean backlogAboveHighWater() {
        return executor != null && executor.aboveHighWater();
    }

    /** Asks for the low-water signal once the backlog has drained. */
    void armResumeSignal() {
        if (executor != null) {
            executor.armResumeSignal();
        }
    }

    private void run(Runnable task) {
        if (executor != null) {
            executor.execute(task);
            return;
        }
        try {
            task.run();
        } catch (Throwable t) {
            LOG.warn("a Tickwire callback threw; carrying on", t);
        }
    }
}
