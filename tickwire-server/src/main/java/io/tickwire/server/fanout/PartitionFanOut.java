package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.engine.Delivery;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.Interest;
import io.tickwire.engine.Route;
import io.tickwire.engine.StreamKey;
import io.tickwire.engine.resume.Resume;
import io.tickwire.model.Bar;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Quote;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import java.util.ArrayList;
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
                if (!outboxes.get(loop).offerFrame(streamKey, format, frame.retain(), message.seq(), timeOf(message))) {
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
        outboxes.get(loop).offerActivation(subscribe, frame, snapshot == null ? -1 : snapshot.seq(),
                snapshot == null ? -1 : timeOf(snapshot));
        touched[loop] = true;
    }

    /**
     * A resuming subscription: a {@code resumed} notice, then the missed messages (exact) or the
     * snapshot, queued as one item so nothing live can come between. Trades older than the
     * engine's window go to the subscriber to fetch from history (see {@link Subscriber#resumeFromHistory}).
     */
    @Override
    public void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot, Resume resume) {
        int route = subscribe.route();
        int format = Route.format(route);
        long key = subscribe.streamKey();
        Instrument instrument = catalog.get(StreamKey.instrumentId(key));
        WireFormat.Encoder encoder = encoders[format];
        long sent = clock.epochMicros();
        List<ByteBuf> frames = new ArrayList<>();
        StreamMessage[] missed = resume.missed();
        StreamMessage last = missed.length > 0 ? missed[missed.length - 1] : null;
        long historyFrom = 0;
        long historyTo = 0;
        long historyTs = 0;
        switch (resume.mode()) {
            case EXACT -> addIfAny(frames, encoder.resumed(instrument, key, "exact", Math.max(0, resume.after()),
                    missed.length, 0, 0, alloc));
            case SNAPSHOT -> {
                // a bar stream 'since' a time: its closed bars up to the forming one come from the store
                // (the subscriber reads them before the forming bar and the live updates)
                boolean barsSince = StreamKey.channel(key) == Channel.BAR
                        && resume.after() == EngineCommand.Subscribe.SINCE_TIME;
                ByteBuf notice = barsSince
                        ? encoder.resumed(instrument, key, "gap", 0, snapshot == null ? 0 : 1, 0, 0, alloc)
                        : encoder.resumed(instrument, key, "snapshot", Math.max(0, resume.after()), 0, 0, 0, alloc);
                if (barsSince && notice != null) {
                    historyFrom = -1;
                    historyTo = snapshot instanceof Bar forming ? forming.openTime() : Long.MAX_VALUE;
                    historyTs = subscribe.resumeTs();
                }
                addIfAny(frames, notice);
                if (snapshot != null) {
                    addIfAny(frames, encoder.encode(instrument, snapshot, -1, sent, true, null, alloc));
                    last = snapshot;
                }
            }
            case RENUMBERED -> // numbers unknown: no missedFrom/missedTo, then what is held after the client's time
                    addIfAny(frames, encoder.resumed(instrument, key, "gap", Math.max(0, resume.after()), missed.length,
                            0, 0, alloc));
            case TOO_OLD -> {
                long firstHeld = missed.length > 0 ? missed[0].seq() : resume.lastSeq() + 1;
                boolean since = resume.after() == EngineCommand.Subscribe.SINCE_TIME;
                boolean fetchable = since ? firstHeld > 1 : resume.after() < firstHeld - 1;
                // since a time: numbers unknown until the store says; fromSeq 0 tells the subscriber so
                long from = !fetchable ? 0 : since ? 0 : resume.after() + 1;
                long to = fetchable ? firstHeld - 1 : 0;
                ByteBuf notice = encoder.resumed(instrument, key, "gap", Math.max(0, resume.after()), missed.length,
                        since ? 1 : from, to, alloc);
                if (fetchable && notice != null) {
                    historyFrom = from;
                    historyTo = to;
                    historyTs = subscribe.resumeTs();
                }
                addIfAny(frames, notice);
            }
        }
        if (resume.mode() != Resume.Mode.SNAPSHOT) {
            for (StreamMessage m : missed) {
                ByteBuf frame = encoder.encode(instrument, m, -1, sent, false, null, alloc);
                addIfAny(frames, frame);
            }
        }
        int loop = Route.loop(route);
        outboxes.get(loop).offerResumedActivation(subscribe, frames, last == null ? -1 : last.seq(),
                last == null ? -1 : timeOf(last), historyFrom, historyTo, historyTs);
        touched[loop] = true;
    }

    /** A message's event time (a bar's: when it last changed). */
    static long timeOf(StreamMessage m) {
        return switch (m) {
            case Quote q -> q.eventTime();
            case Trade t -> t.eventTime();
            case DepthUpdate d -> d.eventTime();
            case Bar b -> b.updateTime();
        };
    }

    private static void addIfAny(List<ByteBuf> frames, ByteBuf frame) {
        if (frame != null) {
            frames.add(frame);
        }
    }

    /** Tells the subscribers of a stream, in every format that has words for it, that its source is stale or live. */
    @Override
    public void status(long streamKey, boolean live, long lastEventTime, Interest interest) {
        Instrument instrument = catalog.get(StreamKey.instrumentId(streamKey));
        long sent = clock.epochMicros();
        for (int format = 0; format < encoders.length; format++) {
            ByteBuf frame = null;
            for (int i = 0; i < interest.routeCount(); i++) {
                int route = interest.route(i);
                if (Route.format(route) != format) {
                    continue;
                }
                if (frame == null) {
                    frame = encoders[format].status(instrument, streamKey, live, lastEventTime, sent, alloc);
                    if (frame == null) {
                        break;
                    }
                }
                int loop = Route.loop(route);
                touched[loop] = true;
                if (payLoss(loop, streamKey) && !outboxes.get(loop).offerFrame(streamKey, format, frame.retain())) {
                    owedLoss[loop].add(streamKey);
                }
            }
            if (frame != null) {
                frame.release();
            }
        }
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
