package io.tickwire.kafka;

import io.tickwire.engine.ingest.Receipt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of the records handed to the producer Kafka has answered for (acknowledged or failed), as
 * one number, the <em>watermark</em>: every record numbered below it has been answered. Kafka
 * answers one partition's records in order but the partitions' in any order, so the records
 * answered above the watermark are kept as bits in a ring that grows with the records in flight.
 * Receipts wait here for the watermark to pass the records handed over before them.
 *
 * <p>Thread-safe (one lock): records are numbered and receipts added by the producer thread,
 * answered by the producer's I/O thread (or by the producer thread, for a record refused at once).
 * Receipts are released after the lock, in the order added; their settling must not block.
 */
final class AnsweredRecords {

    private long[] bits = new long[64]; // record n answered: bit (n mod capacity) set; capacity = 64 × length
    private long watermark;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>(); // targets in the order added: never decreasing

    private record Waiting(long target, Receipt receipt) {
    }

    /** Record {@code number} was answered: moves the watermark over every answered record from it. */
    void answered(long number) {
        release(mark(number));
    }

    private synchronized List<Receipt> mark(long number) {
        if (number < watermark) {
            return List.of(); // answered twice (a callback after a failed producer's close): already counted
        }
        while (number - watermark >= capacity()) {
            grow();
        }
        int bit = (int) (number % capacity());
        bits[bit >>> 6] |= 1L << bit;
        while (isSet(watermark)) {
            int at = (int) (watermark % capacity());
            bits[at >>> 6] &= ~(1L << at);
            watermark++;
        }
        return due();
    }

    /**
     * Releases {@code receipt} once every record numbered below {@code target} has been answered
     * (at once if they have); records are numbered from 0 in the order handed over, so
     * {@code target} is the count handed over before the receipt.
     */
    void releaseAfter(long target, Receipt receipt) {
        release(add(target, receipt));
    }

    private synchronized List<Receipt> add(long target, Receipt receipt) {
        waiting.add(new Waiting(target, receipt));
        return due();
    }

    /** Every record below it has been answered. */
    synchronized long watermark() {
        return watermark;
    }

    /** Receipts still waiting. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Takes the receipts the watermark has passed, under the lock. */
    private List<Receipt> due() {
        if (waiting.isEmpty() || waiting.peek().target() > watermark) {
            return List.of();
        }
        List<Receipt> due = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.peek().target() <= watermark) {
            due.add(waiting.poll().receipt());
        }
        return due;
    }

    private static void release(List<Receipt> due) {
        for (Receipt receipt : due) {
            receipt.release();
        }
    }

    private boolean isSet(long number) {
        int bit = (int) (number % capacity());
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }

    private long capacity() {
        return (long) bits.length << 6;
    }

    /** Doubles the ring, keeping each answered record's bit at its number modulo the new capacity. */
    private void grow() {
        long oldCapacity = capacity();
        long[] old = bits;
        bits = new long[old.length * 2];
        for (long n = watermark; n < watermark + oldCapacity; n++) {
            int from = (int) (n % oldCapacity);
            if ((old[from >>> 6] & (1L << from)) != 0) {
                int to = (int) (n % capacity());
                bits[to >>> 6] |= 1L << to;
            }
        }
    }
}
