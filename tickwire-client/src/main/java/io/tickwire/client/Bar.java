package io.tickwire.client;

import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.protocol.v1.ServerMessage;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An OHLCV bar of one instrument, period and price type, as it forms or once final. While a period
 * runs, each message is the bar so far ({@code closed} false); when it ends, a last message with
 * {@code closed} true carries the final values. Periods without a price have no bar.
 *
 * <p>Immutable. Prices are exact, at the instrument's price scale; the volume at its size scale.
 *
 * @param symbol          the instrument's symbol as the server spells it
 * @param period          the bar's period
 * @param priceType       the price the bar follows: the last trade, or the best bid or ask
 * @param openTimeMicros  the start of the period, microseconds since the epoch (UTC)
 * @param open            first price of the period
 * @param high            highest price so far
 * @param low             lowest price so far
 * @param close           latest price (the final one when closed)
 * @param volume          size traded in the period ({@code last} bars), 0 for {@code bid} and {@code ask} bars
 * @param trades          trades in the period (the same for every price type)
 * @param closed          whether the period has ended and these are the final values
 * @param seq             sequence number in this bar stream: +1 per message (throttled streams skip numbers)
 * @param eventTimeMicros when the bar last changed, microseconds since the epoch (UTC)
 * @param snapshot        whether this is the current bar sent when a subscription starts or on request
 */
public record Bar(String symbol, Periodicity period, PriceType priceType, long openTimeMicros, BigDecimal open,
                  BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal volume, long trades, boolean closed,
                  long seq, long eventTimeMicros, boolean snapshot) {

    /** {@link #openTimeMicros()} as an instant. */
    public Instant openTime() {
        return WireValues.instant(openTimeMicros);
    }

    /** {@link #eventTimeMicros()} as an instant. */
    public Instant eventTime() {
        return WireValues.instant(eventTimeMicros);
    }

    static Bar from(ServerMessage.Bar b, int priceScale, int sizeScale) {
        return new Bar(b.symbol(), b.period(), b.priceType(), b.time(), WireValues.scaled(b.open(), priceScale),
                WireValues.scaled(b.high(), priceScale), WireValues.scaled(b.low(), priceScale),
                WireValues.scaled(b.close(), priceScale), WireValues.scaled(b.volume(), sizeScale), b.trades(), b.closed(),
                b.seq(), b.ts(), b.snapshot());
    }
}
