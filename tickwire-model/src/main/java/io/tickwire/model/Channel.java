package io.tickwire.model;

import java.util.Locale;

/**
 * A kind of market data a client subscribes to for a symbol. Sequence numbers run per symbol and
 * channel: the quote stream of BTCUSDT and its trade stream count independently.
 */
public enum Channel {
    /** Best bid and ask with sizes, last price and session volume. */
    QUOTE,
    /** Every executed trade. */
    TRADE,
    /** Level-2 order book: snapshot, then incremental level changes. */
    BOOK,
    /** OHLCV bars per period and price type. */
    BAR;

    private static final Channel[] VALUES = values();

    /** The lower-case name used on the wire, e.g. {@code "quote"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The channel with the given ordinal; the inverse of {@link #ordinal()}. */
    public static Channel ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /** The number of channels, for sizing arrays indexed by ordinal. */
    public static int count() {
        return VALUES.length;
    }

    /** Parses a wire name (case-sensitive, lower case); returns {@code null} for an unknown name. */
    public static Channel fromWire(String name) {
        for (Channel c : VALUES) {
            if (c.wireName().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
