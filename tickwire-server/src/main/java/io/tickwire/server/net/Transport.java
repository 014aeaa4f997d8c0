package io.tickwire.server.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Supplier;

/**
 * The socket transport: native epoll on Linux when its library loads, NIO everywhere else, or
 * io_uring when asked for ({@code server.transport}). io_uring submits a loop's writes to the
 * kernel together rather than one system call each; the fan-out benchmark measured ~10% less
 * server CPU per delivered message with it (docs/benchmarks.md). It is not the default because
 * epoll is what the test suite exercises everywhere. Immutable.
 *
 * @param name a name for logs and /health: {@code epoll}, {@code io_uring} or {@code nio}
 */
public record Transport(String name, Class<? extends ServerSocketChannel> serverChannel,
                        Supplier<IoHandlerFactory> handlers) {

    /** The best transport on this machine: epoll where it loads, else NIO. */
    private static Transport best() {
        return Epoll.isAvailable() ? epoll() : nio();
    }

    /**
     * The transport a configuration names ({@code auto}, {@code epoll}, {@code io_uring}, {@code nio}).
     *
     * @throws IllegalStateException if a native transport is named and cannot load here, with the reason
     */
    public static Transport select(String name) {
        return switch (name) {
            case "auto" -> best();
            case "nio" -> nio();
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("server.transport epoll is not available here: " + Epoll.unavailabilityCause());
                }
                yield epoll();
            }
            case "io_uring" -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("server.transport io_uring is not available here: " + IoUring.unavailabilityCause());
                }
                yield new Transport("io_uring", IoUringServerSocketChannel.class, IoUringIoHandler::newFactory);
            }
            default -> throw new IllegalArgumentException("unknown transport " + name);
        };
    }

    private static Transport epoll() {
        return new Transport("epoll", EpollServerSocketChannel.class, EpollIoHandler::newFactory);
    }

    private static Transport nio() {
        return new Transport("nio", NioServerSocketChannel.class, NioIoHandler::newFactory);
    }

    /** An event-loop group for this transport with daemon-less threads of the given name prefix. */
    public EventLoopGroup newGroup(int threads, String threadName) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, false), handlers.get());
    }
}
