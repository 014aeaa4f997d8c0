package io.tickwire.model;

import java.util.zip.CRC32;

/**
 * The checksum that lets a client verify its copy of a depth-limited book.
 *
 * <p>Algorithm: take the best {@code K = min(depth, 10)} levels of each side; build the ASCII text
 * of the asks (best first) and then the bids (best first), each level written as
 * {@code price:size;} with price and size as fixed-point decimals with the instrument's number of
 * decimal places, exactly as on the wire (e.g. {@code 67013.00:1.200000;}); the checksum is the
 * CRC-32 (as {@link CRC32}, the zlib polynomial) of that text, an unsigned 32-bit number. An
 * empty book's text is empty, and its checksum 0.
 *
 * <p>Not thread-safe: keep one per thread. Allocates nothing per call.
 */
public final class BookChecksum {

    /** The most levels per side the checksum covers. */
    public static final int LEVELS = 10;

    private final CRC32 crc = new CRC32();
    private final char[] digits = new char[24];
    private final byte[] bytes = new byte[(2 * 24 + 2) * 2 * LEVELS];

    /**
     * The checksum of a view given as level arrays (bids best first, asks best first).
     *
     * @param depth the stream's depth; at most {@code min(depth, 10)} levels of each side count
     */
    public long of(long[] bidPrices, long[] bidSizes, int bidCount, long[] askPrices, long[] askSizes, int askCount,
                   int depth, int priceScale, int sizeScale) {
        int k = Math.min(depth, LEVELS);
        int len = 0;
        for (int i = 0; i < Math.min(k, askCount); i++) {
            len = level(len, askPrices[i], askSizes[i], priceScale, sizeScale);
        }
        for (int i = 0; i < Math.min(k, bidCount); i++) {
            len = level(len, bidPrices[i], bidSizes[i], priceScale, sizeScale);
        }
        crc.reset();
        crc.update(bytes, 0, len);
        return crc.getValue();
    }

    private int level(int pos, long price, long size, int priceScale, int sizeScale) {
        int n = Decimals.writeFixed(digits, 0, price, priceScale);
        for (int i = 0; i < n; i++) {
            bytes[pos++] = (byte) digits[i];
        }
        bytes[pos++] = ':';
        n = Decimals.writeFixed(digits, 0, size, sizeScale);
        for (int i = 0; i < n; i++) {
            bytes[pos++] = (byte) digits[i];
        }
        bytes[pos++] = ';';
        return pos;
    }
}
