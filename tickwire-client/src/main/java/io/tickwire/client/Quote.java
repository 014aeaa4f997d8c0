package io.tickwire.client;

import io.tickwire.protocol.v1.ServerMessage;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The top of the book of one instrument, as the server sent it: best bid and ask with their
 * sizes, the last trade price and the session's traded volume.
 *
 * <p>Immutable. Prices and sizes are exact, carried at the instrument's price and size scale (so
 * {@code equals} compares like with like; {@code compareTo} is always safe). A side with no orders
 * has price and size 0; {@code last} is 0 before the session's first trade.
 *
 * @param symbol          the instrument's symbol as the server spells it, e.g. {@code BTCUSDT}
 * @param seq             sequence number in this symbol's quote stream; +1 per quote
 * @param eventTimeMicros when the quote changed, microseconds since the epoch (UTC)
 * @param sentTimeMicros  when the server sent it, microseconds since the epoch (UTC)
 * @param snapshot        whether this is the current value sent when a subscription starts (or
 *                        restarts after a reconnect) rather than a change
 * @param bid             best bid price
 * @param bidSize         size at the best bid
 * @param ask             best ask price
 * @param askSize         size at the best ask
 * @param last            price of the last trade
 * @param volume          volume traded in the current session
 */
public record Quote(String symbol, long seq, long eventTimeMicros, long sentTimeMicros, boolean snapshot,
                    BigDecimal bid, BigDecimal bidSize, BigDecimal ask, BigDecimal askSize, BigDecimal last,
                    BigDecimal volume) {

    /** {@link #eventTimeMicros()} as an instant. */
    public Instant eventTime() {
        return WireValues.instant(eventTimeMicros);
    }

    /** {@link #sentTimeMicros()} as an instant. */
    public Instant sentTime() {
        return WireValues.instant(sentTimeMicros);
    }

    static Quote from(ServerMessage.Quote q, int priceScale, int sizeScale) {
        return new Quote(q.symbol(), q.seq(), q.ts(), q.sent(), q.snapshot(),
                WireValues.scaled(q.bid(), priceScale), WireValues.scaled(q.bidSize(), sizeScale),
                WireValues.scaled(q.ask(), priceScale), WireValues.scaled(q.askSize(), sizeScale),
                WireValues.scaled(q.last(), priceScale), WireValues.scaled(q.volume(), sizeScale));
    }
}
