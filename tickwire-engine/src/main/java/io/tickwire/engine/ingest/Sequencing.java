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
    /**
     * Ingest keeps the event's own positive number; used by replay, whose events arrive merged in
     * event-time order, so the partition's latest event time is every instrument's market clock.
     */
    KEEP_SOURCE,
    /**
     * Ingest keeps the event's own positive number, as for a replay, but events arrive live from
     * another node (a gateway of a cluster reading the ingest node's events from Kafka): not merged
     * in event-time order across instruments, so each instrument keeps its own market clock, as on
     * the node that numbered them.
     */
    FOLLOW
}
