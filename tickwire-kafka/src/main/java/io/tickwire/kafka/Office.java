package io.tickwire.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;

/**
 * What an elected ingest node's log asks its election before it claims a term ({@link EventLog}):
 * whether the node is still elected, and the election group's metadata that the claim commits with,
 * so the broker refuses it once the group has moved on. {@link IngestElection} is the one in use.
 */
public interface Office {

    /** Whether this node holds the office, as far as it knows. */
    boolean elected();

    /** The election group's metadata while elected, as last seen; {@code null} otherwise (or not seen yet). */
    ConsumerGroupMetadata office();
}
