package io.tickwire.engine.ingest;

/**
 * Where an event's sequence number comes from.
 *
 * <p>Live sources leave numbering to ingest ({@link #ASSIGN}). A replay of stored history
 * publishes events that were numbered when they were first streamed and must keep those numbers
 * ({@link #KEEP_SOURCE}): ingest then takes a positive number from the event as it is, and numbers
 * only events that carry none (imported data).
 */
public enum Sequencing {
    /** Ingest numbers every event: +1 per instrument and channel. The live path. */
    ASSIGN,
    /** Ingest keeps the event's own positive number; used by replay. */
    KEEP_SOURCE
}
