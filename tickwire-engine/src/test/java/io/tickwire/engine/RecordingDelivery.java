package io.tickwire.engine;

import io.tickwire.engine.resume.Resume;
import io.tickwire.model.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Delivery} that records what the engine asked it to do, in order. Thread-safe. */
public final class RecordingDelivery implements Delivery {

    /** A publish as the engine called it, with the routes that had interest then. */
    public record Published(long streamKey, StreamMessage message, long prevSeq, List<Integer> routes) {
    }

    /** An activation as the engine called it. */
    public record Activated(EngineCommand.Subscribe subscribe, StreamMessage snapshot) {
    }

    /** A resuming activation as the engine called it. */
    public record Resumed(EngineCommand.Subscribe subscribe, StreamMessage snapshot, Resume resume) {
    }

    /** A status change as the engine announced it to one stream's routes. */
    public record Status(long streamKey, boolean live, long lastEventTime) {
    }

    /** A snapshot answer as the engine called it. */
    public record Snapshotted(EngineCommand.Snapshot request, StreamMessage snapshot) {
    }

    public final List<Object> calls = new CopyOnWriteArrayList<>();
    public volatile int batches;
    /** The thread of the latest publish: the partition's, or a producer's that handed over. */
    public volatile Thread lastPublishThread;

    @Override
    public void publish(long streamKey, StreamMessage message, long prevSeq, Interest interest) {
        List<Integer> routes = new ArrayList<>();
        for (int i = 0; i < interest.routeCount(); i++) {
            routes.add(interest.route(i));
        }
        calls.add(new Published(streamKey, message, prevSeq, List.copyOf(routes)));
        lastPublishThread = Thread.currentThread();
    }

    @Override
    public void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot) {
        calls.add(new Activated(subscribe, snapshot));
    }

    @Override
    public void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot, Resume resume) {
        calls.add(new Resumed(subscribe, snapshot, resume));
    }

    @Override
    public void status(long streamKey, boolean live, long lastEventTime, Interest interest) {
        calls.add(new Status(streamKey, live, lastEventTime));
    }

    @Override
    public void snapshot(EngineCommand.Snapshot request, StreamMessage snapshot) {
        calls.add(new Snapshotted(request, snapshot));
    }

    @Override
    public void endOfBatch() {
        batches++;
    }

    /** The published messages, in order. */
    public List<StreamMessage> events() {
        return calls.stream().filter(Published.class::isInstance).map(c -> ((Published) c).message()).toList();
    }

    /** The published calls of one stream, in order. */
    public List<Published> published(long streamKey) {
        return calls.stream().filter(Published.class::isInstance).map(Published.class::cast)
                .filter(p -> p.streamKey() == streamKey).toList();
    }

    /** Forgets what was recorded. */
    public void clear() {
        calls.clear();
    }
}
