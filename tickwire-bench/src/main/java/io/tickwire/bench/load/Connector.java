package io.tickwire.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Opens WebSocket client connections on shared event loops (native epoll when available), each
 * from a chosen local address so that many 127.0.0.x sources multiply the ephemeral ports
 * available towards one server port. Thread-safe; {@link #close} stops the loops.
 */
final class Connector implements AutoCloseable {

    private final EventLoopGroup group;
    private final boolean epoll;

    Connector(int threads) {
        this.epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * Connects to {@code uri} from {@code localAddress} (port chosen by the kernel), asking for the
     * adapter's subprotocol; the adapter's codec, then {@code handler}, end the pipeline.
     */
    ChannelFuture connect(Adapter adapter, URI uri, Map<String, String> headers, String localAddress,
                          ChannelHandler handler) {
        return connect(adapter, uri, headers, localAddress, handler, 0);
    }

    /** As above, with a socket receive buffer of {@code receiveBuffer} bytes (0: the kernel's default). */
    ChannelFuture connect(Adapter adapter, URI uri, Map<String, String> headers, String localAddress,
                          ChannelHandler handler, int receiveBuffer) {
        HttpHeaders extra = new DefaultHttpHeaders();
        headers.forEach(extra::set);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(adapter.subprotocol())
                .version(WebSocketVersion.V13)
                .customHeaders(extra)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(30_000)
                .dropPongFrames(true)
                .handleCloseFrames(false)
                // the parser reads the bytes it needs and checks them; validating every text frame's
                // UTF-8 as well was a fifth of the generator's own CPU, the same for every server
                .withUTF8Validator(false)
                .build();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536),
                                new WebSocketClientProtocolHandler(config));
                        adapter.addCodec(ch.pipeline());
                        ch.pipeline().addLast(handler);
                    }
                });
        if (receiveBuffer > 0) {
            b.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        int port = uri.getPort();
        return b.connect(new InetSocketAddress(uri.getHost(), port), new InetSocketAddress(localAddress, 0));
    }

    /** Runs a task on every event loop and waits for all of them: afterwards, what they wrote is visible. */
    void quiesce() throws Exception {
        for (var executor : group) {
            executor.submit(() -> { }).get(30, TimeUnit.SECONDS);
        }
    }

    static void closeAll(Iterable<Channel> channels) {
        for (Channel ch : channels) {
            ch.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
