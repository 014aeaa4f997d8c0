package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.collections.Long2ObjectHashMap;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out's inbox on one event loop: partitions offer encoded frames and subscription
 * activations; the loop drains them in batches, writes each frame to the local subscribers of
 * its stream and flushes each touched connection once per batch (or, with a {@link FlushCoalescer},
 * at most once per coalescing interval).
 *
 * <p>Every subscriber of a frame gets the same buffer instance with one more reference, not a
 * duplicate: no object per subscriber per message. Subscribers only read it (see
 * {@link Subscriber#deliver}).
 *
 * <p>Many producers (partition threads), one consumer (the event loop), bounded. Items from one
 * partition are drained in the order it offered them, so a subscriber's snapshot precedes the
 * stream's later updates. The local subscriber index is confined to the loop. If the queue is
 * full an offer returns false and the item is released; the partition then queues a
 * {@linkplain #offerLoss loss marker} before any later frame of that stream, so subscribers hear
 * of the loss ({@link Subscriber#lost}) exactly where it happened in the stream. The engine never
 * waits for a loop.
 */
public final class LoopOutbox implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopOutbox.class);
    private static final int DRAIN_LIMIT = 8_192;

    /** A frame of a stream in one format, with its message's sequence number and event time (-1: not a message). */
    private record Frame(long streamKey, int format, ByteBuf frame, long seq, long ts) {
    }

    /** A subscription to activate, with its snapshot frame or null. */
    private record Activation(EngineCommand.Subscribe subscribe, ByteBuf snapshot, long seq, long ts) {
    }

    /**
     * A resuming subscription to activate: {@code frames} go to the subscriber first, in order; if
     * {@code historyTo > 0} the messages {@code historyFrom..historyTo} were missed and must come
     * first (see {@link Subscriber#resumeFromHistory}), {@code frames[0]} being the gap notice.
     */
    private record ResumedActivation(EngineCommand.Subscribe subscribe, List<ByteBuf> frames, long seq, long ts,
                                     long historyFrom, long historyTo, long historyTs) {
    }

    /** The answer to a snapshot request, with its frame or null. */
    private record SnapshotAnswer(EngineCommand.Snapshot request, ByteBuf snapshot) {
    }

    /** Items of a stream were lost just before this point of the queue. */
    private record Loss(long streamKey) {
    }

    private final EventLoop loop;
    private final MpscAtomicArrayQueue<Object> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong overflows = new AtomicLong();
    private final List<Long2ObjectHashMap<SubscriberList>> index = new ArrayList<>();
    private final List<Subscriber> touched = new ArrayList<>();
    private final ConcurrentLinkedQueue<EngineCommand.Subscribe> lostActivations = new ConcurrentLinkedQueue<>();

    /** Null: every touched connection is flushed at the end of its batch. */
    private final FlushCoalescer coalescer;

    LoopOutbox(EventLoop loop, int capacity, int formats, FlushCoalescer coalescer) {
        this.loop = loop;
        this.coalescer = coalescer;
        this.queue = new MpscAtomicArrayQueue<>(capacity);
        for (int f = 0; f < formats; f++) {
            index.add(new Long2ObjectHashMap<>());
        }
    }

    /** The event loop this outbox drains on. */
    public EventLoop loop() {
        return loop;
    }

    // ---- producer side (partition threads) ---------------------------------------------------

    /**
     * Offers a frame; takes ownership of one reference, released here if it cannot be queued.
     *
     * @return whether it was queued
     */
    boolean offerFrame(long streamKey, int format, ByteBuf frame) {
        return offerFrame(streamKey, format, frame, -1, -1);
    }

    /** Offers a message's frame; {@code seq}/{@code ts} advance the stream's position on this loop. */
    boolean offerFrame(long streamKey, int format, ByteBuf frame, long seq, long ts) {
        if (!queue.offer(new Frame(streamKey, format, frame, seq, ts))) {
            frame.release();
            overflow();
            return false;
        }
        return true;
    }

    /** Offers a loss marker; returns whether it was queued. */
    boolean offerLoss(long streamKey) {
        return queue.offer(new Loss(streamKey));
    }

    /** Offers an activation; takes ownership of the snapshot reference. */
    void offerActivation(EngineCommand.Subscribe subscribe, ByteBuf snapshot, long seq, long ts) {
        if (!queue.offer(new Activation(subscribe, snapshot, seq, ts))) {
            if (snapshot != null) {
                snapshot.release();
            }
            overflow();
            lostActivations.add(subscribe);
        }
    }

    /** Offers a resuming activation; takes ownership of the frames. */
    void offerResumedActivation(EngineCommand.Subscribe subscribe, List<ByteBuf> frames, long seq, long ts,
                                long historyFrom, long historyTo, long historyTs) {
        if (!queue.offer(new ResumedActivation(subscribe, frames, seq, ts, historyFrom, historyTo, historyTs))) {
            frames.forEach(ByteBuf::release);
            overflow();
            lostActivations.add(subscribe);
        }
    }

    /**
     * Offers the answer to a snapshot request; takes ownership of the frame reference.
     *
     * @return whether it was queued
     */
    boolean offerSnapshot(EngineCommand.Snapshot request, ByteBuf snapshot) {
        if (!queue.offer(new SnapshotAnswer(request, snapshot))) {
            if (snapshot != null) {
                snapshot.release();
            }
            overflow();
            return false;
        }
        return true;
    }

    private void overflow() {
        if (overflows.getAndIncrement() % 10_000 == 0) {
            LOG.warn("fan-out queue of {} full; subscribers of affected streams are told and resynchronised ({} items so far)",
                    loop, overflows.get());
        }
    }

    /** Makes sure the loop will drain; cheap when a drain is already scheduled. */
    void wake() {
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /** Items that could not be queued so far. */
    public long overflows() {
        return overflows.get();
    }

    // ---- consumer side (the event loop) -------------------------------------------------------

    @Override
    public void run() {
        scheduled.set(false);
        int drained = 0;
        try {
            Object item;
            while (drained < DRAIN_LIMIT && (item = queue.poll()) != null) {
                drained++;
                if (item instanceof Frame f) {
                    deliver(f);
                } else if (item instanceof Activation a) {
                    activate(a);
                } else if (item instanceof ResumedActivation r) {
                    activate(r);
                } else if (item instanceof SnapshotAnswer s) {
                    answer(s);
                } else if (item instanceof Loss l) {
                    notifyLost(l.streamKey());
                }
            }
            EngineCommand.Subscribe failed;
            while ((failed = lostActivations.poll()) != null) {
                Subscriber s = (Subscriber) failed.subscriber();
                if (s.wants(failed.streamKey(), failed.generation())) {
                    s.activationLost(failed.streamKey());
                }
            }
        } finally {
            if (coalescer == null) {
                for (int i = 0; i < touched.size(); i++) {
                    touched.get(i).flush();
                }
            } else {
                long now = coalescer.now();
                for (int i = 0; i < touched.size(); i++) {
                    coalescer.flush(touched.get(i), now);
                }
            }
            touched.clear();
        }
        if (!queue.isEmpty()) {
            wake(); // let other I/O on this loop run between large batches
        }
    }

    private void deliver(Frame f) {
        try {
            SubscriberList list = index.get(f.format()).get(f.streamKey());
            if (list != null) {
                list.advance(f.seq(), f.ts());
                // backwards: a delivery may close its subscriber (slow consumer), whose removal swaps
                // the last subscriber into its place; going down, that one has already been served
                for (int i = list.size() - 1; i >= 0; i--) {
                    Subscriber s = list.get(i);
                    if (s.deliver(f.streamKey(), f.frame().retain(), false)) {
                        touched.add(s);
                    }
                }
            }
        } finally {
            f.frame().release();
        }
    }

    private void activate(Activation a) {
        try {
            EngineCommand.Subscribe sub = a.subscribe();
            Subscriber s = (Subscriber) sub.subscriber();
            if (!s.wants(sub.streamKey(), sub.generation())) {
                return;
            }
            int format = Route.format(sub.route());
            SubscriberList list = index.get(format).computeIfAbsent(sub.streamKey(), k -> new SubscriberList());
            list.add(s);
            list.advance(a.seq(), a.ts());
            s.activated(sub.streamKey());
            if (s.activate(sub.streamKey(), a.snapshot() == null ? null : a.snapshot().retain())) {
                touched.add(s);
            }
        } finally {
            if (a.snapshot() != null) {
                a.snapshot().release();
            }
        }
    }

    private void activate(ResumedActivation r) {
        EngineCommand.Subscribe sub = r.subscribe();
        Subscriber s = (Subscriber) sub.subscriber();
        if (!s.wants(sub.streamKey(), sub.generation())) {
            r.frames().forEach(ByteBuf::release);
            return;
        }
        SubscriberList list = index.get(Route.format(sub.route())).computeIfAbsent(sub.streamKey(), k -> new SubscriberList());
        list.add(s);
        list.advance(r.seq(), r.ts());
        s.activated(sub.streamKey());
        if (r.historyTo() > 0) {
            List<ByteBuf> frames = r.frames();
            s.resumeFromHistory(sub.streamKey(), r.historyFrom(), r.historyTo(), r.historyTs(), frames.get(0),
                    new ArrayList<>(frames.subList(1, frames.size())));
            return;
        }
        boolean first = false;
        for (ByteBuf frame : r.frames()) {
            first |= s.deliver(sub.streamKey(), frame, true);
        }
        if (first) {
            touched.add(s);
        }
    }

    /**
     * A stream's position on this loop in a format: {@code {lastSeq, lastTs}}, or {@code null} if
     * no subscriber of it is here. Must be called on the loop.
     */
    public long[] position(long streamKey, int format) {
        SubscriberList list = index.get(format).get(streamKey);
        return list == null ? null : new long[] {list.lastSeq, list.lastTs};
    }

    private void answer(SnapshotAnswer a) {
        try {
            EngineCommand.Snapshot request = a.request();
            Subscriber s = (Subscriber) request.subscriber();
            if (!s.wants(request.streamKey(), request.generation())) {
                if (!request.resync()) {
                    // unsubscribed while the engine answered: the client still waits for an answer to its request
                    s.snapshotOfGoneStream(request.streamKey(), request.requestId());
                }
                return;
            }
            if (a.snapshot() == null) {
                s.noSnapshot(request.streamKey(), request.requestId());
            } else if (s.deliver(request.streamKey(), a.snapshot().retain(), true)) {
                touched.add(s);
            }
        } finally {
            if (a.snapshot() != null) {
                a.snapshot().release();
            }
        }
    }

    private void notifyLost(long streamKey) {
        for (Long2ObjectHashMap<SubscriberList> byStream : index) {
            SubscriberList list = byStream.get(streamKey);
            if (list != null) {
                for (int i = list.size() - 1; i >= 0; i--) {
                    list.get(i).lost(streamKey);
                }
            }
        }
    }

    /** Stops delivering a stream to a subscriber on this loop. Must be called on the loop. */
    public void remove(Subscriber s, long streamKey, int format) {
        assert loop.inEventLoop();
        Long2ObjectHashMap<SubscriberList> byStream = index.get(format);
        SubscriberList list = byStream.get(streamKey);
        if (list != null && list.remove(s) && list.size() == 0) {
            byStream.remove(streamKey);
        }
    }

    /** Local subscribers of a stream in a format; for tests and metrics. Must be called on the loop. */
    public int localSubscribers(long streamKey, int format) {
        SubscriberList list = index.get(format).get(streamKey);
        return list == null ? 0 : list.size();
    }
}
