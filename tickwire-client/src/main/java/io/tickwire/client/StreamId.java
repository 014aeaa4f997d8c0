package io.tickwire.client;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;

/**
 * Which stream a message belongs to, as the server counts them: one per symbol for quote, trade and
 * book, one per symbol, period and price type for bars. Symbols are kept upper case. Immutable.
 */
record StreamId(String symbol, Channel channel, Periodicity period, PriceType priceType) {

    static StreamId of(String symbol, Channel channel) {
        return new StreamId(DesiredSubscriptions.normalize(symbol), channel, null, null);
    }

    static StreamId bar(String symbol, Periodicity period, PriceType priceType) {
        return new StreamId(DesiredSubscriptions.normalize(symbol), Channel.BAR, period, priceType);
    }

    boolean is(String normalizedSymbol, Channel c) {
        return channel == c && symbol.equals(normalizedSymbol);
    }
}
