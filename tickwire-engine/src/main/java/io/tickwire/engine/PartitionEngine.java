package io.tickwire.engine;

import io.tickwire.engine.ingest.Ingest;
import io.tickwire.engine.state.LastValues;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The state and logic of one partition: ingest, last values, and who is subscribed to what.
 *
 * <p>Single writer: every method runs on the partition's one thread (the bus guarantees it), so
 * there are no locks and state is plain fields. Events are applied and published in the order
 * they arrive, which is their sequence order per stream.
 */
public final class PartitionEngine {

    private final Ingest ingest;
    private final LastValues lastValues;
    private final Long2ObjectHashMap<Interest> interests = new Long2ObjectHashMap<>();
    private final Delivery delivery;
    private final EventTap tap;
    private long subscribeCommands;

    public PartitionEngine(InstrumentCatalog catalog, Clock clock, Delivery delivery) {
        this(catalog, clock, delivery, EventTap.NONE);
    }

    /** A partition engine that also shows every sequenced event to {@code tap}. */
    public PartitionEngine(InstrumentCatalog catalog, Clock clock, Delivery delivery, EventTap tap) {
        this.ingest = new Ingest(catalog, clock);
        this.lastValues = new LastValues(catalog.size());
        this.delivery = delivery;
        this.tap = tap;
    }

    /** Sequences a raw event from a source, applies it and publishes it. */
    public void onSourceEvent(MarketEvent raw) {
        MarketEvent event = ingest.sequence(raw);
        if (event != null) {
            onSequencedEvent(event);
        }
    }

    /** Applies an already sequenced event (from ingest, or from a bus that sequenced upstream). */
    public void onSequencedEvent(MarketEvent event) {
        MarketEvent published = switch (event) {
            case Trade trade -> {
                lastValues.onTrade(trade);
                yield trade;
            }
            case Quote quote -> lastValues.onQuote(quote);
        };
        tap.onEvent(published);
        long key = StreamKey.of(published.instrumentId(), published.channel());
        Interest interest = interests.get(key);
        if (interest != null) {
            delivery.publish(key, published, interest);
        }
    }

    /** Applies a session's command. */
    public void onCommand(EngineCommand command) {
        switch (command) {
            case EngineCommand.Subscribe subscribe -> {
                subscribeCommands++;
                interests.computeIfAbsent(subscribe.streamKey(), k -> new Interest()).add(subscribe.route());
                delivery.activate(subscribe, snapshot(subscribe.streamKey()));
            }
            case EngineCommand.Unsubscribe unsubscribe -> {
                Interest interest = interests.get(unsubscribe.streamKey());
                if (interest != null && interest.remove(unsubscribe.route()) && interest.isEmpty()) {
                    interests.remove(unsubscribe.streamKey());
                }
            }
        }
    }

    /** The end of a batch of work; lets delivery wake event loops once. */
    public void endOfBatch() {
        delivery.endOfBatch();
    }

    private MarketEvent snapshot(long streamKey) {
        if (StreamKey.channel(streamKey) == Channel.QUOTE) {
            return lastValues.quote(StreamKey.instrumentId(streamKey));
        }
        return null;
    }

    /** The subscribers of a stream on all routes; for tests and metrics. */
    public int subscriberCount(long streamKey) {
        Interest interest = interests.get(streamKey);
        int total = 0;
        if (interest != null) {
            for (int i = 0; i < interest.routeCount(); i++) {
                total += interest.count(i);
            }
        }
        return total;
    }

    /** The ingest stage, for its counters. */
    public Ingest ingest() {
        return ingest;
    }

    /** Subscribe commands processed; for metrics. */
    public long subscribeCommands() {
        return subscribeCommands;
    }
}
