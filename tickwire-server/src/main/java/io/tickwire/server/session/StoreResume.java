package io.tickwire.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.tickwire.engine.StreamKey;
import io.tickwire.model.Bar;
import io.tickwire.model.Instrument;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import io.tickwire.server.fanout.WireFormat;
import io.tickwire.server.history.HistoryService;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's resumes that reach back beyond the engine's window: the break is filled from the
 * history store. While a query thread reads the stored trades (or, for a bar subscription since a
 * time, the closed bars), the stream's frames wait here — the ones the engine held, then live ones
 * as they come — and then go out after the stored messages, in stream order. If the store cannot
 * fill the break exactly, the engine's gap notice goes out instead, so the client is never told
 * "exact" about a stream with a hole.
 *
 * <p>Confined to the session's event loop, like the {@link Session} that owns it; store answers
 * come back to that loop before they touch anything here. Bounds: at most
 * {@link #MAX_HELD_WHILE_RESUMING} frames wait per stream; one more and the stream is
 * resynchronised (gap message and, for streams with state, a fresh snapshot) instead.
 */
final class StoreResume {

    private static final Logger LOG = LoggerFactory.getLogger(StoreResume.class);
    /** Live frames a resuming stream may queue while its stored messages are read; beyond, it resynchronises. */
    static final int MAX_HELD_WHILE_RESUMING = 100_000;

    /** A stream waiting for the store: the gap notice to send if the store cannot help, and what follows. */
    private static final class Pending {
        final long generation;
        final ByteBuf gapNotice;
        final int held;
        final List<ByteBuf> frames;

        Pending(long generation, ByteBuf gapNotice, List<ByteBuf> frames) {
            this.generation = generation;
            this.gapNotice = gapNotice;
            this.held = frames.size();
            this.frames = frames;
        }

        void release() {
            if (gapNotice != null) {
                gapNotice.release();
            }
            frames.forEach(ByteBuf::release);
        }
    }

    private final Session session;
    private final Channel channel;
    private final SessionServices services;
    private final int format;
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    /** Answers resumes beyond the engine's window; {@code null}: no store, every such resume is a gap. */
    private HistoryService history;
    private WireFormat.Encoder encoder;

    StoreResume(Session session, Channel channel, SessionServices services, int format) {
        this.session = session;
        this.channel = channel;
        this.services = services;
        this.format = format;
    }

    void history(HistoryService history) {
        this.history = history;
    }

    /**
     * Starts filling a trade stream's break {@code fromSeq..toSeq} (or, with {@code fromSeq} 0,
     * everything since {@code fromTs} up to {@code toSeq}) from the store, or a bar stream's closed
     * bars since {@code fromTs} ({@code fromSeq} -1, {@code toSeq} the forming bar's open time).
     *
     * @return {@code false} if the store cannot help (none, no start time, too long a break): the
     *         caller sends the gap notice and the held frames itself; {@code true} if this class now
     *         owns {@code gapNotice} and {@code held}
     */
    boolean start(long key, long fromSeq, long toSeq, long fromTs, ByteBuf gapNotice, List<ByteBuf> held) {
        if (history == null || !history.available() || session.state() == Session.State.CLOSED) {
            return false;
        }
        Instrument instrument = services.catalog().get(StreamKey.instrumentId(key));
        if (fromSeq == -1 && StreamKey.channel(key) == io.tickwire.model.Channel.BAR) {
            if (fromTs <= 0 || fromTs >= toSeq) {
                return false;
            }
            pending.put(key, new Pending(session.generationOf(key), gapNotice, held));
            history.barsBetween(instrument, StreamKey.period(key), StreamKey.priceType(key), fromTs, toSeq)
                    .whenComplete((bars, error) -> channel.eventLoop().execute(() -> finishBars(key, bars)));
            return true;
        }
        if (fromTs <= 0 || (fromSeq > 0 && toSeq - fromSeq + 1 > HistoryService.MAX_RESUME_FROM_STORE)) {
            return false;
        }
        pending.put(key, new Pending(session.generationOf(key), gapNotice, held));
        history.tradesBySeq(instrument, Math.max(1, fromSeq), toSeq, fromTs).whenComplete((trades, error) ->
                channel.eventLoop().execute(() -> finishTrades(key, fromSeq, toSeq, trades)));
        return true;
    }

    /** Whether the stream is waiting for the store (its position is not the client's yet). */
    boolean waiting(long key) {
        return !pending.isEmpty() && pending.containsKey(key);
    }

    /**
     * Keeps a frame of a stream that is waiting for the store; takes ownership of it.
     *
     * @return {@code false} if the stream is not waiting (the caller sends the frame); {@code true}
     *         if the frame was taken — held, or, past the bound, dropped with the stream resynchronised
     */
    boolean hold(long key, ByteBuf frame) {
        if (pending.isEmpty()) {
            return false;
        }
        Pending p = pending.get(key);
        if (p == null) {
            return false;
        }
        if (p.frames.size() < MAX_HELD_WHILE_RESUMING) {
            p.frames.add(frame);
            return true;
        }
        frame.release();
        pending.remove(key);
        p.release();
        session.resync(key, "too many updates while resuming from the store");
        return true;
    }

    /** Forgets the stream's resume (unsubscribed, replaced); whatever the store answers later is dropped. */
    void cancel(long key) {
        Pending p = pending.remove(key);
        if (p != null) {
            p.release();
        }
    }

    /** Releases everything held; the session is closing. */
    void cancelAll() {
        pending.values().forEach(Pending::release);
        pending.clear();
    }

    private void finishBars(long key, List<Bar> bars) {
        Pending p = take(key);
        if (p != null) {
            finish(key, p, bars, 0); // null: the store could not answer, the gap notice says so
        }
    }

    private void finishTrades(long key, long fromSeq, long toSeq, List<Trade> trades) {
        Pending p = take(key);
        if (p == null) {
            return;
        }
        boolean complete = fromSeq == 0
                // since a time: whatever the store has from then up to the window, without a hole
                ? trades != null && (trades.isEmpty() || (trades.getLast().seq() == toSeq
                        && trades.getLast().seq() - trades.getFirst().seq() + 1 == trades.size()))
                : trades != null && trades.size() == toSeq - fromSeq + 1
                        && trades.getFirst().seq() == fromSeq && trades.getLast().seq() == toSeq;
        if (!complete) {
            LOG.info("session {}: {} could not be resumed from the store ({} of {} trades found)", session.id(),
                    StreamKey.toString(key), trades == null ? 0 : trades.size(), toSeq - fromSeq + 1);
        }
        finish(key, p, complete ? trades : null, Math.max(0, fromSeq - 1));
    }

    /** Takes a stream's resume: {@code null} if it was dropped or resynchronised meanwhile, or the session is gone. */
    private Pending take(long key) {
        Pending p = pending.remove(key);
        if (p != null && (session.state() == Session.State.CLOSED || session.generationOf(key) != p.generation)) {
            p.release();
            return null;
        }
        return p;
    }

    /**
     * Ends a resume, in stream order: an {@code exact} notice and the stored messages, or (when
     * {@code stored} is {@code null}) the gap notice; then the frames the engine held and the live
     * ones that waited.
     */
    private void finish(long key, Pending p, List<? extends StreamMessage> stored, long after) {
        if (stored == null) {
            session.deliver(key, p.gapNotice, true);
        } else {
            p.gapNotice.release();
            if (encoder == null) {
                encoder = services.fanOut().newEncoder(format);
            }
            Instrument instrument = services.catalog().get(StreamKey.instrumentId(key));
            ByteBuf exact = encoder.resumed(instrument, key, "exact", after, stored.size() + p.held, 0, 0, channel.alloc());
            if (exact != null) {
                session.deliver(key, exact, true);
            }
            long sent = services.clock().epochMicros();
            for (StreamMessage m : stored) {
                ByteBuf frame = encoder.encode(instrument, m, -1, sent, false, null, channel.alloc());
                if (frame != null) {
                    session.deliver(key, frame, true);
                }
            }
        }
        for (ByteBuf frame : p.frames) {
            session.deliver(key, frame, true);
        }
        session.flush();
    }
}
