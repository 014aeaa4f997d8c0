package io.tickwire.bench.load;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * How the generator talks to one kind of server: where subscribers connect and what they send to
 * subscribe, where the publisher connects and how an event is written. Every adapter makes the
 * server deliver messages that contain {@code "symbol":"…"}, {@code "ts":…} and
 * {@code "tradeId":…} in that order, so one {@link TradeFrameParser} reads all of them: text frames
 * for most adapters; for a server that speaks a binary protocol inside WebSocket frames (MQTT), the
 * adapter's {@linkplain #addCodec codec} passes the protocol's data messages up instead. Implementations are
 * immutable.
 */
public interface Adapter {

    /** A short name for tables and JSON: {@code tickwire}, {@code node-ws}, … */
    String name();

    /**
     * The adapter for run number {@code run} of this process (each throughput step is a run).
     * The same adapter by default; one whose server keeps messages per channel between runs may
     * move each run to fresh channels.
     */
    default Adapter forRun(int run) {
        return this;
    }

    /** The WebSocket URI a subscriber of {@code symbols} connects to. */
    URI subscribeUri(List<String> symbols);

    /** Handshake headers of a subscriber (credentials); none by default. */
    default Map<String, String> subscribeHeaders() {
        return Map.of();
    }

    /** Frames a subscriber sends once the handshake completes; none by default (the URI says what it wants). */
    default List<String> subscribeFrames(List<String> symbols) {
        return List.of();
    }

    /** The WebSocket URI events of {@code symbol} are published to. */
    URI publishUri(String symbol);

    /** Handshake headers of the publisher; none by default. */
    default Map<String, String> publishHeaders() {
        return Map.of();
    }

    /** The publish frame of trade number {@code n} of {@code symbol}, published at {@code tsMicros}. */
    String publishFrame(String symbol, long n, long tsMicros);

    /** Whether a subscriber must see a server message before it counts as subscribed (Tickwire's {@code subscribed}). */
    default String subscribedMarker() {
        return null;
    }

    // What a binary protocol over WebSocket changes; the defaults are the text-frame adapters'.

    /** The WebSocket subprotocol every connection asks for in its handshake; null: none. */
    default String subprotocol() {
        return null;
    }

    /**
     * Adds to a new connection's pipeline, after the WebSocket client handler and before the
     * generator's handler, what turns the adapter's messages into WebSocket frames and the server's
     * frames into messages. Text-frame adapters add nothing. Called once per connection.
     */
    default void addCodec(ChannelPipeline pipeline) {
    }

    /**
     * Whether the server's messages are text frames, which a subscriber then reads in place
     * ({@link TextFrameReader}); false when the adapter's codec passes messages up instead.
     */
    default boolean textFrames() {
        return true;
    }

    /** What a subscriber writes once the handshake completes: its {@link #subscribeFrames} as text frames. */
    default List<Object> subscribeMessages(List<String> symbols) {
        return subscribeFrames(symbols).stream().<Object>map(TextWebSocketFrame::new).toList();
    }

    /**
     * A user event the adapter's codec fires when the server has acknowledged a subscriber's
     * subscription, which it must see before it counts as subscribed; null: none.
     */
    default Object subscribedEvent() {
        return null;
    }

    /**
     * What the publisher writes for a {@link #publishFrame} of {@code symbol}: a text frame. Called on
     * the publisher's pacing thread; the message is written on the connection's event loop.
     */
    default Object publishMessage(String symbol, String frame) {
        return new TextWebSocketFrame(frame);
    }
}
