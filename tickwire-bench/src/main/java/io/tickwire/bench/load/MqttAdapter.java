package io.tickwire.bench.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Mosquitto ({@code bench/peers/mosquitto}): MQTT 3.1.1 over WebSocket (subprotocol {@code mqtt},
 * binary frames, see {@link MqttOverWebSocket}), one topic per symbol, QoS 0. A subscriber sends
 * CONNECT, then one SUBSCRIBE with a QoS 0 topic filter per symbol it takes, and counts as subscribed
 * at its SUBACK. The publisher is one connection that sends each trade as a QoS 0 PUBLISH to topic =
 * symbol, whose payload is the JSON the relay peers carry ({@link RelayAdapter#tradeJson}): the very
 * bytes a Tickwire subscriber receives, so subscribers parse and check the same messages.
 */
public record MqttAdapter(String host, int port) implements Adapter {

    @Override
    public String name() {
        return "mosquitto";
    }

    @Override
    public URI subscribeUri(List<String> symbols) {
        return uri();
    }

    @Override
    public URI publishUri(String symbol) {
        return uri(); // one publish connection for every symbol
    }

    /** The PUBLISH payload: a trade as Tickwire sends it. */
    @Override
    public String publishFrame(String symbol, long n, long tsMicros) {
        return RelayAdapter.tradeJson(symbol, n, tsMicros);
    }

    @Override
    public boolean textFrames() {
        return false; // MQTT packets in binary frames, decoded by the codec
    }

    @Override
    public String subprotocol() {
        return "mqtt";
    }

    @Override
    public void addCodec(ChannelPipeline pipeline) {
        MqttOverWebSocket.addTo(pipeline);
    }

    @Override
    public List<Object> subscribeMessages(List<String> symbols) {
        var subscribe = MqttMessageBuilders.subscribe().messageId(1);
        for (String symbol : symbols) {
            subscribe.addSubscription(MqttQoS.AT_MOST_ONCE, symbol);
        }
        return List.of(subscribe.build());
    }

    @Override
    public Object subscribedEvent() {
        return MqttOverWebSocket.Event.SUBSCRIBED;
    }

    @Override
    public Object publishMessage(String symbol, String frame) {
        return MqttMessageBuilders.publish().topicName(symbol).qos(MqttQoS.AT_MOST_ONCE).retained(false)
                .payload(Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8))).build();
    }

    private URI uri() {
        return URI.create("ws://" + host + ":" + port + "/mqtt");
    }
}
