package io.tickwire.server.session;

/**
 * The user event fired down a WebSocket connection's pipeline when the client's close frame
 * arrives, before Netty's protocol handler answers it and closes the socket: the session gives
 * its connection slot back at once, so a client that reconnects as soon as it reads the answer
 * finds the slot free instead of racing the old connection's close to it.
 */
public enum ClientClosing {
    /** The one event. */
    EVENT
}
