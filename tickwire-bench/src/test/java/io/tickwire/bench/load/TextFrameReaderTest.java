package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The in-place read path of text-frame subscribers, on an embedded channel with Netty's real
 * WebSocket client encoder: every trade reaches the check in order whatever the read cut, pings are
 * answered, the close code is kept, and frames no bench server sends fail loudly.
 */
class TextFrameReaderTest {

    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");
    private final SubscriberHandler subscriber = new SubscriberHandler(RelayAdapter.nodeWs("127.0.0.1", 1), List.of("AAPL"),
            new int[] {0}, ThreadLocal.withInitial(() -> new TradeFrameParser(SYMBOLS)), new Measurement(), SYMBOLS.size(), false);
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(true),
            new WebSocket13FrameDecoder(false, true, 1 << 20), subscriber);

    TextFrameReaderTest() {
        TextFrameReader.install(channel.pipeline(), subscriber);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void tradesCutAnywhereAcrossReadsArriveWholeAndInOrder() {
        long now = BenchClock.micros(); // stamped during this run: trades of an earlier run are checked apart
        ByteBuf all = Unpooled.buffer();
        for (int n = 1; n <= 50; n++) {
            all.writeBytes(frame(0x1, RelayAdapter.tradeJson("AAPL", n, now + n)));
        }
        all.writeBytes(frame(0x1, "x".repeat(300))); // a 126-length header, not a trade
        all.writeBytes(frame(0x1, RelayAdapter.tradeJson("AAPL", 51, now + 1_000)));
        int cut = 1;
        while (all.isReadable()) { // reads of 1, 2, 3, … bytes: every header and payload gets split somewhere
            channel.writeInbound(all.readRetainedSlice(Math.min(cut++, all.readableBytes())));
        }
        all.release();
        assertThat(subscriber.check.received()).isEqualTo(51);
        assertThat(subscriber.check.outOfOrder()).isZero();
        assertThat(subscriber.check.lost(new long[] {51, 0}, new int[] {0})).isZero();
    }

    @Test
    void aTradeStampedBeforeTheRunBeganIsCountedApartAndLeavesTheOrderCheckAlone() {
        long now = BenchClock.micros();
        channel.writeInbound(frame(0x1, RelayAdapter.tradeJson("AAPL", 246, now - 5_000_000))); // the last run's
        channel.writeInbound(frame(0x1, RelayAdapter.tradeJson("AAPL", 1, now + 1)));
        channel.writeInbound(frame(0x1, RelayAdapter.tradeJson("AAPL", 2, now + 2)));

        assertThat(subscriber.check.fromEarlierRun()).isEqualTo(1);
        assertThat(subscriber.check.received()).isEqualTo(2);
        assertThat(subscriber.check.outOfOrder()).isZero();
        assertThat(subscriber.check.lost(new long[] {2, 0}, new int[] {0})).isZero();
    }

    @Test
    void aPingIsAnsweredWithAMaskedPongAndTheCloseCodeIsKept() {
        channel.writeInbound(frame(0x9, "hb"));
        ByteBuf pong = channel.readOutbound();
        assertThat((int) pong.getUnsignedByte(0)).isEqualTo(0x8A); // FIN + pong
        assertThat(pong.getUnsignedByte(1) & 0x80).isEqualTo(0x80); // masked, as a client must
        pong.release();

        ByteBuf close = Unpooled.buffer().writeByte(0x88).writeByte(2).writeShort(4004);
        channel.writeInbound(close);
        assertThat(subscriber.closeCode).isEqualTo(4004);
    }

    @Test
    void framesNoBenchServerSendsFailTheConnection() {
        ByteBuf fragment = Unpooled.buffer().writeByte(0x01).writeByte(1).writeByte('x'); // text without FIN
        channel.writeInbound(fragment);
        assertThat(channel.isOpen()).isFalse();
        assertThat(subscriber.subscribed).isCompletedExceptionally();
        assertThatThrownBy(subscriber.subscribed::join).hasMessageContaining("fragmented");
    }

    private static ByteBuf frame(int opcode, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer().writeByte(0x80 | opcode);
        if (bytes.length < 126) {
            b.writeByte(bytes.length);
        } else {
            b.writeByte(126).writeShort(bytes.length);
        }
        return b.writeBytes(bytes);
    }
}
