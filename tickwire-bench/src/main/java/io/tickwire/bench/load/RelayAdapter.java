package io.tickwire.bench.load;

import java.net.URI;
import java.util.List;

/**
 * Peers that relay the publisher's frames verbatim: the publisher sends the very bytes a Tickwire
 * subscriber would receive ({@code {"type":"trade",…}}), so every server's subscribers parse and
 * check the same messages.
 *
 * <ul>
 * <li>{@code node-ws} ({@code bench/peers/node-ws}): subscribers connect to {@code /sub?symbols=A,B},
 *     the publisher to {@code /pub}; the server routes by the frame's symbol.</li>
 * <li>{@code nchan} ({@code bench/peers/nchan}): one channel per symbol; subscribers connect to
 *     {@code /sub/A,B} (nchan multiplexes up to 255 channels on one socket), the publisher to
 *     {@code /pub/A} per symbol.</li>
 * </ul>
 */
public record RelayAdapter(String name, String host, int port) implements Adapter {

    /** A Node.js {@code ws} broadcast server. */
    public static RelayAdapter nodeWs(String host, int port) {
        return new RelayAdapter("node-ws", host, port);
    }

    /** nginx with nchan. */
    public static RelayAdapter nchan(String host, int port) {
        return new RelayAdapter("nchan", host, port);
    }

    @Override
    public URI subscribeUri(List<String> symbols) {
        String list = String.join(",", symbols);
        return URI.create("ws://" + host + ":" + port + (isNchan() ? "/sub/" + list : "/sub?symbols=" + list));
    }

    @Override
    public URI publishUri(String symbol) {
        return URI.create("ws://" + host + ":" + port + (isNchan() ? "/pub/" + symbol : "/pub"));
    }

    @Override
    public String publishFrame(String symbol, long n, long tsMicros) {
        return tradeJson(symbol, n, tsMicros);
    }

    /** A trade as Tickwire's subscribers receive it: what the relay peers (and Mosquitto's publisher) send. */
    static String tradeJson(String symbol, long n, long tsMicros) {
        return "{\"type\":\"trade\",\"symbol\":\"" + symbol + "\",\"seq\":" + n + ",\"ts\":" + tsMicros
                + ",\"price\":100.5,\"size\":1,\"side\":\"buy\",\"tradeId\":" + n + "}";
    }

    private boolean isNchan() {
        return name.equals("nchan");
    }
}
