package io.tickwire.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server listens and treats connections. Immutable; {@link #defaults()} is what
 * {@code docs/configuration.md} documents under {@code server:}.
 *
 * @param host                  interface to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port                  TCP port for HTTP and WebSocket; 0 picks a free one
 * @param ioThreads             event-loop threads; 0 means one per available processor
 * @param nativePath            WebSocket path of the native protocol
 * @param maxFrameBytes         largest inbound message; bigger ones close the connection with 1009
 * @param authDeadline          how long a connection may stay unauthenticated
 * @param heartbeatInterval     how often the server sends a heartbeat
 * @param writeBufferLowWater   outbound bytes below which a connection counts as writable again
 * @param writeBufferHighWater  outbound bytes above which a connection counts as behind
 * @param maxOutboundBytes      outbound bytes queued for one connection before it is closed as a slow consumer
 * @param slowConsumerGrace     how long a connection may stay behind before it is closed as a slow consumer
 * @param unauthenticatedRequestsPerSecond request rate allowed before authentication
 * @param floodLimit            refused requests within {@code floodWindow} that close the connection (4005)
 * @param floodWindow           the window for {@code floodLimit}
 * @param outboxCapacity        fan-out items each event loop can hold before updates are lost (and subscribers resynced)
 */
public record ServerConfig(
        String host,
        int port,
        int ioThreads,
        String nativePath,
        int maxFrameBytes,
        Duration authDeadline,
        Duration heartbeatInterval,
        int writeBufferLowWater,
        int writeBufferHighWater,
        long maxOutboundBytes,
        Duration slowConsumerGrace,
        int unauthenticatedRequestsPerSecond,
        int floodLimit,
        Duration floodWindow,
        int outboxCapacity) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nativePath, "nativePath");
        check(port >= 0 && port <= 65_535, "port must be 0..65535, was " + port);
        check(ioThreads >= 0, "ioThreads must be >= 0");
        check(nativePath.startsWith("/"), "nativePath must start with '/'");
        check(maxFrameBytes >= 1_024 && maxFrameBytes <= 16 << 20, "maxFrameBytes must be 1 KiB..16 MiB");
        check(positive(authDeadline), "authDeadline must be positive");
        check(positive(heartbeatInterval), "heartbeatInterval must be positive");
        check(writeBufferLowWater > 0 && writeBufferHighWater > writeBufferLowWater,
                "writeBufferHighWater must exceed writeBufferLowWater > 0");
        check(maxOutboundBytes >= writeBufferHighWater, "maxOutboundBytes must be >= writeBufferHighWater");
        check(positive(slowConsumerGrace), "slowConsumerGrace must be positive");
        check(unauthenticatedRequestsPerSecond > 0, "unauthenticatedRequestsPerSecond must be > 0");
        check(floodLimit > 0, "floodLimit must be > 0");
        check(positive(floodWindow), "floodWindow must be positive");
        check(outboxCapacity >= 1_024, "outboxCapacity must be >= 1024");
    }

    /** The documented defaults. */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, 0, "/v1/ws", 65_536, Duration.ofSeconds(10), Duration.ofSeconds(5),
                256 * 1024, 1024 * 1024, 8L * 1024 * 1024, Duration.ofSeconds(10), 10, 200, Duration.ofSeconds(10),
                1 << 17);
    }

    /** These settings on another port. */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, ioThreads, nativePath, maxFrameBytes, authDeadline, heartbeatInterval,
                writeBufferLowWater, writeBufferHighWater, maxOutboundBytes, slowConsumerGrace,
                unauthenticatedRequestsPerSecond, floodLimit, floodWindow, outboxCapacity);
    }

    /** These settings on another host. */
    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, ioThreads, nativePath, maxFrameBytes, authDeadline, heartbeatInterval,
                writeBufferLowWater, writeBufferHighWater, maxOutboundBytes, slowConsumerGrace,
                unauthenticatedRequestsPerSecond, floodLimit, floodWindow, outboxCapacity);
    }

    /** These settings with other timings; for tests that must not wait for production defaults. */
    public ServerConfig withTimings(Duration newAuthDeadline, Duration newHeartbeatInterval) {
        return new ServerConfig(host, port, ioThreads, nativePath, maxFrameBytes, newAuthDeadline, newHeartbeatInterval,
                writeBufferLowWater, writeBufferHighWater, maxOutboundBytes, slowConsumerGrace,
                unauthenticatedRequestsPerSecond, floodLimit, floodWindow, outboxCapacity);
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("server config: " + message);
        }
    }
}
