package io.tickwire.client;

import io.tickwire.model.Side;
import io.tickwire.protocol.v1.ServerMessage;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One execution of one instrument, as the server sent it.
 *
 * <p>Immutable. Price and size are exact, carried at the instrument's price and size scale.
 *
 * @param symbol          the instrument's symbol as the server spells it
 * @param seq             sequence number in this symbol's trade stream; +1 per trade
 * @param eventTimeMicros when the trade happened, microseconds since the epoch (UTC)
 * @param sentTimeMicros  when the server sent it, microseconds since the epoch (UTC)
 * @param price           execution price
 * @param size            executed size, always positive
 * @param side            the aggressor: the side whose order crossed the spread
 * @param tradeId         the trade's id, unique per instrument
 */
public record Trade(String symbol, long seq, long eventTimeMicros, long sentTimeMicros, BigDecimal price,
                    BigDecimal size, Side side, long tradeId) {

    /** {@link #eventTimeMicros()} as an instant. */
    public Instant eventTime() {
        return WireValues.instant(eventTimeMicros);
    }

    /** {@link #sentTimeMicros()} as an instant. */
    public Instant sentTime() {
        return WireValues.instant(sentTimeMicros);
    }

    static Trade from(ServerMessage.Trade t, int priceScale, int sizeScale) {
        return new Trade(t.symbol(), t.seq(), t.ts(), t.sent(), WireValues.scaled(t.price(), priceScale),
                WireValues.scaled(t.size(), sizeScale), t.side(), t.tradeId());
    }
}
