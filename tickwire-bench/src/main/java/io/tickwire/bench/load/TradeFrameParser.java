package io.tickwire.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;

/**
 * Reads the three fields the generator checks out of a trade frame without allocating: the symbol
 * (as an index into the run's symbol list), {@code ts} and {@code tradeId}. Frames that are not
 * trades (welcome, subscribed, heartbeats) read as {@link #NOT_A_TRADE}.
 *
 * <p>Symbols are looked up by a hash of their bytes; construction refuses symbol lists whose
 * hashes collide, so a lookup is exact. Immutable after construction; {@link #parse} keeps its
 * result in the instance, so use one parser per thread.
 */
public final class TradeFrameParser {

    /** {@link #parse} found no trade. */
    public static final int NOT_A_TRADE = -1;

    private static final byte[] TYPE_TRADE = "\"type\":\"trade\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SYMBOL = "\"symbol\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS = "\"ts\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRADE_ID = "\"tradeId\":".getBytes(StandardCharsets.US_ASCII);

    private final Int2IntHashMap indexByHash = new Int2IntHashMap(-1);
    private byte[] buf = new byte[512];
    private long ts;
    private long tradeId;

    public TradeFrameParser(List<String> symbols) {
        for (int i = 0; i < symbols.size(); i++) {
            byte[] bytes = symbols.get(i).getBytes(StandardCharsets.US_ASCII);
            int h = hash(bytes, 0, bytes.length);
            if (indexByHash.put(h, i) != -1) {
                throw new IllegalArgumentException("symbol hash collision: " + symbols.get(i));
            }
        }
    }

    /** Parses a frame's payload; returns the symbol's index, or {@link #NOT_A_TRADE}. */
    public int parse(ByteBuf payload) {
        return parse(payload, payload.readerIndex(), payload.readableBytes());
    }

    /** Parses the payload of {@code length} bytes at {@code index} of {@code bytes}, leaving its indices alone. */
    public int parse(ByteBuf bytes, int index, int length) {
        int end = length;
        if (buf.length < end) {
            buf = new byte[Math.max(end, buf.length * 2)];
        }
        bytes.getBytes(index, buf, 0, end); // one copy, then plain array scans
        if (indexOf(buf, 0, Math.min(end, 40), TYPE_TRADE) < 0) {
            return NOT_A_TRADE;
        }
        int s = indexOf(buf, 0, end, SYMBOL);
        if (s < 0) {
            return NOT_A_TRADE;
        }
        s += SYMBOL.length;
        int h = 0;
        int i = s;
        for (; i < end && buf[i] != '"'; i++) {
            h = 31 * h + buf[i];
        }
        int symbol = indexByHash.get(h);
        int t = indexOf(buf, i, end, TS);
        // tradeId is the last field of every server's trade frame: looked for from the end, it is
        // found in a few bytes instead of after a scan over the rest (this scan was 40 % of the
        // generator's Java time at 1,000,000 msgs/s)
        int id = t < 0 ? -1 : lastIndexOf(buf, t, end, TRADE_ID);
        if (symbol < 0 || t < 0 || id < 0) {
            return NOT_A_TRADE;
        }
        ts = number(buf, t + TS.length, end);
        tradeId = number(buf, id + TRADE_ID.length, end);
        return symbol;
    }

    /** The {@code ts} of the last parsed trade: its intended publish time in microseconds. */
    public long ts() {
        return ts;
    }

    /** The {@code tradeId} of the last parsed trade: the publisher's per-symbol counter. */
    public long tradeId() {
        return tradeId;
    }

    private static int hash(byte[] bytes, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    private static long number(byte[] buf, int from, int end) {
        long v = 0;
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    /** The last occurrence of {@code needle} in {@code buf[from, end)}, or -1. */
    private static int lastIndexOf(byte[] buf, int from, int end, byte[] needle) {
        for (int i = end - needle.length; i >= from; i--) {
            if (matchesAt(buf, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** The first occurrence of {@code needle} in {@code buf[from, end)}, or -1. */
    private static int indexOf(byte[] buf, int from, int end, byte[] needle) {
        for (int i = from; i <= end - needle.length; i++) {
            if (matchesAt(buf, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesAt(byte[] buf, int i, byte[] needle) {
        if (buf[i] != needle[0]) {
            return false;
        }
        for (int j = 1; j < needle.length; j++) {
            if (buf[i + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
