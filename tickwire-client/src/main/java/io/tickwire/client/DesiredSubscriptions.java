package io.tickwire.client;

import io.tickwire.model.Channel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The streams the user wants, which the client restores on every new connection. The client owns
 * this set, not the server: it changes when the user subscribes or unsubscribes and when the server
 * refuses a stream, never because a connection dropped.
 *
 * <p>Each stream remembers the generation of the request that added it, so a late refusal of an
 * old request does not remove a stream a newer request asked for again, and whether the server has
 * ever accepted it ({@code confirmed}), so a restore sends streams known to be good apart from new
 * ones that may be refused. Symbols are kept upper case: the server matches them ignoring case.
 *
 * <p>Not thread-safe: confined to the client's I/O thread.
 */
final class DesiredSubscriptions {

    /** Symbols per restore request, to keep each request well below the server's frame limit. */
    static final int RESTORE_BATCH = 200;

    /** One restore request: these symbols on these channels. */
    record Batch(List<String> symbols, List<Channel> channels) {
    }

    private static final class Entry {
        final long generation;
        boolean confirmed;

        Entry(long generation) {
            this.generation = generation;
        }
    }

    private final Map<Subscription, Entry> streams = new LinkedHashMap<>();

    static String normalize(String symbol) {
        return symbol.trim().toUpperCase(Locale.ROOT);
    }

    static Subscription key(String symbol, Channel channel) {
        return new Subscription(normalize(symbol), channel);
    }

    /**
     * Adds the streams not yet wanted, marked with {@code generation}.
     *
     * @return the streams this call added, each with its generation
     */
    Map<Subscription, Long> add(List<String> symbols, List<Channel> channels, long generation) {
        Map<Subscription, Long> added = new LinkedHashMap<>();
        for (String symbol : symbols) {
            for (Channel channel : channels) {
                Subscription key = key(symbol, channel);
                if (!streams.containsKey(key)) {
                    streams.put(key, new Entry(generation));
                    added.put(key, generation);
                }
            }
        }
        return added;
    }

    /** Removes streams; returns those that were wanted. */
    List<Subscription> remove(List<String> symbols, List<Channel> channels) {
        List<Subscription> removed = new ArrayList<>();
        for (String symbol : symbols) {
            for (Channel channel : channels) {
                Subscription key = key(symbol, channel);
                if (streams.remove(key) != null) {
                    removed.add(key);
                }
            }
        }
        return removed;
    }

    /** Removes a stream the server refused, unless a newer request has added it since. */
    void removeIfGeneration(Subscription key, Long generation) {
        Entry e = streams.get(key);
        if (e != null && generation != null && e.generation == generation) {
            streams.remove(key);
        }
    }

    /** Records that the server accepted a stream. */
    void confirm(Subscription accepted) {
        Entry e = streams.get(key(accepted.symbol(), accepted.channel()));
        if (e != null) {
            e.confirmed = true;
        }
    }

    boolean contains(String symbol, Channel channel) {
        return streams.containsKey(key(symbol, channel));
    }

    /** The generation of each wanted stream, for a restore request to check refusals against. */
    Map<Subscription, Long> generations(List<String> symbols, List<Channel> channels) {
        Map<Subscription, Long> out = new LinkedHashMap<>();
        for (String symbol : symbols) {
            for (Channel channel : channels) {
                Subscription key = key(symbol, channel);
                Entry e = streams.get(key);
                if (e != null) {
                    out.put(key, e.generation);
                }
            }
        }
        return out;
    }

    /**
     * The requests that subscribe every wanted stream again: streams the server accepted before
     * come first, new ones after, so a new stream the server refuses (say, over the symbol limit)
     * cannot take the good ones down with it. Symbols with the same channels share a request.
     */
    List<Batch> restorePlan() {
        List<Batch> plan = new ArrayList<>();
        for (boolean confirmed : new boolean[] {true, false}) {
            Map<String, Set<Channel>> channelsBySymbol = new LinkedHashMap<>();
            streams.forEach((key, entry) -> {
                if (entry.confirmed == confirmed) {
                    channelsBySymbol.computeIfAbsent(key.symbol(), s -> EnumSet.noneOf(Channel.class)).add(key.channel());
                }
            });
            Map<Set<Channel>, List<String>> symbolsByChannels = new LinkedHashMap<>();
            channelsBySymbol.forEach((symbol, channels) ->
                    symbolsByChannels.computeIfAbsent(channels, c -> new ArrayList<>()).add(symbol));
            symbolsByChannels.forEach((channels, symbols) -> {
                for (int from = 0; from < symbols.size(); from += RESTORE_BATCH) {
                    List<String> batch = symbols.subList(from, Math.min(symbols.size(), from + RESTORE_BATCH));
                    plan.add(new Batch(List.copyOf(batch), List.copyOf(channels)));
                }
            });
        }
        return plan;
    }

    int size() {
        return streams.size();
    }
}
