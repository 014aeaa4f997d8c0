package io.tickwire.model;

/**
 * One change in the market for one instrument, as a source publishes it and ingest numbers it:
 * a quote, a trade, or a batch of order-book level changes.
 *
 * <p>A source creates events with {@code seq == 0}; ingest assigns the sequence number once, per
 * instrument and channel, with {@link #withSeq(long)}. Every later stage (and every gateway node
 * of a cluster) sees the same number. Implementations are immutable records.
 */
public sealed interface MarketEvent permits Quote, Trade, BookUpdate {

    /** The instrument's catalogue id. */
    int instrumentId();

    /** The channel this event belongs to; sequence numbers count per instrument and channel. */
    Channel channel();

    /** The sequence number within (instrument, channel), starting at 1; 0 before ingest. */
    long seq();

    /** When the event happened at its source, microseconds since the epoch (UTC). */
    long eventTime();

    /** A copy of this event carrying the given sequence number. */
    MarketEvent withSeq(long seq);
}
