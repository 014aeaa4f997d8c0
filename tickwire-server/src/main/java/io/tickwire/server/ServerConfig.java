package io.tickwire.server;

import java.time.Duration;
import java.util.List;
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
 * @param heartbeatInterval     how often the server sends a heartbeat (and a WebSocket ping)
 * @param idleTimeout           how long a connection may send nothing at all (not even a pong) before it is closed as dead
 * @param writeBufferLowWater   outbound bytes below which a connection counts as writable again
 * @param writeBufferHighWater  outbound bytes above which a connection counts as behind
 * @param maxOutboundBytes      outbound bytes queued for one connection before it is closed as a slow consumer
 * @param slowConsumerGrace     how long a connection may stay behind before it is closed as a slow consumer
 * @param unauthenticatedRequestsPerSecond request rate allowed before authentication
 * @param floodLimit            refused requests within {@code floodWindow} that close the connection (4005)
 * @param floodWindow           the window for {@code floodLimit}
 * @param outboxCapacity        fan-out items each event loop can hold before updates are lost (and subscribers resynced)
 * @param admissionRate         WebSocket connections admitted per second (a token bucket); the excess is closed
 *                              with 1013 and a retry hint, so a reconnect storm is spread out instead of piling up
 * @param admissionBurst        connections admitted at once before the rate applies
 * @param drainPeriod           on shutdown: how long clients are given to move after the reconnect hint
 * @param adminTokenHash        {@code sha256:…} of the token that may use {@code /admin/…}; blank: none may
 * @param publishPath           WebSocket path of the publisher endpoint, where events enter from the network
 * @param publishers            accounts allowed to publish there; empty (the default) means nobody
 * @param transport             the socket transport: {@code auto} (epoll where it loads, else nio), {@code epoll},
 *                              {@code io_uring} (Linux 5.14+; ~10% less CPU per delivered message in the fan-out
 *                              benchmark) or {@code nio}; a named native transport that cannot load fails the start
 * @param flushCoalescing       fan-out gathers a busy connection's messages for up to this long (0: flushes after
 *                              every batch); a connection flushed ¾ of this ago or earlier is flushed at once, so only
 *                              one that receives messages faster waits, at most this long, and gets them in fewer writes
 */
public record ServerConfig(
        String host,
        int port,
        int ioThreads,
        String nativePath,
        int maxFrameBytes,
        Duration authDeadline,
        Duration heartbeatInterval,
        Duration idleTimeout,
        int writeBufferLowWater,
        int writeBufferHighWater,
        long maxOutboundBytes,
        Duration slowConsumerGrace,
        int unauthenticatedRequestsPerSecond,
        int floodLimit,
        Duration floodWindow,
        int outboxCapacity,
        int admissionRate,
        int admissionBurst,
        Duration drainPeriod,
        String adminTokenHash,
        String publishPath,
        List<String> publishers,
        String transport,
        Duration flushCoalescing) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nativePath, "nativePath");
        check(port >= 0 && port <= 65_535, "port must be 0..65535, was " + port);
        check(ioThreads >= 0, "ioThreads must be >= 0");
        check(nativePath.startsWith("/"), "nativePath must start with '/'");
        check(maxFrameBytes >= 1_024 && maxFrameBytes <= 16 << 20, "maxFrameBytes must be 1 KiB..16 MiB");
        check(positive(authDeadline), "authDeadline must be positive");
        check(positive(heartbeatInterval), "heartbeatInterval must be positive");
        check(positive(idleTimeout) && idleTimeout.compareTo(heartbeatInterval.multipliedBy(2)) >= 0,
                "idleTimeout must be at least twice heartbeatInterval");
        check(writeBufferLowWater > 0 && writeBufferHighWater > writeBufferLowWater,
                "writeBufferHighWater must exceed writeBufferLowWater > 0");
        check(maxOutboundBytes >= writeBufferHighWater, "maxOutboundBytes must be >= writeBufferHighWater");
        check(positive(slowConsumerGrace), "slowConsumerGrace must be positive");
        check(unauthenticatedRequestsPerSecond > 0, "unauthenticatedRequestsPerSecond must be > 0");
        check(floodLimit > 0, "floodLimit must be > 0");
        check(positive(floodWindow), "floodWindow must be positive");
        check(outboxCapacity >= 1_024, "outboxCapacity must be >= 1024");
        check(admissionRate > 0, "admissionRate must be > 0");
        check(admissionBurst > 0, "admissionBurst must be > 0");
        check(drainPeriod != null && !drainPeriod.isNegative(), "drainPeriod must be >= 0");
        check(adminTokenHash == null || adminTokenHash.isBlank() || adminTokenHash.startsWith("sha256:"),
                "adminTokenHash must be blank or sha256:<hex> (printf '%s' \"$token\" | sha256sum)");
        publishPath = publishPath == null ? "/v1/publish" : publishPath;
        check(publishPath.startsWith("/") && !publishPath.equals(nativePath),
                "publishPath must start with '/' and differ from nativePath");
        publishers = publishers == null ? List.of() : List.copyOf(publishers);
        transport = transport == null ? "auto" : transport;
        check(TRANSPORTS.contains(transport), "transport must be one of " + TRANSPORTS + ", was " + transport);
        flushCoalescing = flushCoalescing == null ? Duration.ZERO : flushCoalescing;
        check(!flushCoalescing.isNegative() && flushCoalescing.compareTo(MAX_FLUSH_COALESCING) <= 0,
                "flushCoalescing must be 0..100ms, was " + flushCoalescing);
    }

    /** The values of {@link #transport}: {@code auto} is epoll where it loads, else nio. */
    public static final List<String> TRANSPORTS = List.of("auto", "epoll", "io_uring", "nio");

    /** The longest {@link #flushCoalescing}: beyond it batching buys nothing and every message waits. */
    public static final Duration MAX_FLUSH_COALESCING = Duration.ofMillis(100);

    /** The documented defaults. */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, 0, "/v1/ws", 65_536, Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(30), 256 * 1024, 1024 * 1024, 8L * 1024 * 1024, Duration.ofSeconds(10), 10, 200, Duration.ofSeconds(10),
                1 << 17, 2_000, 2_000, Duration.ofSeconds(5), "", "/v1/publish", List.of(), "auto", Duration.ZERO);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** These settings on another port. */
    public ServerConfig withPort(int newPort) {
        return toBuilder().port(newPort).build();
    }

    /** These settings on another host. */
    public ServerConfig withHost(String newHost) {
        return toBuilder().host(newHost).build();
    }

    /** Builds a {@link ServerConfig} field by field; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private int ioThreads;
        private String nativePath;
        private int maxFrameBytes;
        private Duration authDeadline;
        private Duration heartbeatInterval;
        private Duration idleTimeout;
        private int writeBufferLowWater;
        private int writeBufferHighWater;
        private long maxOutboundBytes;
        private Duration slowConsumerGrace;
        private int unauthenticatedRequestsPerSecond;
        private int floodLimit;
        private Duration floodWindow;
        private int outboxCapacity;
        private int admissionRate;
        private int admissionBurst;
        private Duration drainPeriod;
        private String adminTokenHash;
        private String publishPath;
        private List<String> publishers;
        private String transport;
        private Duration flushCoalescing;

        private Builder(ServerConfig c) {
            this.host = c.host;
            this.port = c.port;
            this.ioThreads = c.ioThreads;
            this.nativePath = c.nativePath;
            this.maxFrameBytes = c.maxFrameBytes;
            this.authDeadline = c.authDeadline;
            this.heartbeatInterval = c.heartbeatInterval;
            this.idleTimeout = c.idleTimeout;
            this.writeBufferLowWater = c.writeBufferLowWater;
            this.writeBufferHighWater = c.writeBufferHighWater;
            this.maxOutboundBytes = c.maxOutboundBytes;
            this.slowConsumerGrace = c.slowConsumerGrace;
            this.unauthenticatedRequestsPerSecond = c.unauthenticatedRequestsPerSecond;
            this.floodLimit = c.floodLimit;
            this.floodWindow = c.floodWindow;
            this.outboxCapacity = c.outboxCapacity;
            this.admissionRate = c.admissionRate;
            this.admissionBurst = c.admissionBurst;
            this.drainPeriod = c.drainPeriod;
            this.adminTokenHash = c.adminTokenHash;
            this.publishPath = c.publishPath;
            this.publishers = c.publishers;
            this.transport = c.transport;
            this.flushCoalescing = c.flushCoalescing;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder ioThreads(int value) {
            this.ioThreads = value;
            return this;
        }

        public Builder nativePath(String value) {
            this.nativePath = value;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = value;
            return this;
        }

        public Builder authDeadline(Duration value) {
            this.authDeadline = value;
            return this;
        }

        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        public Builder writeBufferLowWater(int value) {
            this.writeBufferLowWater = value;
            return this;
        }

        public Builder writeBufferHighWater(int value) {
            this.writeBufferHighWater = value;
            return this;
        }

        public Builder maxOutboundBytes(long value) {
            this.maxOutboundBytes = value;
            return this;
        }

        public Builder slowConsumerGrace(Duration value) {
            this.slowConsumerGrace = value;
            return this;
        }

        public Builder unauthenticatedRequestsPerSecond(int value) {
            this.unauthenticatedRequestsPerSecond = value;
            return this;
        }

        public Builder floodLimit(int value) {
            this.floodLimit = value;
            return this;
        }

        public Builder floodWindow(Duration value) {
            this.floodWindow = value;
            return this;
        }

        public Builder outboxCapacity(int value) {
            this.outboxCapacity = value;
            return this;
        }

        public Builder admissionRate(int value) {
            this.admissionRate = value;
            return this;
        }

        public Builder admissionBurst(int value) {
            this.admissionBurst = value;
            return this;
        }

        public Builder drainPeriod(Duration value) {
            this.drainPeriod = value;
            return this;
        }

        public Builder adminTokenHash(String value) {
            this.adminTokenHash = value;
            return this;
        }

        public Builder publishPath(String value) {
            this.publishPath = value;
            return this;
        }

        public Builder publishers(List<String> value) {
            this.publishers = value;
            return this;
        }

        public Builder transport(String value) {
            this.transport = value;
            return this;
        }

        public Builder flushCoalescing(Duration value) {
            this.flushCoalescing = value;
            return this;
        }

        /** The settings; throws {@link IllegalArgumentException} naming the first invalid one. */
        public ServerConfig build() {
            return new ServerConfig(host, port, ioThreads, nativePath, maxFrameBytes, authDeadline, heartbeatInterval,
                    idleTimeout, writeBufferLowWater, writeBufferHighWater, maxOutboundBytes, slowConsumerGrace,
                    unauthenticatedRequestsPerSecond, floodLimit, floodWindow, outboxCapacity, admissionRate,
                    admissionBurst, drainPeriod, adminTokenHash, publishPath, publishers, transport,
                    flushCoalescing);
        }
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
