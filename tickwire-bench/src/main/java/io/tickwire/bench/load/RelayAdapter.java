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
 * <li>{@code nchan} ({@code bench/peers/nchan}): one channel per symbol and run; subscribers
 *     connect to {@code /sub/A-r1,B-r1} (nchan multiplexes up to 255 channels on one socket), the
 *     publisher to {@code /pub/A-r1} per symbol. Each run gets fresh channels: a multiplexed
 *     subscriber joining a channel that still holds the previous run's messages was handed some
 *     of those and missed as many of the new ones (seen at every second throughput step).</li>
 * </ul>
 *
 * @param channelSuffix what nchan channel names carry after the symbol: the run
 */
public record RelayAdapter(String name, String host, int port, String channelSuffix) implements Adapter {

    /** A Node.js {@code ws} broadcast server. */
    public static RelayAdapter nodeWs(String host, int port) {
        return new RelayAdapter("node-ws", host, port, "");
    }

    /** nginx with nchan. */
    public static RelayAdapter nchan(String host, int port) {
        return new RelayAdapter("nchan", host, port, "");
    }

    @Override
    public Adapter forRun(int run) {
        return isNchan() ? new RelayAdapter(name, host, port, "-r" + run) : this;
    }

    @Override
    public URI subscribeUri(List<String> symbols) {
        if (!isNchan()) {
            return URI.create("ws://" + host + ":" + port + "/sub?symbols=" + String.join(",", symbols));
        }
        String channels = String.join(",", symbols.stream().map(s -> s + channelSuffix).toList());
        return URI.create("ws://" + host + ":" + port + "/sub/" + channels);
    }

    @Override
    public URI publishUri(String symbol) {
        return URI.create("ws://" + host + ":" + port + (isNchan() ? "/pub/" + symbol + channelSuffix : "/pub"));
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
