package io.tickwire.testkit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on 127.0.0.1 for fault injection: put it between a client and a server, then
 * {@link #freeze()} the link (a silent dead link: nothing moves, nothing closes), or
 * {@link #cutAll()} every connection at once (as a crashed router or a pulled cable would).
 *
 * <p>Thread-safe: every method may be called from any thread; each returns once its effect is in
 * place. All connections live on one event loop owned by the proxy, so the order of events is
 * the order of calls. Bytes are forwarded as they arrive, unchanged.
 */
public final class TcpProxy implements AutoCloseable {

    private static final long WAIT_SECONDS = 10;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final String targetHost;
    private final int targetPort;
    private final Channel listener;
    /** Every open connection, both legs; confined to {@link #loop}. */
    private final Map<Channel, Relay> channels = new LinkedHashMap<>();
    /** Confined to {@link #loop}. */
    private boolean frozen;

    private TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tcp-proxy", true),
                NioIoHandler.newFactory());
        this.loop = group.next();
        try {
            this.listener = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel inbound) {
                            inbound.pipeline().addLast(new Relay());
                        }
                    })
                    .bind("127.0.0.1", 0)
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Starts a proxy on 127.0.0.1 and a free port that forwards every connection to the target.
     *
     * @param targetHost host of the server behind the proxy
     * @param targetPort port of the server behind the proxy
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        return new TcpProxy(targetHost, targetPort);
    }

    /** The port the proxy listens on (on 127.0.0.1). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Stops forwarding in both directions without closing anything: the proxy stops reading from
     * every connection, current and new (new ones are still accepted and connected to the target,
     * but their bytes wait). Bytes already read when this is called may still be delivered.
     * Neither side sees a close or a reset, so only a timeout can tell them the link is dead.
     */
    public void freeze() {
        onLoop(() -> {
            frozen = true;
            for (Channel ch : channels.keySet()) {
                ch.config().setAutoRead(false);
            }
            return null;
        });
    }

    /** Forwards again after {@link #freeze()}, including the bytes that waited meanwhile. */
    public void unfreeze() {
        onLoop(() -> {
            frozen = false;
            channels.forEach((ch, relay) -> {
                if (relay.peer != null) {
                    ch.config().setAutoRead(true);
                    ch.read();
                }
            });
            return null;
        });
    }

    /**
     * Closes every current connection abruptly, both legs, with a TCP reset (no FIN, no WebSocket
     * close frame). New connections are accepted as before; a frozen proxy stays frozen.
     */
    public void cutAll() {
        List<ChannelFuture> closing = onLoop(() -> {
            List<ChannelFuture> futures = new ArrayList<>();
            for (Channel ch : List.copyOf(channels.keySet())) {
                if (ch.isOpen()) {
                    ch.config().setOption(ChannelOption.SO_LINGER, 0);
                }
                futures.add(ch.close());
            }
            channels.clear();
            return futures;
        });
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The number of open connections (each counted once, not per leg). */
    public int connections() {
        return onLoop(() -> (int) channels.values().stream().filter(relay -> relay.inbound).count());
    }

    /** Cuts every connection, stops listening and releases the proxy's thread. Idempotent. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        cutAll();
        listener.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private <T> T onLoop(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = loop.submit(task);
        if (!f.awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("proxy loop did not answer within " + WAIT_SECONDS + " s");
        }
        if (!f.isSuccess()) {
            throw new IllegalStateException("proxy operation failed", f.cause());
        }
        return f.getNow();
    }

    /**
     * One leg of a connection: forwards what it reads to its peer. The inbound leg (from the
     * client) opens the outbound leg (to the target) when it becomes active; neither reads until
     * both exist and the proxy is not frozen.
     */
    private final class Relay extends ChannelInboundHandlerAdapter {
        private final boolean inbound;
        private Channel peer;

        Relay() {
            this(true, null);
        }

        Relay(boolean inbound, Channel peer) {
            this.inbound = inbound;
            this.peer = peer;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel self = ctx.channel();
            channels.put(self, this);
            if (!inbound) {
                return;
            }
            ChannelFuture connect = new Bootstrap()
                    .group(loop)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Relay(false, self))
                    .connect(targetHost, targetPort);
            connect.addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess() || !self.isActive()) {
                    f.channel().close();
                    self.close();
                    return;
                }
                peer = f.channel();
                if (!frozen) {
                    self.config().setAutoRead(true);
                    peer.config().setAutoRead(true);
                    self.read();
                    peer.read();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (peer != null && peer.isActive()) {
                peer.writeAndFlush(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            channels.remove(ctx.channel());
            if (peer != null && peer.isActive()) {
                // pass the close on once what was already forwarded has been written
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
