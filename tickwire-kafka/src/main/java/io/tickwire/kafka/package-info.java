/**
 * The cluster's bus on Kafka.
 *
 * <p>An <b>ingest</b> node runs the sources and the engine as a single server does, numbers every
 * event once ({@code Sequencing.ASSIGN}), and appends each sequenced event, and a periodic picture
 * of each changing book, to one topic ({@link io.tickwire.kafka.EventLog}), keyed by symbol so one
 * instrument's records stay in one partition, in order. <b>Gateway</b> nodes read the whole topic
 * ({@link io.tickwire.kafka.ClusterFeed}) into an engine that keeps those numbers
 * ({@code Sequencing.FOLLOW}) and fan it out to their clients, so every gateway sends the same
 * trade and quote numbers and a client can move between gateways and resume.
 *
 * <p>Records are Tickwire's own binary format ({@link io.tickwire.kafka.EventRecords}).
 */
package io.tickwire.kafka;
