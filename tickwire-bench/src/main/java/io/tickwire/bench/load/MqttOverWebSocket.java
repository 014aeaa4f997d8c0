package io.tickwire.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MQTT 3.1.1 client connections over WebSocket, as {@link MqttAdapter} puts them in a pipeline:
 * {@code [WebSocket client] → FrameBytes → MqttDecoder → MqttEncoder → Session → [generator's handler]}.
 *
 * <p>MQTT over WebSocket is a byte stream cut into binary frames anywhere: a frame may hold several
 * packets or part of one. {@link FrameBytes} passes the frames' bytes on as they come and
 * {@link MqttDecoder} cumulates them, so packets come out whole and in order whatever the cut;
 * outbound, each encoded packet goes out in one binary frame. {@link Session} speaks the protocol:
 * the generator's handler writes SUBSCRIBE and PUBLISH messages and reads PUBLISH messages.
 *
 * <p>Every handler here is confined to its channel's event loop.
 */
final class MqttOverWebSocket {

    /** The user event {@link Session} fires when every SUBSCRIBE written so far is acknowledged. */
    enum Event { SUBSCRIBED }

    private static final AtomicLong CLIENTS = new AtomicLong();

    private MqttOverWebSocket() {
    }

    static void addTo(ChannelPipeline pipeline) {
        pipeline.addLast(new FrameBytes(), new MqttDecoder(), MqttEncoder.INSTANCE, new Session());
    }

    /** A client id unique among this process's connections and the other generator processes'. */
    static String newClientId() {
        return "twbench" + ProcessHandle.current().pid() + "n" + CLIENTS.incrementAndGet();
    }

    /** Binary (and continuation) frames to their bytes inbound; bytes to a binary frame outbound. Other frames pass. */
    static final class FrameBytes extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
                ctx.fireChannelRead(((WebSocketFrame) msg).content()); // the frame's reference moves on with its bytes
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg instanceof ByteBuf bytes ? new BinaryWebSocketFrame(bytes) : msg, promise);
        }
    }

    /**
     * The MQTT session of one connection. When the WebSocket handshake completes it sends CONNECT
     * (clean session, no keep-alive: nothing but the bench's traffic) and holds the handshake event
     * back until CONNACK accepts it: handlers after it see the connection ready only once the MQTT
     * session exists, so everything they write follows CONNECT. It counts SUBSCRIBEs going out and
     * fires {@link Event#SUBSCRIBED} when the last SUBACK comes in; it passes PUBLISH messages up and
     * drops the rest. A refusal (CONNACK, SUBACK failure) or an undecodable packet is an exception,
     * and closes the connection.
     */
    static final class Session extends ChannelDuplexHandler {
        private int awaitingSubAcks;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(newClientId())
                        .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(0).build());
                return; // fired on at CONNACK
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof MqttSubscribeMessage) {
                awaitingSubAcks++;
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof MqttMessage m)) {
                ctx.fireChannelRead(msg); // close frames and the like, for the generator's handler
                return;
            }
            if (m.decoderResult().isFailure()) {
                ReferenceCountUtil.release(m);
                fail(ctx, "undecodable MQTT packet: " + m.decoderResult().cause());
                return;
            }
            switch (m.fixedHeader().messageType()) {
                case PUBLISH -> ctx.fireChannelRead(m);
                case CONNACK -> {
                    MqttConnectReturnCode code = ((MqttConnAckMessage) m).variableHeader().connectReturnCode();
                    if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        ctx.fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
                    } else {
                        fail(ctx, "MQTT CONNECT refused: " + code);
                    }
                }
                case SUBACK -> {
                    if (((MqttSubAckMessage) m).payload().grantedQoSLevels().contains(MqttQoS.FAILURE.value())) {
                        fail(ctx, "MQTT SUBSCRIBE refused");
                    } else if (--awaitingSubAcks == 0) {
                        ctx.fireUserEventTriggered(Event.SUBSCRIBED);
                    }
                }
                default -> ReferenceCountUtil.release(m);
            }
        }

        private static void fail(ChannelHandlerContext ctx, String why) {
            ctx.fireExceptionCaught(new IllegalStateException(why));
            ctx.close();
        }
    }
}
