/**
 * The publisher path: market events entering the server over the network ({@code /v1/publish}),
 * from accounts listed in {@code server.publishers}, into the engine's ingest like any other
 * source. Each event keeps the publish time it carries, so a subscriber can measure publish →
 * receive latency from {@code ts}.
 */
package io.tickwire.server.publish;
