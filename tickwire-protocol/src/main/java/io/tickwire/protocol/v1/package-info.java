/**
 * The native Tickwire protocol, version 1 (WebSocket path {@code /v1/ws}).
 *
 * <p>Clients send JSON objects with an {@code op} ({@link io.tickwire.protocol.v1.Command});
 * the server answers with JSON objects with a {@code type}
 * ({@link io.tickwire.protocol.v1.ServerMessage}). {@link io.tickwire.protocol.v1.CommandReader}
 * and {@link io.tickwire.protocol.v1.MessageWriter} are the server's side;
 * {@link io.tickwire.protocol.v1.CommandWriter} and {@link io.tickwire.protocol.v1.MessageReader}
 * the client's. {@code docs/protocol.md} is the reference.
 */
package io.tickwire.protocol.v1;
