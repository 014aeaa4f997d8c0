package io.tickwire.bench.load;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Tickwire's native protocol: subscribers authenticate in the handshake and subscribe to the
 * {@code trade} channel; the publisher sends {@code {"op":"trade",…}} to {@code /v1/publish}
 * with its intended send time as {@code ts} and its own per-symbol counter as {@code tradeId}
 * (the server keeps both). {@code name} is how results call the server: {@code tickwire}, or a
 * labelled {@code tickwire.before} when two builds run side by side. The publisher may go to
 * another server than the subscribers: a cluster's ingest node, the subscribers being on a gateway.
 */
public record TickwireAdapter(String name, String host, int port, String token, String publisherToken,
                              String publishHost, int publishPort) implements Adapter {

    /** A server named {@code tickwire} in the results. */
    public TickwireAdapter(String host, int port, String token, String publisherToken) {
        this("tickwire", host, port, token, publisherToken, host, port);
    }

    @Override
    public URI subscribeUri(List<String> symbols) {
        return URI.create("ws://" + host + ":" + port + "/v1/ws");
    }

    @Override
    public Map<String, String> subscribeHeaders() {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Override
    public List<String> subscribeFrames(List<String> symbols) {
        return List.of("{\"op\":\"subscribe\",\"id\":\"b\",\"symbols\":\"" + String.join(",", symbols)
                + "\",\"channels\":\"trade\"}");
    }

    @Override
    public String subscribedMarker() {
        return "\"type\":\"subscribed\"";
    }

    @Override
    public URI publishUri(String symbol) {
        return URI.create("ws://" + publishHost + ":" + publishPort + "/v1/publish");
    }

    @Override
    public Map<String, String> publishHeaders() {
        return Map.of("Authorization", "Bearer " + publisherToken);
    }

    @Override
    public String publishFrame(String symbol, long n, long tsMicros) {
        return "{\"op\":\"trade\",\"symbol\":\"" + symbol + "\",\"price\":\"100.5\",\"size\":\"1\",\"side\":\"buy\",\"ts\":"
                + tsMicros + ",\"tradeId\":" + n + "}";
    }
}
