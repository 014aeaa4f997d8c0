package io.tickwire.model;

/**
 * One execution.
 *
 * @param instrumentId catalogue id
 * @param seq          sequence number in the instrument's trade channel (0 before ingest)
 * @param eventTime    microseconds since the epoch, UTC
 * @param price        execution price (scaled by the instrument's price scale)
 * @param size         executed size (scaled by the instrument's size scale), always positive
 * @param aggressor    the side that crossed the spread
 * @param tradeId      the trade's id, unique per instrument; ingest assigns one when the source has none
 */
public record Trade(
        int instrumentId,
        long seq,
        long eventTime,
        long price,
        long size,
        Side aggressor,
        long tradeId) implements MarketEvent, StreamMessage {

    @Override
    public Channel channel() {
        return Channel.TRADE;
    }

    @Override
    public Trade withSeq(long newSeq) {
        return new Trade(instrumentId, newSeq, eventTime, price, size, aggressor, tradeId);
    }

    /** This trade with a trade id, for sources that do not number their trades. */
    public Trade withTradeId(long newTradeId) {
        return new Trade(instrumentId, seq, eventTime, price, size, aggressor, newTradeId);
    }
}
