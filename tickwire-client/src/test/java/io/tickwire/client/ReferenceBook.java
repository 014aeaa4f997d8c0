package io.tickwire.client;

import io.tickwire.model.BookChecksum;
import io.tickwire.protocol.v1.ServerMessage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain book for tests to compare the client's with: every level of each side in a sorted map,
 * exact decimals, no depth limit. Also writes book messages as the server would for a change from
 * one top to another. Not thread-safe.
 */
final class ReferenceBook {

    final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Comparator.reverseOrder());
    final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private final int priceScale;
    private final int sizeScale;

    ReferenceBook(int priceScale, int sizeScale) {
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
    }

    /** Sets a level (size 0 removes it); prices and sizes scaled. */
    void set(boolean bid, long price, long size) {
        TreeMap<BigDecimal, BigDecimal> side = bid ? bids : asks;
        BigDecimal p = BigDecimal.valueOf(price, priceScale);
        if (size == 0) {
            side.remove(p);
        } else {
            side.put(p, BigDecimal.valueOf(size, sizeScale));
        }
    }

    List<BookLevel> topBids(int depth) {
        return top(bids, depth);
    }

    List<BookLevel> topAsks(int depth) {
        return top(asks, depth);
    }

    private static List<BookLevel> top(TreeMap<BigDecimal, BigDecimal> side, int depth) {
        List<BookLevel> out = new ArrayList<>();
        for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
            if (out.size() == depth) {
                break;
            }
            out.add(new BookLevel(e.getKey(), e.getValue()));
        }
        return out;
    }

    long checksum(int depth) {
        long[][] b = arrays(topBids(depth));
        long[][] a = arrays(topAsks(depth));
        return new BookChecksum().of(b[0], b[1], b[0].length, a[0], a[1], a[0].length, depth, priceScale, sizeScale);
    }

    private long[][] arrays(List<BookLevel> levels) {
        long[] p = new long[levels.size()];
        long[] z = new long[levels.size()];
        for (int i = 0; i < levels.size(); i++) {
            p[i] = levels.get(i).price().setScale(priceScale).unscaledValue().longValueExact();
            z[i] = levels.get(i).size().setScale(sizeScale).unscaledValue().longValueExact();
        }
        return new long[][] {p, z};
    }

    /** The whole top as a snapshot message. */
    ServerMessage.Book snapshot(String symbol, long seq, int depth, String id) {
        return new ServerMessage.Book(symbol, seq, seq, seq, seq, depth, true, levels(topBids(depth)),
                levels(topAsks(depth)), checksum(depth), id);
    }

    /**
     * The message that turns a client holding {@code before} (this book's earlier top) into this
     * book's top. With {@code announcePushedOut} false, levels pushed out of a full top by better
     * ones are left out, as the protocol allows (the client truncates them away).
     */
    ServerMessage.Book changesSince(ReferenceBook before, String symbol, long seq, long prevSeq, int depth,
                                    boolean announcePushedOut) {
        return new ServerMessage.Book(symbol, seq, prevSeq, seq, seq, depth, false,
                diff(before.topBids(depth), topBids(depth), true, depth, announcePushedOut),
                diff(before.topAsks(depth), topAsks(depth), false, depth, announcePushedOut), checksum(depth), null);
    }

    ReferenceBook copy() {
        ReferenceBook c = new ReferenceBook(priceScale, sizeScale);
        c.bids.putAll(bids);
        c.asks.putAll(asks);
        return c;
    }

    private static List<ServerMessage.Level> diff(List<BookLevel> before, List<BookLevel> after, boolean bid, int depth,
                                                  boolean announcePushedOut) {
        List<ServerMessage.Level> out = new ArrayList<>();
        for (BookLevel old : before) {
            if (after.stream().noneMatch(l -> l.price().equals(old.price()))) {
                boolean pushedOut = after.size() == depth
                        && (bid ? old.price().compareTo(after.getLast().price()) < 0
                                : old.price().compareTo(after.getLast().price()) > 0);
                if (announcePushedOut || !pushedOut) {
                    out.add(new ServerMessage.Level(old.price(), BigDecimal.ZERO));
                }
            }
        }
        for (BookLevel now : after) {
            if (!before.contains(now)) {
                out.add(new ServerMessage.Level(now.price(), now.size()));
            }
        }
        return out;
    }

    private static List<ServerMessage.Level> levels(List<BookLevel> levels) {
        return levels.stream().map(l -> new ServerMessage.Level(l.price(), l.size())).toList();
    }
}
