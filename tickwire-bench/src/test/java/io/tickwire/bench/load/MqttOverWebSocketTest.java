package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MQTT-over-WebSocket piece of the generator's pipeline, with Netty's real MQTT codec on an
 * embedded channel: packets come out whole whatever the frame cut, and the session's CONNECT,
 * CONNACK and SUBACK handling.
 */
class MqttOverWebSocketTest {

    private final List<Object> events = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final MqttAdapter adapter = new MqttAdapter("127.0.0.1", 8092);

    MqttOverWebSocketTest() {
        adapter.addCodec(channel.pipeline());
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aFrameHoldingTwoPublishPacketsGivesBothPayloadsInOrder() {
        ByteBuf two = Unpooled.wrappedBuffer(encode(publish("AAPL", 1)), encode(publish("MSFT", 7)));

        channel.writeInbound(new BinaryWebSocketFrame(two));

        assertPublish(channel.readInbound(), "AAPL", 1);
        assertPublish(channel.readInbound(), "MSFT", 7);
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void aPacketSplitAcrossTwoFramesComesOutOnceWhole() {
        ByteBuf packet = encode(publish("BTCUSDT", 42));
        int cut = packet.readableBytes() / 2;
        ByteBuf head = packet.readRetainedSlice(cut);

        channel.writeInbound(new BinaryWebSocketFrame(head));
        assertThat(channel.<Object>readInbound()).as("half a packet is no message").isNull();
        channel.writeInbound(new ContinuationWebSocketFrame(packet));

        assertPublish(channel.readInbound(), "BTCUSDT", 42);
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void aPacketAndAHalfThenTheRestGivesEachPacketOnce() {
        ByteBuf first = encode(publish("ETHUSDT", 1));
        ByteBuf second = encode(publish("ETHUSDT", 2));
        ByteBuf secondHead = second.readRetainedSlice(5);

        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(first, secondHead)));
        assertPublish(channel.readInbound(), "ETHUSDT", 1);
        assertThat(channel.<Object>readInbound()).isNull();
        channel.writeInbound(new BinaryWebSocketFrame(second));

        assertPublish(channel.readInbound(), "ETHUSDT", 2);
    }

    @Test
    void connectGoesOutFirstAndTheConnectionIsReadyOnlyAtConnack() {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);

        MqttMessage connect = decodeOutbound();
        assertThat(connect).isInstanceOf(MqttConnectMessage.class);
        MqttConnectMessage c = (MqttConnectMessage) connect;
        assertThat(c.variableHeader().isCleanSession()).isTrue();
        assertThat(c.variableHeader().version()).isEqualTo(4); // MQTT 3.1.1
        assertThat(c.payload().clientIdentifier()).startsWith("twbench");
        assertThat(events).as("not ready before CONNACK").isEmpty();

        channel.writeInbound(new BinaryWebSocketFrame(encode(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).sessionPresent(false).build())));

        assertThat(events).containsExactly(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
    }

    @Test
    void subscribedOnlyWhenTheSubscribeIsAcknowledged() {
        channel.writeOutbound(adapter.subscribeMessages(List.of("AAPL", "MSFT")).getFirst());
        MqttMessage subscribe = decodeOutbound();
        assertThat(subscribe).isInstanceOf(MqttSubscribeMessage.class);
        assertThat(((MqttSubscribeMessage) subscribe).payload().topicSubscriptions())
                .extracting(t -> t.topicFilter() + "@" + t.qualityOfService())
                .containsExactly("AAPL@AT_MOST_ONCE", "MSFT@AT_MOST_ONCE");
        assertThat(events).isEmpty();

        channel.writeInbound(new BinaryWebSocketFrame(encode(MqttMessageBuilders.subAck().packetId(1)
                .addGrantedQos(MqttQoS.AT_MOST_ONCE).addGrantedQos(MqttQoS.AT_MOST_ONCE).build())));

        assertThat(events).containsExactly(MqttOverWebSocket.Event.SUBSCRIBED);
    }

    @Test
    void aRefusedSubscriptionClosesTheConnection() {
        channel.writeOutbound(adapter.subscribeMessages(List.of("AAPL")).getFirst());
        decodeOutbound();

        channel.writeInbound(new BinaryWebSocketFrame(encode(MqttMessageBuilders.subAck().packetId(1)
                .addGrantedQos(MqttQoS.FAILURE).build())));

        assertThat(events).isEmpty();
        assertThat(errors).singleElement().extracting(Throwable::getMessage).isEqualTo("MQTT SUBSCRIBE refused");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void publishGoesOutAsOnePacketInABinaryFrameAndCloseFramesPassUp() {
        channel.writeOutbound(publish("AAPL", 3));
        assertPublish(decodeOutbound(), "AAPL", 3);

        channel.writeInbound(new CloseWebSocketFrame(1001, "bye"));
        CloseWebSocketFrame close = channel.readInbound();
        assertThat(close.statusCode()).isEqualTo(1001);
        close.release();
    }

    /** Trade {@code n} of {@code symbol} as the publisher writes it (published at 1,000 + n µs). */
    private static MqttPublishMessage publish(String symbol, long n) {
        return (MqttPublishMessage) new MqttAdapter("h", 1).publishMessage(symbol, RelayAdapter.tradeJson(symbol, n, 1_000 + n));
    }

    /** One message in MQTT's wire form, through Netty's encoder. */
    private static ByteBuf encode(MqttMessage message) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf bytes = encoder.readOutbound();
        assertThat(encoder.<Object>readOutbound()).as("one buffer per packet").isNull();
        encoder.finishAndReleaseAll();
        return bytes;
    }

    /** The next binary frame the piece wrote, decoded by Netty's decoder: exactly one packet. */
    private MqttMessage decodeOutbound() {
        BinaryWebSocketFrame frame = channel.readOutbound();
        EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder());
        decoder.writeInbound(frame.content());
        MqttMessage message = decoder.readInbound();
        assertThat(decoder.<Object>readInbound()).isNull();
        decoder.finishAndReleaseAll();
        return message;
    }

    private static void assertPublish(Object message, String symbol, long n) {
        assertThat(message).isInstanceOf(MqttPublishMessage.class);
        MqttPublishMessage publish = (MqttPublishMessage) message;
        try {
            assertThat(publish.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBLISH);
            assertThat(publish.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_MOST_ONCE);
            assertThat(publish.variableHeader().topicName()).isEqualTo(symbol);
            assertThat(publish.payload().toString(StandardCharsets.UTF_8))
                    .isEqualTo(RelayAdapter.tradeJson(symbol, n, 1_000 + n));
            TradeFrameParser parser = new TradeFrameParser(List.of(symbol));
            assertThat(parser.parse(publish.payload())).as("the payload reads as a trade").isZero();
            assertThat(parser.tradeId()).isEqualTo(n);
        } finally {
            publish.release();
        }
    }
}
