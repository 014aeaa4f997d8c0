package io.tickwire.server.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport: native epoll on Linux when its library loads, NIO everywhere else.
 * Immutable.
 *
 * @param name a name for logs: {@code epoll} or {@code nio}
 */
public record Transport(String name, Class<? extends ServerSocketChannel> serverChannel) {

    /** The best transport on this machine. */
    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollServerSocketChannel.class);
        }
        return new Transport("nio", NioServerSocketChannel.class);
    }

    /** An event-loop group for this transport with daemon-less threads of the given name prefix. */
    public EventLoopGroup newGroup(int threads, String threadName) {
        DefaultThreadFactory factory = new DefaultThreadFactory(threadName, false);
        return "epoll".equals(name)
                ? new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory());
    }
}
