/**
 * The load generator behind {@code tickwire bench}: an open-loop publisher, many subscriber
 * connections over several loopback addresses, end-to-end latency in HdrHistogram corrected for
 * coordinated omission, loss and order checks, the server's CPU and memory, presets, results as a
 * table, JSON and a chart. {@link io.tickwire.bench.load.Adapter}s let the same generator drive
 * Tickwire and its peers.
 */
package io.tickwire.bench.load;
