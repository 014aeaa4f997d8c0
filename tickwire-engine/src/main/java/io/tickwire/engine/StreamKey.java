package io.tickwire.engine;

import io.tickwire.model.Channel;

/**
 * Packs a stream's identity into a {@code long}: the instrument, the channel and a variant (for
 * streams of one channel that differ in depth or throttle; 0 for the plain stream). Keys index
 * maps on the hot path without allocating.
 *
 * <p>Layout: instrument id in bits 16..47, channel ordinal in bits 8..15, variant in bits 0..7.
 */
public final class StreamKey {

    private StreamKey() {
    }

    /** The key of the plain stream of a channel for an instrument. */
    public static long of(int instrumentId, Channel channel) {
        return of(instrumentId, channel, 0);
    }

    /** The key of a stream variant. */
    public static long of(int instrumentId, Channel channel, int variant) {
        if (variant < 0 || variant > 0xFF) {
            throw new IllegalArgumentException("variant out of range: " + variant);
        }
        return ((long) instrumentId << 16) | ((long) channel.ordinal() << 8) | variant;
    }

    /** The instrument id of a key. */
    public static int instrumentId(long key) {
        return (int) (key >>> 16);
    }

    /** The channel of a key. */
    public static Channel channel(long key) {
        return Channel.ofOrdinal((int) ((key >>> 8) & 0xFF));
    }

    /** The variant of a key. */
    public static int variant(long key) {
        return (int) (key & 0xFF);
    }

    /** A readable form, e.g. {@code 12/quote/0}. */
    public static String toString(long key) {
        return instrumentId(key) + "/" + channel(key).wireName() + "/" + variant(key);
    }
}
