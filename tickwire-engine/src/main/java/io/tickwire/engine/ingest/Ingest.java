package io.tickwire.engine.ingest;

import io.tickwire.model.BookUpdate;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import java.util.Arrays;

/**
 * The ingest stage: validates an event from a source, normalizes it and assigns its sequence
 * number, once, per instrument and channel.
 *
 * <p>Single-threaded: each partition owns one {@code Ingest} covering its instruments, so numbers
 * increase by exactly one per accepted event with no gaps and no locks. Rejected events get no
 * number and are counted; they never reach subscribers. Trade and quote numbers and trade ids are
 * reported to the {@link NumberReservations} of the numbering it continues, one comparison per
 * event in between.
 */
public final class Ingest {

    private final InstrumentCatalog catalog;
    private final Clock clock;
    private final long[] lastSeq;
    private final long[] lastTradeId;
    private final Sequencing sequencing;
    private NumberReservations reservations = NumberReservations.NONE;
    /** Per {@link NumberReservations#counter}: the number from which to report to {@link #reservations} again. */
    private final long[] reportAt;
    private long accepted;
    private long rejected;

    public Ingest(InstrumentCatalog catalog, Clock clock) {
        this(catalog, clock, Sequencing.ASSIGN);
    }

    /** An ingest stage that numbers events as {@code sequencing} says (replay keeps the source's numbers). */
    public Ingest(InstrumentCatalog catalog, Clock clock, Sequencing sequencing) {
        this.catalog = catalog;
        this.clock = clock;
        this.sequencing = sequencing;
        this.lastSeq = new long[catalog.size() * Channel.count()];
        this.lastTradeId = new long[catalog.size()];
        this.reportAt = new long[catalog.size() * NumberReservations.KINDS];
        Arrays.fill(reportAt, Long.MAX_VALUE);
    }

    /** Continues every stream's numbering from where {@code numbering} says a previous run left it. */
    public void continueFrom(Numbering numbering) {
        for (int id = 0; id < lastTradeId.length; id++) {
            for (Channel c : Channel.values()) {
                int slot = id * Channel.count() + c.ordinal();
                lastSeq[slot] = Math.max(lastSeq[slot], numbering.lastSeq(id, c));
            }
            lastTradeId[id] = Math.max(lastTradeId[id], numbering.lastTradeId(id));
        }
        reservations = sequencing != Sequencing.ASSIGN ? NumberReservations.NONE : numbering.reservations();
        Arrays.fill(reportAt, reservations == NumberReservations.NONE ? Long.MAX_VALUE : 0);
    }

    /**
     * Validates and sequences an event.
     *
     * @return the sequenced event, or {@code null} if the event is invalid (counted in {@link #rejected()})
     */
    public MarketEvent sequence(MarketEvent event) {
        int id = event.instrumentId();
        if (id < 0 || id >= catalog.size() || invalidReason(event) != null) {
            rejected++;
            return null;
        }
        if (event.eventTime() <= 0) {
            event = withTime(event, clock.epochMicros());
        }
        if (event instanceof Trade trade) {
            if (trade.tradeId() <= 0) {
                event = trade.withTradeId(++lastTradeId[id]);
            } else {
                lastTradeId[id] = Math.max(lastTradeId[id], trade.tradeId());
            }
            report(id, NumberReservations.TRADE_ID, lastTradeId[id]);
        }
        int slot = id * Channel.count() + event.channel().ordinal();
        accepted++;
        if (sequencing != Sequencing.ASSIGN && event.seq() > 0) {
            lastSeq[slot] = event.seq();
            return event;
        }
        return event.withSeq(next(id, event.channel()));
    }

    /** The next number of a stream, reported to the reservations when due. */
    private long next(int instrumentId, Channel channel) {
        long seq = ++lastSeq[instrumentId * Channel.count() + channel.ordinal()];
        if (channel == Channel.TRADE) {
            report(instrumentId, NumberReservations.TRADE_SEQ, seq);
        } else if (channel == Channel.QUOTE) {
            report(instrumentId, NumberReservations.QUOTE_SEQ, seq);
        } // book numbers are not continued across restarts, so not reserved either
        return seq;
    }

    private void report(int instrumentId, int kind, long handedOut) {
        int counter = NumberReservations.counter(instrumentId, kind);
        if (handedOut >= reportAt[counter]) {
            reportAt[counter] = reservations.handedOut(counter, handedOut);
        }
    }

    /**
     * Takes the next number of a stream for a message the engine derives (a quote from a book),
     * so derived and ingested messages share one numbering.
     */
    public long nextSeq(int instrumentId, Channel channel) {
        return next(instrumentId, channel);
    }

    /** The last trade id given out for an instrument (0 if none); the engine's thread. */
    public long lastTradeId(int instrumentId) {
        return lastTradeId[instrumentId];
    }

    /** The last sequence number assigned in a stream, 0 if none yet. */
    public long lastSeq(int instrumentId, Channel channel) {
        return lastSeq[instrumentId * Channel.count() + channel.ordinal()];
    }

    /** Events sequenced so far. */
    public long accepted() {
        return accepted;
    }

    /** Events refused as invalid so far. */
    public long rejected() {
        return rejected;
    }

    /**
     * Why ingest would refuse an event, or {@code null} if it would take it: sources that can answer
     * their sender (the publisher endpoint) check with this first and say why.
     */
    public static String invalidReason(MarketEvent event) {
        return switch (event) {
            case Quote q -> q.bidPrice() < 0 || q.askPrice() < 0 || q.lastPrice() < 0 ? "quote prices must not be negative"
                    : q.bidSize() < 0 || q.askSize() < 0 || q.volume() < 0 ? "quote sizes and volume must not be negative"
                    : q.bidPrice() != 0 && q.askPrice() != 0 && q.bidPrice() > q.askPrice() ? "the quote is crossed: bid above ask"
                    : null;
            case Trade t -> t.price() <= 0 ? "a trade's price must be above 0" : t.size() <= 0 ? "a trade's size must be above 0"
                    : t.aggressor() == null ? "a trade's side is required" : null;
            case BookUpdate b -> validLevels(b) ? null : "book levels need prices above 0 and sizes of at least 0";
        };
    }

    private static boolean validLevels(BookUpdate b) {
        for (int i = 0; i < b.size(); i++) {
            if (b.price(i) <= 0 || b.levelSize(i) < 0) {
                return false;
            }
        }
        return b.size() > 0 || b.replace();
    }

    private static MarketEvent withTime(MarketEvent event, long now) {
        return switch (event) {
            case Quote q -> new Quote(q.instrumentId(), q.seq(), now, q.bidPrice(), q.bidSize(), q.askPrice(),
                    q.askSize(), q.lastPrice(), q.volume());
            case Trade t -> new Trade(t.instrumentId(), t.seq(), now, t.price(), t.size(), t.aggressor(), t.tradeId());
            case BookUpdate b -> b.withEventTime(now);
        };
    }
}
