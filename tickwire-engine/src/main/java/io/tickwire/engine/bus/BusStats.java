package io.tickwire.engine.bus;

/**
 * A point-in-time reading of a bus's counters, summed over partitions.
 *
 * @param eventsOffered  events sources offered and the bus took
 * @param eventsRefused  offers refused because a partition queue was full (back-pressure): events,
 *                       and publishers' receipts where the tap keeps events elsewhere (a cluster)
 * @param eventsAccepted events that passed ingest and were sequenced
 * @param eventsRejected events that failed ingest validation
 * @param queuedEvents   events waiting in partition queues now
 */
public record BusStats(long eventsOffered, long eventsRefused, long eventsAccepted, long eventsRejected, long queuedEvents) {
}
