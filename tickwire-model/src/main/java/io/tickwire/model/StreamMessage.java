package io.tickwire.model;

/**
 * What subscribers receive on a stream: quotes and trades as ingested, and what the engine
 * derives from the book and the trades — depth updates and bars. Immutable.
 */
public sealed interface StreamMessage permits Quote, Trade, DepthUpdate, Bar {

    /** The instrument's catalogue id. */
    int instrumentId();

    /** The message's sequence number in its stream. */
    long seq();
}
