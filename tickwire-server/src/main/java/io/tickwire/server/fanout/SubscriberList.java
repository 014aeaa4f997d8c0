package io.tickwire.server.fanout;

import java.util.Arrays;

/**
 * The subscribers of one stream and format on one event loop. Loop-confined; unordered; removal
 * swaps the last element in.
 */
final class SubscriberList {

    private Subscriber[] items = new Subscriber[4];
    private int size;
    /** The stream's position on this loop: the last message's sequence number and event time (0 before any). */
    long lastSeq;
    long lastTs;

    void advance(long seq, long ts) {
        if (seq >= 0) {
            lastSeq = seq;
            lastTs = ts;
        }
    }

    int size() {
        return size;
    }

    Subscriber get(int i) {
        return items[i];
    }

    /** Adds unless present; returns whether it was added. */
    boolean add(Subscriber s) {
        for (int i = 0; i < size; i++) {
            if (items[i] == s) {
                return false;
            }
        }
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = s;
        return true;
    }

    boolean remove(Subscriber s) {
        for (int i = 0; i < size; i++) {
            if (items[i] == s) {
                items[i] = items[--size];
                items[size] = null;
                return true;
            }
        }
        return false;
    }
}
