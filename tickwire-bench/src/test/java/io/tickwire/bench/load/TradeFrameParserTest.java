package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's trade reader: symbol, ts and tradeId out of any server's trade frame, nothing out of other frames. */
class TradeFrameParserTest {

    private final TradeFrameParser parser = new TradeFrameParser(List.of("BTCUSDT", "ETHUSDT"));

    @Test
    void readsTheNativeTradeFrame() {
        int symbol = parser.parse(bytes("{\"type\":\"trade\",\"symbol\":\"ETHUSDT\",\"seq\":77,\"ts\":1763897000123456,"
                + "\"sent\":1763897000123470,\"price\":67013.00,\"size\":0.015000,\"side\":\"buy\",\"tradeId\":4321}"));
        assertThat(symbol).isEqualTo(1);
        assertThat(parser.ts()).isEqualTo(1763897000123456L);
        assertThat(parser.tradeId()).isEqualTo(4321);
    }

    @Test
    void findsTradeIdWhereverItStandsAfterTs() {
        int symbol = parser.parse(bytes("{\"type\":\"trade\",\"symbol\":\"BTCUSDT\",\"ts\":17,\"tradeId\":9,\"side\":\"sell\"}"));
        assertThat(symbol).isZero();
        assertThat(parser.ts()).isEqualTo(17);
        assertThat(parser.tradeId()).isEqualTo(9);
    }

    @Test
    void readsNothingOutOfOtherFramesOrUnknownSymbols() {
        assertThat(parser.parse(bytes("{\"type\":\"heartbeat\",\"ts\":1}"))).isEqualTo(TradeFrameParser.NOT_A_TRADE);
        assertThat(parser.parse(bytes("{\"type\":\"trade\",\"symbol\":\"SOLUSDT\",\"ts\":1,\"tradeId\":1}")))
                .isEqualTo(TradeFrameParser.NOT_A_TRADE);
        assertThat(parser.parse(bytes("{\"type\":\"trade\",\"symbol\":\"BTCUSDT\",\"ts\":1}")))
                .as("no tradeId").isEqualTo(TradeFrameParser.NOT_A_TRADE);
    }

    @Test
    void readsAFrameInTheMiddleOfABufferWithoutMovingItsIndices() {
        String frame = "{\"type\":\"trade\",\"symbol\":\"BTCUSDT\",\"ts\":5,\"tradeId\":6}";
        ByteBuf buf = bytes("xxxx" + frame + "{\"tradeId\":99}");
        assertThat(parser.parse(buf, 4, frame.length())).isZero();
        assertThat(parser.tradeId()).as("not the next frame's").isEqualTo(6);
        assertThat(buf.readerIndex()).isZero();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }
}
