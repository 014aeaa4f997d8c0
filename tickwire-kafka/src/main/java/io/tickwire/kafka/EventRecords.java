package io.tickwire.kafka;

import io.tickwire.engine.InstrumentState;
import io.tickwire.engine.bar.BarSeries;
import io.tickwire.engine.bar.BarState;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The binary form of the cluster topic's records: one sequenced event, or one book picture, per
 * record; the record's key is the instrument's symbol (UTF-8), which gateways resolve in their own
 * catalogue, so nodes need not number instruments alike.
 *
 * <p>Layout (big-endian): version byte ({@value #VERSION}), kind byte, the ingest node's epoch
 * (its start time, µs), seq, event time (µs), then per kind: a quote's bid, bid size, ask, ask size,
 * last price and volume; a trade's price, size, aggressor byte (0 buy, 1 sell) and trade id; a book
 * change's replace byte, level count and levels (side byte 0 bid / 1 ask, price, size); a book
 * picture's bid count, bids (price, size), ask count, asks; an instrument's state (seq 0, time
 * when taken) its last trade number, trade id and quote number, a byte saying whether bars follow,
 * then a mask of the bar series that are not pristine (bit {@code slot}) and
 * {@link BarSeries#STATE_FIELDS} longs for each of them; a leadership mark (no key; the epoch is
 * the elected node's, seq its term, time when written) the election's generation (int). The kind
 * byte's bit {@code 0x40}
 * marks a repeat: a quiet instrument's last quote or picture appended again, state rather than news. Prices and sizes are the scaled longs
 * of the model. Stateless and thread-safe.
 */
public final class EventRecords {

    /** The format version this build writes and reads. */
    public static final byte VERSION = 1;

    static final byte QUOTE = 1;
    static final byte TRADE = 2;
    static final byte BOOK_CHANGE = 3;
    static final byte BOOK_PICTURE = 4;
    static final byte INSTRUMENT_STATE = 5;
    static final byte LEADERSHIP = 6;
    /** Set in the kind byte of a record appended again (a quiet instrument's state), not new. */
    static final byte REPEAT = 0x40;

    private static final int HEADER = 2 + 3 * Long.BYTES;
    /** More levels than any book holds: a count above this is a corrupt record, not a big book. */
    static final int MAX_LEVELS = 100_000;

    private EventRecords() {
    }

    /** A record's value for a sequenced event. */
    public static byte[] encode(MarketEvent event, long epoch) {
        return encode(event, epoch, false);
    }

    /** A record's value for a sequenced event, marked as a repeat or not. */
    public static byte[] encode(MarketEvent event, long epoch, boolean repeat) {
        byte[] value = switch (event) {
            case Quote q -> header(HEADER + 6 * Long.BYTES, QUOTE, epoch, q.seq(), q.eventTime())
                    .putLong(q.bidPrice()).putLong(q.bidSize()).putLong(q.askPrice()).putLong(q.askSize())
                    .putLong(q.lastPrice()).putLong(q.volume()).array();
            case Trade t -> header(HEADER + 3 * Long.BYTES + 1, TRADE, epoch, t.seq(), t.eventTime())
                    .putLong(t.price()).putLong(t.size()).put((byte) (t.aggressor() == Side.BUY ? 0 : 1))
                    .putLong(t.tradeId()).array();
            case BookUpdate b -> {
                ByteBuffer buf = header(HEADER + 1 + Integer.BYTES + b.size() * (1 + 2 * Long.BYTES), BOOK_CHANGE, epoch,
                        b.seq(), b.eventTime()).put((byte) (b.replace() ? 1 : 0)).putInt(b.size());
                for (int i = 0; i < b.size(); i++) {
                    buf.put((byte) (b.side(i) == BookSide.BID ? 0 : 1)).putLong(b.price(i)).putLong(b.levelSize(i));
                }
                yield buf.array();
            }
        };
        return repeat ? markRepeat(value) : value;
    }

    /** A record's value for a book picture: the whole book right after the change numbered {@code snapshot.seq()}. */
    public static byte[] encode(BookSnapshot snapshot, long epoch) {
        return encode(snapshot, epoch, false);
    }

    /** A record's value for a book picture, marked as a repeat or not. */
    public static byte[] encode(BookSnapshot snapshot, long epoch, boolean repeat) {
        return repeat ? markRepeat(picture(snapshot, epoch)) : picture(snapshot, epoch);
    }

    private static byte[] markRepeat(byte[] value) {
        value[1] |= REPEAT;
        return value;
    }

    private static byte[] picture(BookSnapshot snapshot, long epoch) {
        int levels = snapshot.bidPrices().length + snapshot.askPrices().length;
        ByteBuffer buf = header(HEADER + 2 * Integer.BYTES + levels * 2 * Long.BYTES, BOOK_PICTURE, epoch,
                snapshot.seq(), snapshot.time());
        buf.putInt(snapshot.bidPrices().length);
        for (int i = 0; i < snapshot.bidPrices().length; i++) {
            buf.putLong(snapshot.bidPrices()[i]).putLong(snapshot.bidSizes()[i]);
        }
        buf.putInt(snapshot.askPrices().length);
        for (int i = 0; i < snapshot.askPrices().length; i++) {
            buf.putLong(snapshot.askPrices()[i]).putLong(snapshot.askSizes()[i]);
        }
        return buf.array();
    }

    /** A record's value for an instrument's state (its last quote is not part of it), taken at {@code time} (µs). */
    public static byte[] encode(InstrumentState state, long epoch, long time) {
        BarState bars = state.bars();
        int mask = 0;
        for (int slot = 0; bars != null && slot < BarState.SERIES; slot++) {
            if (!bars.isPristine(slot)) {
                mask |= 1 << slot;
            }
        }
        int size = HEADER + 3 * Long.BYTES + 1
                + (bars == null ? 0 : Integer.BYTES + Integer.bitCount(mask) * BarSeries.STATE_FIELDS * Long.BYTES);
        ByteBuffer buf = header(size, INSTRUMENT_STATE, epoch, 0, time).putLong(state.lastTradeSeq())
                .putLong(state.lastTradeId()).putLong(state.lastQuoteSeq()).put((byte) (bars == null ? 0 : 1));
        if (bars == null) {
            return buf.array();
        }
        buf.putInt(mask);
        long[] values = bars.values();
        for (int slot = 0; slot < BarState.SERIES; slot++) {
            if ((mask & 1 << slot) != 0) {
                for (int f = 0; f < BarSeries.STATE_FIELDS; f++) {
                    buf.putLong(values[slot * BarSeries.STATE_FIELDS + f]);
                }
            }
        }
        return buf.array();
    }

    /** A record's value marking the start of an elected ingest node's term, written at {@code time} (µs). */
    public static byte[] encode(Leadership leadership, long time) {
        return header(HEADER + Integer.BYTES, LEADERSHIP, leadership.epoch(), leadership.term(), time)
                .putInt(leadership.generation()).array();
    }

    /**
     * The leadership a record's value marks, or {@code null} for any other record (which
     * {@link #decode} reads); looks at two bytes unless it is one.
     *
     * @throws MalformedRecordException if it is a leadership mark this version cannot read
     */
    public static Leadership leadership(byte[] value) {
        if (value == null || value.length < 2 || value[0] != VERSION || value[1] != LEADERSHIP) {
            return null;
        }
        if (value.length != HEADER + Integer.BYTES) {
            throw new MalformedRecordException("a leadership mark of " + value.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(value, 2, value.length - 2);
        long epoch = buf.getLong();
        long term = buf.getLong();
        buf.getLong(); // when written
        int generation = buf.getInt();
        try {
            return new Leadership(term, generation, epoch);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage());
        }
    }

    private static ByteBuffer header(int size, byte kind, long epoch, long seq, long eventTime) {
        return ByteBuffer.allocate(size).put(VERSION).put(kind).putLong(epoch).putLong(seq).putLong(eventTime);
    }

    /**
     * Reads a record's value as an event of instrument {@code instrumentId}.
     *
     * @throws MalformedRecordException if the value is not a record this version wrote
     */
    public static Decoded decode(byte[] value, int instrumentId) {
        if (value == null || value.length < HEADER) {
            throw new MalformedRecordException("a record of " + (value == null ? "no" : value.length)
                    + " bytes is shorter than its header (" + HEADER + ")");
        }
        ByteBuffer buf = ByteBuffer.wrap(value);
        byte version = buf.get();
        if (version != VERSION) {
            throw new MalformedRecordException("record format version " + version + "; this build reads " + VERSION);
        }
        byte flagged = buf.get();
        boolean repeat = (flagged & REPEAT) != 0;
        byte kind = (byte) (flagged & ~REPEAT);
        long epoch = buf.getLong();
        long seq = buf.getLong();
        long time = buf.getLong();
        if (kind == INSTRUMENT_STATE ? seq != 0 || time <= 0 : seq <= 0 || time <= 0) {
            throw new MalformedRecordException("seq and event time must be positive, were " + seq + " and " + time);
        }
        try {
            Decoded decoded = switch (kind) {
                case INSTRUMENT_STATE -> new Decoded(null, false, epoch, repeat, instrumentState(buf, instrumentId));
                case QUOTE -> new Decoded(new Quote(instrumentId, seq, time, buf.getLong(), buf.getLong(), buf.getLong(),
                        buf.getLong(), buf.getLong(), buf.getLong()), false, epoch, repeat);
                case TRADE -> new Decoded(new Trade(instrumentId, seq, time, buf.getLong(), buf.getLong(),
                        side(buf.get()), buf.getLong()), false, epoch, repeat);
                case BOOK_CHANGE -> new Decoded(bookChange(buf, instrumentId, seq, time), false, epoch, repeat);
                case BOOK_PICTURE -> new Decoded(bookPicture(buf, instrumentId, seq, time), true, epoch, repeat);
                default -> throw new MalformedRecordException("unknown record kind " + kind);
            };
            if (buf.hasRemaining()) {
                throw new MalformedRecordException(buf.remaining() + " bytes after the end of the record");
            }
            return decoded;
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("the record ends early (" + value.length + " bytes)");
        }
    }

    private static InstrumentState instrumentState(ByteBuffer buf, int instrumentId) {
        long tradeSeq = buf.getLong();
        long tradeId = buf.getLong();
        long quoteSeq = buf.getLong();
        if (tradeSeq < 0 || tradeId < 0 || quoteSeq < 0) {
            throw new MalformedRecordException("negative numbers in an instrument's state");
        }
        BarState bars = switch (buf.get()) {
            case 0 -> null;
            case 1 -> barState(buf, instrumentId);
            default -> throw new MalformedRecordException("an instrument's state with a bars byte other than 0 or 1");
        };
        return new InstrumentState(instrumentId, bars, null, tradeSeq, tradeId, quoteSeq);
    }

    private static BarState barState(ByteBuffer buf, int instrumentId) {
        int mask = buf.getInt();
        if (mask >>> BarState.SERIES != 0) {
            throw new MalformedRecordException("a bar state with series mask " + Integer.toHexString(mask));
        }
        long[] values = new long[BarState.SERIES * BarSeries.STATE_FIELDS];
        for (int slot = 0; slot < BarState.SERIES; slot++) {
            if ((mask & 1 << slot) != 0) {
                for (int f = 0; f < BarSeries.STATE_FIELDS; f++) {
                    values[slot * BarSeries.STATE_FIELDS + f] = buf.getLong();
                }
            } else {
                BarSeries.savePristine(values, slot * BarSeries.STATE_FIELDS);
            }
        }
        return new BarState(instrumentId, values);
    }

    private static BookUpdate bookChange(ByteBuffer buf, int instrumentId, long seq, long time) {
        boolean replace = buf.get() != 0;
        int count = levelCount(buf);
        BookUpdate.Builder b = BookUpdate.builder(instrumentId, time);
        if (replace) {
            b.replace();
        }
        for (int i = 0; i < count; i++) {
            BookSide side = buf.get() == 0 ? BookSide.BID : BookSide.ASK;
            b.set(side, buf.getLong(), buf.getLong());
        }
        return b.build().withSeq(seq);
    }

    private static BookUpdate bookPicture(ByteBuffer buf, int instrumentId, long seq, long time) {
        BookUpdate.Builder b = BookUpdate.builder(instrumentId, time).replace();
        for (BookSide side : BookSide.values()) {
            int count = levelCount(buf);
            for (int i = 0; i < count; i++) {
                b.set(side, buf.getLong(), buf.getLong());
            }
        }
        return b.build().withSeq(seq);
    }

    private static int levelCount(ByteBuffer buf) {
        int count = buf.getInt();
        if (count < 0 || count > MAX_LEVELS) {
            throw new MalformedRecordException("a level count of " + count);
        }
        return count;
    }

    private static Side side(byte b) {
        return switch (b) {
            case 0 -> Side.BUY;
            case 1 -> Side.SELL;
            default -> throw new MalformedRecordException("aggressor byte " + b);
        };
    }

    /**
     * A decoded record.
     *
     * @param event    the event, carrying the ingest node's sequence number; {@code null} for an instrument's state
     * @param picture  whether it is a book picture (a replacing {@link BookUpdate} numbered like the change it follows)
     * @param epoch    the start time of the ingest node that wrote it
     * @param repeat   whether it is a quiet instrument's state appended again, not news
     * @param state    an instrument's state (bars and last numbers; no quote), for a record of one; else {@code null}
     */
    public record Decoded(MarketEvent event, boolean picture, long epoch, boolean repeat, InstrumentState state) {

        Decoded(MarketEvent event, boolean picture, long epoch, boolean repeat) {
            this(event, picture, epoch, repeat, null);
        }
    }
}
