package io.tickwire.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One subscriber connection of the fleet: subscribes once the handshake completes, then checks
 * and times every trade it receives. A <em>stalled</em> subscriber stops reading when the measured
 * window opens ({@link #stall}), as a client that hangs would; it is the slow consumer of the
 * {@code slow-consumer} preset and is left out of the loss check.
 *
 * <p>It reads text frames, and the data messages an adapter's codec passes up in their place (an
 * MQTT PUBLISH): either way the content is the message to parse. Other WebSocket frames (ping,
 * binary frames of text adapters) are not messages.
 *
 * <p>Confined to its event loop; {@link #subscribed} completes once, from that loop.
 */
final class SubscriberHandler extends SimpleChannelInboundHandler<ByteBufHolder> {

    final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    final StreamCheck check;
    final int[] symbols;
    private final Adapter adapter;
    private final List<String> symbolNames;
    private final String marker;
    private final Object subscribedEvent;
    private final ThreadLocal<TradeFrameParser> parsers;
    private final Measurement measurement;
    private final boolean stalled;
    /** The close code the server sent; 0 if the connection ended without one being read; -1 while open. */
    volatile int closeCode = -1;
    /** The reason of the server's close frame, or null. */
    volatile String closeReason;

    SubscriberHandler(Adapter adapter, List<String> symbolNames, int[] symbols, ThreadLocal<TradeFrameParser> parsers,
                      Measurement measurement, int symbolCount, boolean stalled) {
        this.adapter = adapter;
        this.symbolNames = symbolNames;
        this.marker = adapter.subscribedMarker();
        this.subscribedEvent = adapter.subscribedEvent();
        this.symbols = symbols;
        this.parsers = parsers;
        this.measurement = measurement;
        this.check = new StreamCheck(symbolCount);
        this.stalled = stalled;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            if (adapter.textFrames()) {
                TextFrameReader.install(ctx.pipeline(), this);
            }
            for (Object message : adapter.subscribeMessages(symbolNames)) {
                ctx.write(message);
            }
            ctx.flush();
            if (marker == null && subscribedEvent == null) {
                ready(ctx);
            }
        } else if (subscribedEvent != null && evt == subscribedEvent) {
            ready(ctx);
            return; // the adapter's own event: nothing after this handler knows it
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            subscribed.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBufHolder message) {
        if (message instanceof CloseWebSocketFrame close) {
            closed(ctx, close.statusCode(), close.reasonText());
            return;
        }
        if (message instanceof WebSocketFrame && !(message instanceof TextWebSocketFrame)) {
            return;
        }
        ByteBuf content = message.content();
        text(ctx, content, content.readerIndex(), content.readableBytes());
    }

    /** A message of {@code length} bytes at {@code index} of {@code bytes} (a text payload, an MQTT payload). */
    void text(ChannelHandlerContext ctx, ByteBuf bytes, int index, int length) {
        TradeFrameParser parser = parsers.get();
        int symbol = parser.parse(bytes, index, length);
        if (symbol >= 0 && measurement.beforeRun(parser.ts())) {
            check.earlierRun();
        } else if (symbol >= 0) {
            measurement.record(parser.ts(), BenchClock.micros());
            check.accept(symbol, parser.tradeId());
        } else if (!subscribed.isDone() && marker != null
                && bytes.toString(index, length, StandardCharsets.UTF_8).contains(marker)) {
            ready(ctx);
        }
    }

    /**
     * The server's close frame arrived with {@code code}. Before the subscription is answered that
     * ends the attempt: the connection is closed at once (admission control's 1013 asks the client
     * to come back later, which {@link LoadRun} does after the hinted delay).
     */
    void closed(ChannelHandlerContext ctx, int code, String reason) {
        closeCode = code;
        closeReason = reason;
        if (!subscribed.isDone()) {
            subscribed.completeExceptionally(new IllegalStateException(
                    "closed with " + code + " before it subscribed: " + reason));
            ctx.close();
        }
    }

    private void ready(ChannelHandlerContext ctx) {
        subscribed.complete(null);
    }

    /**
     * A stalled subscriber stops reading now (the run calls this as its measured window opens, so
     * the others' latency is measured while it falls behind and is dealt with). Any thread.
     */
    void stall(Channel channel) {
        if (stalled) {
            channel.eventLoop().execute(() -> channel.config().setAutoRead(false));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (closeCode == -1) {
            closeCode = 0; // closed without a close frame we could read (a stalled reader reads nothing)
        }
        subscribed.completeExceptionally(new IllegalStateException("connection closed before it subscribed"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        subscribed.completeExceptionally(cause);
        ctx.close();
    }
}
