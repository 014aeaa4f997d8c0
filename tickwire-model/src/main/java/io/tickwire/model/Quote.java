package io.tickwire.model;

/**
 * The top of the book with the last trade price and the session's traded volume.
 *
 * <p>Prices use the instrument's price scale, sizes and volume its size scale. A side with no
 * orders has price and size 0. {@code lastPrice} is 0 until the first trade of the session.
 *
 * @param instrumentId catalogue id
 * @param seq          sequence number in the instrument's quote channel (0 before ingest)
 * @param eventTime    microseconds since the epoch, UTC
 * @param bidPrice     best bid price (scaled)
 * @param bidSize      size at the best bid (scaled)
 * @param askPrice     best ask price (scaled)
 * @param askSize      size at the best ask (scaled)
 * @param lastPrice    price of the last trade (scaled), 0 if none yet
 * @param volume       volume traded in the current session (scaled)
 */
public record Quote(
        int instrumentId,
        long seq,
        long eventTime,
        long bidPrice,
        long bidSize,
        long askPrice,
        long askSize,
        long lastPrice,
        long volume) implements MarketEvent, StreamMessage {

    @Override
    public Channel channel() {
        return Channel.QUOTE;
    }

    @Override
    public Quote withSeq(long newSeq) {
        return new Quote(instrumentId, newSeq, eventTime, bidPrice, bidSize, askPrice, askSize, lastPrice, volume);
    }

    /** This quote with the last price and session volume replaced, as the engine fills them in. */
    public Quote withLast(long newLastPrice, long newVolume) {
        return new Quote(instrumentId, seq, eventTime, bidPrice, bidSize, askPrice, askSize, newLastPrice, newVolume);
    }
}
