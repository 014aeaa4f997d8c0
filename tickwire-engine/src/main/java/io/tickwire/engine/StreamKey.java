package io.tickwire.engine;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Throttle;

/**
 * Packs a stream's identity into a {@code long}: the instrument, the channel and a variant — the
 * depth and throttle of a book stream, the period, price type and throttle of a bar stream, the
 * throttle of a quote stream. Keys index maps on the hot path without allocating.
 *
 * <p>Layout: instrument id in bits 32..63, channel ordinal in bits 24..31, variant in bits 0..23.
 * Variants: quote {@code throttle}; book {@code depth | throttle << 12}; bar
 * {@code period | priceType << 4 | throttle << 8}; trade always 0. A stream's <em>slot</em> is its
 * key without depth and throttle: a session holds at most one stream per slot.
 */
public final class StreamKey {

    private StreamKey() {
    }

    /** The key of the plain (full-rate) stream of a channel for an instrument. */
    public static long of(int instrumentId, Channel channel) {
        return of(instrumentId, channel, 0);
    }

    /** The key of a stream variant. */
    public static long of(int instrumentId, Channel channel, int variant) {
        if (variant < 0 || variant > 0xFF_FFFF) {
            throw new IllegalArgumentException("variant out of range: " + variant);
        }
        return ((long) instrumentId << 32) | ((long) channel.ordinal() << 24) | variant;
    }

    /** A quote stream at a throttle class (0 = every quote). */
    public static long quote(int instrumentId, int throttle) {
        return of(instrumentId, Channel.QUOTE, Throttle.check(throttle));
    }

    /** A book stream of a depth (1..4095) at a throttle class. */
    public static long book(int instrumentId, int depth, int throttle) {
        if (depth < 1 || depth > 0xFFF) {
            throw new IllegalArgumentException("depth out of range: " + depth);
        }
        return of(instrumentId, Channel.BOOK, depth | Throttle.check(throttle) << 12);
    }

    /** A bar stream of a period and price type at a throttle class. */
    public static long bar(int instrumentId, Periodicity period, PriceType priceType, int throttle) {
        return of(instrumentId, Channel.BAR, period.ordinal() | priceType.ordinal() << 4 | Throttle.check(throttle) << 8);
    }

    /** The instrument id of a key. */
    public static int instrumentId(long key) {
        return (int) (key >>> 32);
    }

    /** The channel of a key. */
    public static Channel channel(long key) {
        return Channel.ofOrdinal((int) ((key >>> 24) & 0xFF));
    }

    /** The variant of a key. */
    public static int variant(long key) {
        return (int) (key & 0xFF_FFFF);
    }

    /** The throttle class of a key (0 for full-rate streams and trades). */
    public static int throttle(long key) {
        return switch (channel(key)) {
            case QUOTE -> variant(key) & 0xF;
            case BOOK -> (variant(key) >>> 12) & 0xF;
            case BAR -> (variant(key) >>> 8) & 0xF;
            case TRADE -> 0;
        };
    }

    /** The depth of a book key. */
    public static int depth(long key) {
        return variant(key) & 0xFFF;
    }

    /** The period of a bar key. */
    public static Periodicity period(long key) {
        return Periodicity.values()[variant(key) & 0xF];
    }

    /** The price type of a bar key. */
    public static PriceType priceType(long key) {
        return PriceType.values()[(variant(key) >>> 4) & 0x3];
    }

    /** The key with depth and throttle cleared: one per (instrument, channel[, period, price type]). */
    public static long slot(long key) {
        return switch (channel(key)) {
            case QUOTE, BOOK, TRADE -> key & ~0xFF_FFFFL;
            case BAR -> key & ~0xFF_FF00L;
        };
    }

    /** A readable form, e.g. {@code 12/book/depth=10/throttle=500ms}. */
    public static String toString(long key) {
        StringBuilder sb = new StringBuilder().append(instrumentId(key)).append('/').append(channel(key).wireName());
        switch (channel(key)) {
            case BOOK -> sb.append("/depth=").append(depth(key));
            case BAR -> sb.append('/').append(period(key).wireName()).append('/').append(priceType(key).wireName());
            default -> {
            }
        }
        if (throttle(key) != 0) {
            sb.append("/throttle=").append(Throttle.millis(throttle(key))).append("ms");
        }
        return sb.toString();
    }
}
