package io.tickwire.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records everything a client hands to its listeners, for tests to await and assert on.
 * Thread-safe: listeners append on the client's thread, tests read on theirs.
 */
final class Recorder {

    final List<Quote> quotes = new CopyOnWriteArrayList<>();
    final List<Trade> trades = new CopyOnWriteArrayList<>();
    final List<Gap> gaps = new CopyOnWriteArrayList<>();
    final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    /** Wires every listener of the builder to this recorder. */
    TickwireClient.Builder attach(TickwireClient.Builder builder) {
        return builder
                .onQuote(q -> {
                    threads.add(Thread.currentThread().getName());
                    quotes.add(q);
                })
                .onTrade(t -> {
                    threads.add(Thread.currentThread().getName());
                    trades.add(t);
                })
                .onGap(gaps::add)
                .onConnectionEvent(events::add);
    }

    <T extends ConnectionEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    long count(Class<? extends ConnectionEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    List<Long> tradeSeqs(String symbol) {
        return trades.stream().filter(t -> t.symbol().equals(symbol)).map(Trade::seq).toList();
    }

    List<Long> quoteSeqs(String symbol) {
        return quotes.stream().filter(q -> q.symbol().equals(symbol)).map(Quote::seq).toList();
    }
}
