package io.tickwire.engine;

import io.tickwire.model.MarketEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Delivery} that records what the engine asked it to do, in order. Thread-safe. */
public final class RecordingDelivery implements Delivery {

    /** A publish as the engine called it, with the routes that had interest then. */
    public record Published(long streamKey, MarketEvent event, List<Integer> routes) {
    }

    /** An activation as the engine called it. */
    public record Activated(EngineCommand.Subscribe subscribe, MarketEvent snapshot) {
    }

    public final List<Object> calls = new CopyOnWriteArrayList<>();
    public volatile int batches;

    @Override
    public void publish(long streamKey, MarketEvent event, Interest interest) {
        List<Integer> routes = new ArrayList<>();
        for (int i = 0; i < interest.routeCount(); i++) {
            routes.add(interest.route(i));
        }
        calls.add(new Published(streamKey, event, List.copyOf(routes)));
    }

    @Override
    public void activate(EngineCommand.Subscribe subscribe, MarketEvent snapshot) {
        calls.add(new Activated(subscribe, snapshot));
    }

    @Override
    public void endOfBatch() {
        batches++;
    }

    /** The published events, in order. */
    public List<MarketEvent> events() {
        return calls.stream().filter(Published.class::isInstance).map(c -> ((Published) c).event()).toList();
    }
}
