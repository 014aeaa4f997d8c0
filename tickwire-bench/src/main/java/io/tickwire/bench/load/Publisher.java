package io.tickwire.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop publisher: trade {@code i} of the run is due at {@code start + i / rate} and is
 * stamped with that intended time, whether or not the publisher, the network or the server kept
 * up; symbols take turns. Each symbol's trades are numbered 1, 2, 3, … so subscribers can check
 * loss and order.
 *
 * <p>One thread paces and makes the messages (through the adapter); the writes of each pacing step
 * go to each publish connection's event loop as one task with one flush, so each connection writes
 * its trades in publishing order. {@link #published()} is exact once {@link #run} has returned.
 */
final class Publisher {

    private final Adapter adapter;
    private final List<String> symbols;
    private final Connector connector;
    private final String localAddress;
    private final Channel[] channelOfSymbol;
    private final long[] published;
    private final AtomicLong serverErrors = new AtomicLong();

    Publisher(Adapter adapter, List<String> symbols, Connector connector, String localAddress) {
        this.adapter = adapter;
        this.symbols = symbols;
        this.connector = connector;
        this.localAddress = localAddress;
        this.channelOfSymbol = new Channel[symbols.size()];
        this.published = new long[symbols.size()];
    }

    /** Opens the publish connections (one per distinct publish URI) and waits for their handshakes. */
    void connect() throws Exception {
        Map<URI, Channel> byUri = new LinkedHashMap<>();
        for (int s = 0; s < symbols.size(); s++) {
            URI uri = adapter.publishUri(symbols.get(s));
            Channel ch = byUri.get(uri);
            if (ch == null) {
                Handshake handshake = new Handshake();
                ch = connector.connect(adapter, uri, adapter.publishHeaders(), localAddress, handshake).sync().channel();
                handshake.done.get(30, TimeUnit.SECONDS);
                byUri.put(uri, ch);
            }
            channelOfSymbol[s] = ch;
        }
    }

    /**
     * Publishes at {@code ratePerSecond} from {@code startMicros} until {@code endMicros} (intended
     * times), then returns.
     */
    void run(double ratePerSecond, long startMicros, long endMicros) {
        double intervalMicros = 1_000_000.0 / ratePerSecond;
        long i = 0;
        Map<Channel, List<Object>> batch = new LinkedHashMap<>();
        while (true) {
            long now = BenchClock.micros();
            long due = (long) (startMicros + i * intervalMicros);
            if (due >= endMicros) {
                break;
            }
            if (due > now) {
                LockSupport.parkNanos(Math.min(due - now, 200) * 1_000);
                continue;
            }
            while (due <= now && due < endMicros) {
                int s = (int) (i % symbols.size());
                long n = ++published[s];
                String symbol = symbols.get(s);
                batch.computeIfAbsent(channelOfSymbol[s], c -> new ArrayList<>())
                        .add(adapter.publishMessage(symbol, adapter.publishFrame(symbol, n, due)));
                i++;
                due = (long) (startMicros + i * intervalMicros);
            }
            for (Map.Entry<Channel, List<Object>> e : batch.entrySet()) {
                Channel ch = e.getKey();
                List<Object> messages = e.getValue();
                ch.eventLoop().execute(() -> {
                    for (Object message : messages) {
                        ch.write(message, ch.voidPromise());
                    }
                    ch.flush();
                });
            }
            batch.clear();
        }
    }

    /** Trades published per symbol. */
    long[] published() {
        return published.clone();
    }

    /** Error messages the server sent back to the publisher. */
    long serverErrors() {
        return serverErrors.get();
    }

    void close() {
        for (Channel ch : channelOfSymbol) {
            if (ch != null) {
                ch.close();
            }
        }
    }

    /** Waits for the handshake and counts whatever the server says back (only errors are expected). */
    private final class Handshake extends SimpleChannelInboundHandler<WebSocketFrame> {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                done.complete(null);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text && text.text().contains("\"error\"")) {
                serverErrors.incrementAndGet();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            done.completeExceptionally(new IllegalStateException("publish connection closed: " + ctx.channel()));
            super.channelInactive(ctx);
        }
    }
}
