/**
 * What travels on the wire, and nothing else: the stable error and close codes shared by every
 * protocol, the native protocol ({@link io.tickwire.protocol.v1}), and the compatibility dialects.
 *
 * <p>Codecs here parse frames into commands and encode events into bytes; they hold no session
 * state and make no decisions. That belongs to the server.
 */
package io.tickwire.protocol;
