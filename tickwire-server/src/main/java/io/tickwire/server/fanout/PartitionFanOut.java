package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.engine.Delivery;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.Interest;
import io.tickwire.engine.Route;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.StreamMessage;
import java.util.List;
import org.agrona.collections.LongHashSet;

/**
 * Fan-out as one engine partition drives it: encodes each event once per wire format that has
 * subscribers, hands one reference of the shared frame to each interested loop's outbox, and
 * wakes the touched loops once per batch.
 *
 * <p>When a loop's outbox refuses an item of a stream, the stream is <em>owed a loss marker</em>
 * on that loop: its later frames for that loop are dropped until the marker is queued, so the
 * marker sits exactly where the loss happened. Owed markers are retried at every batch end and
 * whenever the partition is idle, so a stream that goes quiet is still told.
 *
 * <p>Confined to its partition thread, which also owns its encoders.
 */
final class PartitionFanOut implements Delivery {

    private final List<LoopOutbox> outboxes;
    private final WireFormat.Encoder[] encoders;
    private final InstrumentCatalog catalog;
    private final Clock clock;
    private final ByteBufAllocator alloc;
    private final boolean[] touched;
    /** Per loop, the streams owed a loss marker there. */
    private final LongHashSet[] owedLoss;

    PartitionFanOut(List<LoopOutbox> outboxes, List<WireFormat> formats, InstrumentCatalog catalog, Clock clock,
                    ByteBufAllocator alloc) {
        this.outboxes = outboxes;
        this.encoders = new WireFormat.Encoder[formats.size()];
        for (int i = 0; i < encoders.length; i++) {
            encoders[i] = formats.get(i).newEncoder();
        }
        this.catalog = catalog;
        this.clock = clock;
        this.alloc = alloc;
        this.touched = new boolean[outboxes.size()];
        this.owedLoss = new LongHashSet[outboxes.size()];
        for (int i = 0; i < owedLoss.length; i++) {
            owedLoss[i] = new LongHashSet();
        }
    }

    @Override
    public void publish(long streamKey, StreamMessage message, long prevSeq, Interest interest) {
        Instrument instrument = catalog.get(message.instrumentId());
        long sent = clock.epochMicros();
        for (int format = 0; format < encoders.length; format++) {
            ByteBuf frame = null;
            for (int i = 0; i < interest.routeCount(); i++) {
                int route = interest.route(i);
                if (Route.format(route) != format) {
                    continue;
                }
                if (frame == null) {
                    frame = encoders[format].encode(streamKey, instrument, message, prevSeq, sent, false, null, alloc);
                    if (frame == null) {
                        break; // this format does not carry this event
                    }
                }
                int loop = Route.loop(route);
                touched[loop] = true;
                if (!payLoss(loop, streamKey)) {
                    continue; // still owed: this frame is lost too
                }
                if (!outboxes.get(loop).offerFrame(streamKey, format, frame.retain())) {
                    owedLoss[loop].add(streamKey);
                }
            }
            if (frame != null) {
                frame.release();
            }
        }
    }

    @Override
    public void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot) {
        int route = subscribe.route();
        ByteBuf frame = snapshot == null ? null : encodeSnapshot(subscribe.streamKey(), route, snapshot, null);
        int loop = Route.loop(route);
        outboxes.get(loop).offerActivation(subscribe, frame);
        touched[loop] = true;
    }

    /** Queues the loss marker a stream owes on a loop, if any; returns false if it is still owed. */
    private boolean payLoss(int loop, long streamKey) {
        LongHashSet owed = owedLoss[loop];
        if (owed.isEmpty() || !owed.contains(streamKey)) {
            return true;
        }
        if (outboxes.get(loop).offerLoss(streamKey)) {
            owed.remove(streamKey);
            return true;
        }
        return false;
    }

    @Override
    public void snapshot(EngineCommand.Snapshot request, StreamMessage snapshot) {
        int route = request.route();
        ByteBuf frame = snapshot == null ? null : encodeSnapshot(request.streamKey(), route, snapshot, request.requestId());
        int loop = Route.loop(route);
        touched[loop] = true;
        if (!payLoss(loop, request.streamKey()) || !outboxes.get(loop).offerSnapshot(request, frame)) {
            owedLoss[loop].add(request.streamKey());
        }
    }

    private ByteBuf encodeSnapshot(long streamKey, int route, StreamMessage snapshot, String requestId) {
        Instrument instrument = catalog.get(snapshot.instrumentId());
        return encoders[Route.format(route)].encode(streamKey, instrument, snapshot, -1, clock.epochMicros(), true, requestId, alloc);
    }

    @Override
    public void endOfBatch() {
        retryOwed();
        for (int loop = 0; loop < touched.length; loop++) {
            if (touched[loop]) {
                touched[loop] = false;
                outboxes.get(loop).wake();
            }
        }
    }

    @Override
    public boolean retryPending() {
        retryOwed();
        boolean pending = false;
        for (int loop = 0; loop < owedLoss.length; loop++) {
            if (touched[loop]) {
                touched[loop] = false;
                outboxes.get(loop).wake();
            }
            pending |= !owedLoss[loop].isEmpty();
        }
        return pending;
    }

    private void retryOwed() {
        for (int loop = 0; loop < owedLoss.length; loop++) {
            LongHashSet owed = owedLoss[loop];
            if (owed.isEmpty()) {
                continue;
            }
            LongHashSet.LongIterator it = owed.iterator();
            while (it.hasNext()) {
                long key = it.nextValue();
                if (!outboxes.get(loop).offerLoss(key)) {
                    break; // still full: try again later
                }
                it.remove();
                touched[loop] = true;
            }
        }
    }
}
