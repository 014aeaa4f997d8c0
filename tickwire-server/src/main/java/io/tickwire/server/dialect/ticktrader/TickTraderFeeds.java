package io.tickwire.server.dialect.ticktrader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.tickwire.auth.Plan;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Throttle;
import io.tickwire.server.session.Session;
import io.tickwire.server.session.SessionOutcome;
import io.tickwire.server.session.StreamSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * TickTrader's subscriptions on one connection: {@code FeedSubscribe} subscribes each symbol's
 * book at its {@code BookDepth}, throttled by {@code FrequencyPriority} (once per 2^P × 500 ms),
 * and answers once every stream's first snapshot is in ({@link PendingFeedSubscribe});
 * {@code BarFeedSubscribe} subscribes bid and ask bars. Both are all or nothing. A request with
 * both {@code Unsubscribe} and {@code Subscribe} is read whole first, then unsubscribes, then
 * subscribes, as two requests in a row would (so a refused {@code Subscribe} leaves the
 * {@code Unsubscribe} done, and the symbols it freed count as free).
 *
 * <p>Confined to the connection's event loop; answers go through {@code send}.
 */
final class TickTraderFeeds {

    private final Session session;
    private final InstrumentCatalog catalog;
    private final Consumer<String> send;
    /** This connection's book subscriptions by instrument id: the stream key. */
    private final Map<Integer, Long> books = new LinkedHashMap<>();
    private final List<PendingFeedSubscribe> pending = new ArrayList<>();

    TickTraderFeeds(Session session, InstrumentCatalog catalog, Consumer<String> send) {
        this.session = session;
        this.catalog = catalog;
        this.send = send;
    }

    void feed(JsonNode id, JsonNode params) {
        Symbols gone = unsubscribeList(params.path("Unsubscribe"));
        JsonNode list = params.path("Subscribe");
        String invalid = gone.error() != null ? gone.error() : subscribeListError(list, gone);
        if (invalid != null) {
            send.accept(TickTraderJson.error(id, invalid));
            return;
        }
        Map<Instrument, StreamSpec> specs = new LinkedHashMap<>();
        for (JsonNode item : list) { // none when only Unsubscribe is given
            Instrument instrument = instrument(item.path("Symbol"));
            if (instrument == null) {
                send.accept(TickTraderJson.error(id, "Symbol '" + TickTraderJson.abbreviate(item.path("Symbol").asText("")) + "' not found"));
                return;
            }
            JsonNode depthNode = item.path("BookDepth");
            int depth = TickTraderJson.isInt(depthNode) ? depthNode.asInt() : -1;
            if (depth < 1 || depth > instrument.maxBookDepth()) {
                send.accept(TickTraderJson.error(id, "Invalid parameter 'BookDepth' for " + instrument.symbol() + ": expected 1 to "
                        + instrument.maxBookDepth()));
                return;
            }
            int throttle = 0;
            JsonNode priority = item.path("FrequencyPriority");
            if (!priority.isMissingNode() && !priority.isNull()) {
                throttle = TickTraderJson.isInt(priority) ? Throttle.ofFrequencyPriority(priority.asInt()) : -1;
                if (throttle < 0) {
                    send.accept(TickTraderJson.error(id, "Invalid parameter 'FrequencyPriority' for " + instrument.symbol()
                            + ": expected 0 to 7"));
                    return;
                }
            }
            specs.put(instrument, new StreamSpec(Channel.BOOK, depth, throttle, null, null));
        }
        // the request is valid as a whole: its Unsubscribe first, then its Subscribe, as two requests in a row
        List<String> held = new ArrayList<>();
        for (Instrument i : gone.instruments()) {
            Long key = books.remove(i.id());
            if (key != null) {
                held.add(i.symbol());
                forgetPending(key);
            }
        }
        if (!held.isEmpty()) {
            session.unsubscribe(held, List.of(Channel.BOOK), null, null);
        }
        if (specs.isEmpty()) {
            ObjectNode result = TickTraderJson.object();
            result.putArray("Snapshot");
            send.accept(TickTraderJson.response(id, "FeedSubscribe", result));
            return;
        }
        String refused = checkPlan(Channel.BOOK, specs.keySet());
        if (refused != null) {
            send.accept(TickTraderJson.error(id, refused));
            return;
        }
        // a symbol subscribed again starts afresh, so its snapshot comes for the response
        List<String> again = specs.keySet().stream().filter(i -> books.containsKey(i.id())).map(Instrument::symbol).toList();
        specs.keySet().stream().map(i -> books.get(i.id())).filter(java.util.Objects::nonNull).forEach(this::forgetPending);
        if (!again.isEmpty()) {
            session.unsubscribe(again, List.of(Channel.BOOK), null, null);
        }
        List<Long> keys = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (Map.Entry<Instrument, StreamSpec> e : specs.entrySet()) {
            SessionOutcome outcome = session.subscribe(List.of(e.getKey().symbol()), List.of(e.getValue()));
            if (outcome instanceof SessionOutcome.Refused r) {
                // All or nothing: what this request subscribed before the refusal is undone. Never
                // reached while checkPlan checks every refusal of Session.subscribe first (channel,
                // entitlement, symbol count): this undo cannot restore a stream the request restarted
                // ('again') or re-subscribed, so a new kind of refusal belongs in checkPlan, not here.
                if (!done.isEmpty()) {
                    session.unsubscribe(done, List.of(Channel.BOOK), null, null);
                    done.forEach(symbol -> books.remove(catalog.find(symbol).id()));
                }
                send.accept(TickTraderJson.error(id, r.message()));
                return;
            }
            done.add(e.getKey().symbol());
            for (SessionOutcome.Stream s : ((SessionOutcome.Applied) outcome).streams()) {
                books.put(s.instrument().id(), s.streamKey());
                keys.add(s.streamKey());
            }
        }
        pending.add(new PendingFeedSubscribe(id, keys));
    }

    void barFeed(JsonNode id, JsonNode params) {
        Symbols gone = unsubscribeList(params.path("Unsubscribe"));
        JsonNode list = params.path("Subscribe");
        String invalid = gone.error() != null ? gone.error() : subscribeListError(list, gone);
        if (invalid != null) {
            send.accept(TickTraderJson.error(id, invalid));
            return;
        }
        Map<Instrument, List<StreamSpec>> specs = new LinkedHashMap<>();
        for (JsonNode item : list) {
            Instrument instrument = instrument(item.path("Symbol"));
            if (instrument == null) {
                send.accept(TickTraderJson.error(id, "Symbol '" + TickTraderJson.abbreviate(item.path("Symbol").asText("")) + "' not found"));
                return;
            }
            JsonNode barParams = item.path("BarParams");
            if (!barParams.isArray() || barParams.isEmpty()) {
                send.accept(TickTraderJson.error(id, "Invalid parameter 'BarParams' for " + instrument.symbol()));
                return;
            }
            Set<StreamSpec> wanted = new LinkedHashSet<>();
            for (JsonNode p : barParams) {
                Periodicity period = Periodicity.fromTickTrader(p.path("Periodicity").asText(""));
                PriceType type = PriceType.fromWire(p.path("PriceType").asText(""));
                if (period == null) {
                    send.accept(TickTraderJson.error(id, "Invalid parameter 'Periodicity': expected one of M1, M5, M15, M30, H1, H4, D1, W1, MN1"));
                    return;
                }
                if (type != PriceType.BID && type != PriceType.ASK) {
                    send.accept(TickTraderJson.error(id, "Invalid parameter 'PriceType': expected \"Bid\" or \"Ask\""));
                    return;
                }
                wanted.add(new StreamSpec(Channel.BAR, 0, 0, period, type));
            }
            specs.computeIfAbsent(instrument, k -> new ArrayList<>()).addAll(wanted);
        }
        // the request is valid as a whole: its Unsubscribe first, then its Subscribe, as two requests in a row
        if (!gone.instruments().isEmpty()) {
            session.unsubscribe(gone.instruments().stream().map(Instrument::symbol).toList(), List.of(Channel.BAR), null, null);
        }
        if (specs.isEmpty()) {
            send.accept(TickTraderJson.response(id, "BarFeedSubscribe", TickTraderJson.object()));
            return;
        }
        String refused = checkPlan(Channel.BAR, specs.keySet());
        if (refused != null) {
            send.accept(TickTraderJson.error(id, refused));
            return;
        }
        List<String> done = new ArrayList<>();
        for (Map.Entry<Instrument, List<StreamSpec>> e : specs.entrySet()) {
            if (session.subscribe(List.of(e.getKey().symbol()), e.getValue()) instanceof SessionOutcome.Refused r) {
                // all or nothing; never reached while checkPlan mirrors Session.subscribe's refusals,
                // and this undo would also drop bar streams of these symbols held before the request
                for (String symbol : done) {
                    List<StreamSpec> undo = specs.get(catalog.find(symbol));
                    session.unsubscribe(List.of(symbol), List.of(Channel.BAR),
                            undo.stream().map(StreamSpec::period).distinct().toList(),
                            undo.stream().map(StreamSpec::priceType).distinct().toList());
                }
                send.accept(TickTraderJson.error(id, r.message()));
                return;
            }
            done.add(e.getKey().symbol());
        }
        // the ack goes out now, in this task; each bar's current value follows from fan-out in a
        // later one, as the seed's FeedBarUpdate
        send.accept(TickTraderJson.response(id, "BarFeedSubscribe", TickTraderJson.object()));
    }

    /** Why the plan refuses these instruments on this channel, or {@code null}. */
    private String checkPlan(Channel channel, Set<Instrument> instruments) {
        Plan plan = session.account().plan();
        if (!plan.allows(channel)) {
            return "Plan '" + plan.name() + "' does not include " + (channel == Channel.BOOK ? "feed ticks" : "bars");
        }
        int after = session.symbolCount();
        for (Instrument i : instruments) {
            if (!plan.entitles(i.assetClass())) {
                return "Plan '" + plan.name() + "' does not include " + i.symbol();
            }
            if (!session.subscribes(i.id())) {
                after++;
            }
        }
        // checked for the whole request before anything changes, so a refusal leaves the symbols
        // subscribed before it (a symbol subscribed again is unsubscribed first, then restarted)
        if (after > plan.maxSymbols()) {
            return "Plan '" + plan.name() + "' allows " + plan.maxSymbols() + " symbols per connection; this request would make "
                    + after;
        }
        return null;
    }

    /** The instruments of an {@code Unsubscribe}, or why it names none. */
    private record Symbols(List<Instrument> instruments, String error) {
    }

    /**
     * The instruments an {@code Unsubscribe} names (none when it is absent): a non-empty array of
     * symbols, each a string or, as a {@code Subscribe} entry names it, {@code {"Symbol":…}}.
     */
    private Symbols unsubscribeList(JsonNode array) {
        if (array.isMissingNode() || array.isNull()) {
            return new Symbols(List.of(), null);
        }
        if (!array.isArray() || array.isEmpty()) {
            return new Symbols(null, "Invalid parameter 'Unsubscribe': must be a non-empty array of symbols");
        }
        List<Instrument> out = new ArrayList<>();
        for (JsonNode n : array) {
            JsonNode symbol = n.isObject() ? n.path("Symbol") : n;
            if (!symbol.isTextual()) {
                return new Symbols(null, "Invalid parameter 'Unsubscribe': each entry must be a symbol, \"EURUSD\" or "
                        + "{\"Symbol\":\"EURUSD\"}");
            }
            Instrument i = instrument(symbol);
            if (i == null) {
                return new Symbols(null, "Symbol '" + TickTraderJson.abbreviate(symbol.asText()) + "' not found");
            }
            out.add(i);
        }
        return new Symbols(out, null);
    }

    /** Why a {@code Subscribe} cannot be read, given the request's {@code Unsubscribe}; {@code null} if it can. */
    private static String subscribeListError(JsonNode list, Symbols gone) {
        if (list.isMissingNode() || list.isNull()) {
            return gone.instruments().isEmpty() ? "Invalid parameters: 'Subscribe' or 'Unsubscribe' is required" : null;
        }
        return list.isArray() && !list.isEmpty() ? null : "Invalid parameter 'Subscribe': must be a non-empty array";
    }

    private Instrument instrument(JsonNode symbol) {
        String s = symbol.isTextual() ? symbol.asText() : "";
        return s.isEmpty() || s.length() > 32 ? null : catalog.find(s);
    }

    /** See {@link io.tickwire.server.session.Session.Protocol#outgoing}. */
    ByteBuf outgoing(long streamKey, ByteBuf frame, boolean activation) {
        if (pending.isEmpty()) {
            return frame;
        }
        if (activation) {
            for (PendingFeedSubscribe p : pending) {
                if (p.awaits(streamKey)) {
                    p.arrived(streamKey, frame == null ? null : TickTraderWireFormat.feedTickResult(frame));
                    if (frame != null) {
                        frame.release();
                    }
                    answerCompleted();
                    return null;
                }
            }
        }
        // held by the latest request of the stream, so it follows that request's response
        for (int i = pending.size() - 1; frame != null && i >= 0; i--) {
            if (pending.get(i).covers(streamKey)) {
                pending.get(i).held.add(frame);
                answerCompleted();
                return null;
            }
        }
        return frame;
    }

    /**
     * A stream an earlier FeedSubscribe waits for is being dropped or restarted: its old snapshot
     * will never come (fan-out skips a dropped subscription), so that request stops waiting for it.
     */
    private void forgetPending(long key) {
        for (PendingFeedSubscribe p : pending) {
            if (p.awaits(key)) {
                p.arrived(key, null);
            }
        }
        answerCompleted();
    }

    /** Sends the responses of completed FeedSubscribes, in request order, each followed by what it held. */
    private void answerCompleted() {
        while (!pending.isEmpty() && pending.get(0).complete()) {
            PendingFeedSubscribe done = pending.remove(0);
            StringBuilder result = new StringBuilder("{\"Snapshot\":[");
            for (int i = 0; i < done.snapshots.size(); i++) {
                result.append(i == 0 ? "" : ",").append(done.snapshots.get(i));
            }
            result.append("]}");
            send.accept(TickTraderJson.response(done.id, "FeedSubscribe", TickTraderJson.parse(result.toString())));
            ByteBuf held;
            while ((held = done.held.poll()) != null) {
                session.send(held);
            }
        }
    }

    /** Releases held frames; the connection is gone. */
    void release() {
        pending.forEach(PendingFeedSubscribe::release);
        pending.clear();
    }
}
