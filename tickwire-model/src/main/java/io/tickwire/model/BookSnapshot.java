package io.tickwire.model;

import java.util.Objects;

/**
 * An instrument's order book at one moment, as the engine hands it to its {@code EventTap} periodically (for the history store).
 * Level {@code i} of a side is its {@code i}-th best price; prices and sizes are scaled longs.
 * The arrays are not copied: the caller hands them over and must not change them afterwards.
 *
 * @param instrumentId catalogue id
 * @param seq          the book stream's sequence number at the snapshot
 * @param time         when the snapshot was taken, microseconds since the epoch
 */
public record BookSnapshot(int instrumentId, long seq, long time, long[] bidPrices, long[] bidSizes,
                           long[] askPrices, long[] askSizes) {

    public BookSnapshot {
        Objects.requireNonNull(bidPrices, "bidPrices");
        Objects.requireNonNull(bidSizes, "bidSizes");
        Objects.requireNonNull(askPrices, "askPrices");
        Objects.requireNonNull(askSizes, "askSizes");
        if (bidPrices.length != bidSizes.length || askPrices.length != askSizes.length) {
            throw new IllegalArgumentException("each side needs as many sizes as prices");
        }
    }
}
