/**
 * The SDK's machinery: the WebSocket transport, sequence tracking, reconnect backoff and ordered
 * callback delivery. Not API: anything here may change in any release; use
 * {@link io.tickwire.client.TickwireClient}.
 */
package io.tickwire.client.internal;
