package io.tickwire.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;

/**
 * A TCP relay on 127.0.0.1 whose connections reach the target from another address, 127.0.0.2,
 * so that a test can play a client on another machine: the server sees the relayed connections
 * come from 127.0.0.2 and direct ones from 127.0.0.1. Linux routes all of 127.0.0.0/8 to the
 * loopback device; where 127.0.0.2 cannot be bound, {@link #start} aborts the test (skipped).
 *
 * <p>Bytes are forwarded unchanged, one virtual thread per direction; closing either side closes
 * both. Thread-safe.
 */
final class OtherAddressRelay implements AutoCloseable {

    static final String OTHER_ADDRESS = "127.0.0.2";

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private OtherAddressRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("relay-accept").start(this::accept);
    }

    /** A relay to {@code 127.0.0.1:port}; aborts the calling test where 127.0.0.2 is not a local address. */
    static OtherAddressRelay start(int port) {
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(OTHER_ADDRESS, 0));
        } catch (IOException e) {
            Assumptions.abort("127.0.0.2 is not a local address here: " + e);
        }
        try {
            return new OtherAddressRelay(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The port to connect to on 127.0.0.1. */
    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket inbound;
            try {
                inbound = listener.accept();
            } catch (IOException e) {
                continue; // the listener closed
            }
            Socket outbound = new Socket();
            sockets.add(inbound);
            sockets.add(outbound);
            try {
                outbound.bind(new InetSocketAddress(OTHER_ADDRESS, 0));
                outbound.connect(target);
                inbound.setTcpNoDelay(true);
                outbound.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> pump(inbound, outbound));
                Thread.ofVirtual().start(() -> pump(outbound, inbound));
            } catch (IOException e) {
                closeQuietly(inbound); // the client sees its connection close
                closeQuietly(outbound);
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other direction closed the pair
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.forEach(OtherAddressRelay::closeQuietly);
    }
}
