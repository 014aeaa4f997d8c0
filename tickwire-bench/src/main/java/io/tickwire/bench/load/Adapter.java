package io.tickwire.bench.load;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * How the generator talks to one kind of server: where subscribers connect and what they send to
 * subscribe, where the publisher connects and how an event is written. Every adapter makes the
 * server deliver text frames that contain {@code "symbol":"…"}, {@code "ts":…} and
 * {@code "tradeId":…} in that order, so one {@link TradeFrameParser} reads all of them.
 * Implementations are immutable.
 */
public interface Adapter {

    /** A short name for tables and JSON: {@code tickwire}, {@code node-ws}, … */
    String name();

    /** The WebSocket URI a subscriber of {@code symbols} connects to. */
    URI subscribeUri(List<String> symbols);

    /** Handshake headers of a subscriber (credentials). */
    Map<String, String> subscribeHeaders();

    /** Frames a subscriber sends once the handshake completes. */
    List<String> subscribeFrames(List<String> symbols);

    /** The WebSocket URI events of {@code symbol} are published to. */
    URI publishUri(String symbol);

    /** Handshake headers of the publisher. */
    Map<String, String> publishHeaders();

    /** The publish frame of trade number {@code n} of {@code symbol}, published at {@code tsMicros}. */
    String publishFrame(String symbol, long n, long tsMicros);

    /** Whether a subscriber must see a server message before it counts as subscribed (Tickwire's {@code subscribed}). */
    default String subscribedMarker() {
        return null;
    }
}
