package io.tickwire.engine.book;

import io.tickwire.model.BookSide;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The obviously correct book the tests compare {@link OrderBook} with: two sorted maps, trimmed to
 * the capacity after every change, crossing levels on the other side removed.
 */
final class ReferenceBook {

    final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
    final TreeMap<Long, Long> asks = new TreeMap<>();
    private final int capacity;

    ReferenceBook(int capacity) {
        this.capacity = capacity;
    }

    void set(BookSide side, long price, long size) {
        TreeMap<Long, Long> levels = side == BookSide.BID ? bids : asks;
        if (size == 0) {
            levels.remove(price);
        } else {
            levels.put(price, size);
            if (side == BookSide.BID) {
                asks.headMap(price, true).clear();
            } else {
                bids.headMap(price, true).clear();
            }
        }
        while (levels.size() > capacity) {
            levels.pollLastEntry();
        }
    }

    /** The best n levels of a side as [price, size] pairs. */
    static List<long[]> top(TreeMap<Long, Long> levels, int n) {
        List<long[]> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : levels.entrySet()) {
            if (out.size() == n) {
                break;
            }
            out.add(new long[] {e.getKey(), e.getValue()});
        }
        return out;
    }
}
