/**
 * The Tickwire server: one Netty port for HTTP and WebSocket, where connections become
 * {@link io.tickwire.server.session.Session}s and receive market data through
 * {@link io.tickwire.server.fanout.FanOut}.
 *
 * <p>{@link io.tickwire.server.TickwireServer} assembles the pipeline; {@code net} routes requests,
 * {@code session} holds per-connection state and the native protocol, {@code fanout} gets encoded
 * frames from engine partitions to connections.
 */
package io.tickwire.server;
