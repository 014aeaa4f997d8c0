package io.tickwire.client;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The streams the user wants, with their delivery options, which the client restores on every new
 * connection. The client owns this set, not the server: it changes when the user subscribes or
 * unsubscribes and when the server refuses a stream, never because a connection dropped.
 *
 * <p>Streams are counted as the server counts them: one per symbol for quote, trade and book (a
 * subscribe with another depth or throttle replaces the stream's options), one per symbol, period
 * and price type for bars. Each stream remembers the generation of the request that last set it, so
 * a late refusal of an old request does not undo a newer one; the options it replaced, so a refused
 * change falls back to what the server still has; and whether the server has ever accepted it
 * ({@code confirmed}), so a restore sends streams known to be good apart from new ones that may be
 * refused. Symbols are kept upper case: the server matches them ignoring case.
 *
 * <p>Not thread-safe: confined to the client's I/O thread.
 */
final class DesiredSubscriptions {

    /** Symbols per restore request, to keep each request well below the server's frame limit. */
    static final int RESTORE_BATCH = 200;

    /** One restore request: these symbols on these channels, with these options. */
    record Batch(List<String> symbols, List<Channel> channels, SubscribeOptions options) {
    }

    /** The options of one stream: depth for books, throttle for all but trades. */
    private record Options(int depth, long throttleMillis) {
    }

    private static final class Entry {
        final long generation;
        final Options options;
        /** What this entry replaced and the server may still have; null once confirmed. */
        Entry previous;
        boolean confirmed;
        /** When the server last accepted it (the client's clock, µs since the epoch), 0 before. */
        long confirmedAtMicros;

        Entry(long generation, Options options, Entry previous) {
            this.generation = generation;
            this.options = options;
            this.previous = previous;
        }
    }

    private final Map<StreamId, Entry> streams = new LinkedHashMap<>();

    static String normalize(String symbol) {
        return symbol.trim().toUpperCase(Locale.ROOT);
    }

    /** The streams a subscribe of these symbols on these channels with these options asks for. */
    static List<StreamId> streamsOf(List<String> symbols, List<Channel> channels, SubscribeOptions options) {
        List<StreamId> out = new ArrayList<>();
        for (String symbol : symbols) {
            for (Channel channel : channels) {
                if (channel == Channel.BAR) {
                    for (Periodicity period : options.periods()) {
                        for (PriceType type : options.priceTypes()) {
                            out.add(StreamId.bar(symbol, period, type));
                        }
                    }
                } else {
                    out.add(StreamId.of(symbol, channel));
                }
            }
        }
        return out;
    }

    private static Options optionsFor(Channel channel, SubscribeOptions options) {
        return switch (channel) {
            case BOOK -> new Options(options.depth(), options.throttleMillis());
            case QUOTE, BAR -> new Options(0, options.throttleMillis());
            case TRADE -> new Options(0, 0);
        };
    }

    /**
     * Adds the streams not yet wanted and changes the options of those wanted with other options,
     * marked with {@code generation}.
     *
     * @return the streams this call added or changed, each with its generation
     */
    Map<StreamId, Long> add(List<String> symbols, List<Channel> channels, SubscribeOptions options, long generation) {
        Map<StreamId, Long> changed = new LinkedHashMap<>();
        for (StreamId id : streamsOf(symbols, channels, options)) {
            Options wanted = optionsFor(id.channel(), options);
            Entry existing = streams.get(id);
            if (existing == null || !existing.options.equals(wanted)) {
                streams.put(id, new Entry(generation, wanted, existing));
                changed.put(id, generation);
            }
        }
        return changed;
    }

    /** Removes streams (for bars every bar stream of the symbol); returns those that were wanted. */
    List<StreamId> remove(List<String> symbols, List<Channel> channels) {
        List<StreamId> removed = new ArrayList<>();
        for (String symbol : symbols) {
            String s = normalize(symbol);
            for (Channel channel : channels) {
                streams.keySet().removeIf(id -> {
                    if (id.is(s, channel)) {
                        removed.add(id);
                        return true;
                    }
                    return false;
                });
            }
        }
        return removed;
    }

    /** Removes a stream the server refused on a new connection, unless a newer request has set it since. */
    void removeIfGeneration(StreamId id, Long generation) {
        Entry e = streams.get(id);
        if (e != null && generation != null && e.generation == generation) {
            streams.remove(id);
        }
    }

    /**
     * Undoes the change a refused request made, unless a newer request has set the stream since:
     * back to the options it replaced (the server keeps a stream whose change it refused), or gone.
     */
    void revertIfGeneration(StreamId id, Long generation) {
        Entry e = streams.get(id);
        if (e != null && generation != null && e.generation == generation) {
            if (e.previous != null) {
                streams.put(id, e.previous);
            } else {
                streams.remove(id);
            }
        }
    }

    /** Records that the server accepted a stream, at {@code nowMicros} by the client's clock. */
    void confirm(StreamId accepted, long nowMicros) {
        Entry e = streams.get(accepted);
        if (e != null) {
            e.confirmed = true;
            e.previous = null;
            e.confirmedAtMicros = nowMicros;
        }
    }

    /** When the server last accepted the stream (µs since the epoch, the client's clock), or 0. */
    long confirmedAt(StreamId id) {
        Entry e = streams.get(id);
        return e == null ? 0 : e.confirmedAtMicros;
    }

    boolean contains(StreamId id) {
        return streams.containsKey(id);
    }

    /** Whether any stream of the symbol on the channel is wanted (for bars: any period or price type). */
    boolean containsAny(String symbol, Channel channel) {
        String s = normalize(symbol);
        if (channel != Channel.BAR) {
            return streams.containsKey(StreamId.of(s, channel));
        }
        for (StreamId id : streams.keySet()) {
            if (id.is(s, channel)) {
                return true;
            }
        }
        return false;
    }

    /** The generation of each wanted stream of a request, for refusals to be checked against. */
    Map<StreamId, Long> generations(List<String> symbols, List<Channel> channels, SubscribeOptions options) {
        Map<StreamId, Long> out = new LinkedHashMap<>();
        for (StreamId id : streamsOf(symbols, channels, options)) {
            Entry e = streams.get(id);
            if (e != null) {
                out.put(id, e.generation);
            }
        }
        return out;
    }

    /**
     * The requests that subscribe every wanted stream again with its options. Streams the server
     * accepted before come first, new ones after, so a new stream the server refuses (say, over the
     * symbol limit) cannot take the good ones down with it. Within each, a symbol's streams with
     * the same throttle share a request (bars by price type, or by periods, whichever is exact:
     * a request subscribes every period with every price type it names), and symbols whose
     * requests look alike share them.
     */
    List<Batch> restorePlan() {
        List<Batch> plan = new ArrayList<>();
        for (boolean confirmed : new boolean[] {true, false}) {
            Map<String, List<Map.Entry<StreamId, Entry>>> bySymbol = new LinkedHashMap<>();
            streams.entrySet().forEach(e -> {
                if (e.getValue().confirmed == confirmed) {
                    bySymbol.computeIfAbsent(e.getKey().symbol(), s -> new ArrayList<>()).add(e);
                }
            });
            Map<Shape, List<String>> symbolsByShape = new LinkedHashMap<>();
            bySymbol.forEach((symbol, entries) -> {
                for (Shape shape : shapesOf(entries)) {
                    symbolsByShape.computeIfAbsent(shape, s -> new ArrayList<>()).add(symbol);
                }
            });
            symbolsByShape.forEach((shape, symbols) -> {
                for (int from = 0; from < symbols.size(); from += RESTORE_BATCH) {
                    List<String> batch = symbols.subList(from, Math.min(symbols.size(), from + RESTORE_BATCH));
                    plan.add(new Batch(List.copyOf(batch), List.copyOf(shape.channels), shape.options()));
                }
            });
        }
        return plan;
    }

    /**
     * The part of a restore batch still wanted with the batch's options, or {@code null} if none
     * is. Restore batches are paced over the plan's request rate, so the user may unsubscribe or
     * change options before one goes out; their own request covers that, and the old batch must not
     * undo it.
     */
    Batch stillWanted(Batch batch) {
        List<String> keep = new ArrayList<>();
        for (String symbol : batch.symbols()) {
            boolean wanted = true;
            for (StreamId id : streamsOf(List.of(symbol), batch.channels(), batch.options())) {
                Entry e = streams.get(id);
                wanted &= e != null && e.options.equals(optionsFor(id.channel(), batch.options()));
            }
            if (wanted) {
                keep.add(symbol);
            }
        }
        return keep.isEmpty() ? null : keep.size() == batch.symbols().size() ? batch
                : new Batch(List.copyOf(keep), batch.channels(), batch.options());
    }

    /** One request's worth of a symbol's streams. */
    private record Shape(Set<Channel> channels, int depth, long throttleMillis, Set<Periodicity> periods,
                         Set<PriceType> priceTypes) {

        SubscribeOptions options() {
            SubscribeOptions o = SubscribeOptions.defaults().withThrottle(Duration.ofMillis(throttleMillis));
            if (depth > 0) {
                o = o.withDepth(depth);
            }
            if (!periods.isEmpty()) {
                o = o.withPeriods(periods.toArray(Periodicity[]::new)).withPriceTypes(priceTypes.toArray(PriceType[]::new));
            }
            return o;
        }
    }

    /** Groups one symbol's streams into as few exact requests as it simply can. */
    private static List<Shape> shapesOf(List<Map.Entry<StreamId, Entry>> entries) {
        // quote, trade and book by throttle (trades take any throttle: the server never throttles them)
        Map<Long, Set<Channel>> plainByThrottle = new TreeMap<>();
        int depth = 0;
        boolean trade = false;
        // bars: periods per (throttle, price type), then price types per (throttle, periods)
        Map<Long, Map<PriceType, Set<Periodicity>>> barPeriods = new TreeMap<>();
        for (Map.Entry<StreamId, Entry> e : entries) {
            StreamId id = e.getKey();
            Options o = e.getValue().options;
            switch (id.channel()) {
                case TRADE -> trade = true;
                case QUOTE, BOOK -> {
                    plainByThrottle.computeIfAbsent(o.throttleMillis(), t -> EnumSet.noneOf(Channel.class)).add(id.channel());
                    if (id.channel() == Channel.BOOK) {
                        depth = o.depth();
                    }
                }
                case BAR -> barPeriods.computeIfAbsent(o.throttleMillis(), t -> new TreeMap<>())
                        .computeIfAbsent(id.priceType(), t -> EnumSet.noneOf(Periodicity.class)).add(id.period());
            }
        }
        if (trade) {
            Long any = plainByThrottle.isEmpty() ? Long.valueOf(0) : plainByThrottle.keySet().iterator().next();
            plainByThrottle.computeIfAbsent(any, t -> EnumSet.noneOf(Channel.class)).add(Channel.TRADE);
        }
        List<Shape> shapes = new ArrayList<>();
        int bookDepth = depth;
        plainByThrottle.forEach((throttle, channels) -> shapes.add(new Shape(channels,
                channels.contains(Channel.BOOK) ? bookDepth : 0, throttle, Set.of(), Set.of())));
        barPeriods.forEach((throttle, byType) -> {
            Map<Set<Periodicity>, Set<PriceType>> typesByPeriods = new LinkedHashMap<>();
            byType.forEach((type, periods) ->
                    typesByPeriods.computeIfAbsent(periods, p -> EnumSet.noneOf(PriceType.class)).add(type));
            typesByPeriods.forEach((periods, types) ->
                    shapes.add(new Shape(EnumSet.of(Channel.BAR), 0, throttle, periods, types)));
        });
        return shapes;
    }

    int size() {
        return streams.size();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DesiredSubscriptions[");
        streams.forEach((id, e) -> sb.append(' ').append(id).append(Objects.toString(e.options)));
        return sb.append(']').toString();
    }
}
