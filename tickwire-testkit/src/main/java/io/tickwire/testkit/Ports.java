package io.tickwire.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for tests. Stateless and thread-safe. */
public final class Ports {

    private Ports() {
    }

    /**
     * A port on 127.0.0.1 that nothing listens on now (bound, then freed): for a server to start on,
     * or for a client to find closed. Another process may take it meanwhile; tests bind soon after.
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
