package io.tickwire.server.dialect.enterprise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.model.Bar;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import io.tickwire.server.fanout.WebSocketFrames;
import io.tickwire.server.fanout.WireFormat;
import java.nio.charset.StandardCharsets;

/**
 * Market data in the enterprise compact format (seed 003): quotes {@code c lt v lp a b as bs},
 * series {@code c be lu bt s[t o h l c v]} and ticks {@code c t p v}. {@code c} is the catalogue
 * symbol; times are seconds carrying microseconds, except {@code lu} in milliseconds as the seed
 * shows. Book streams have no compact message and are not encoded.
 */
public final class EnterpriseWireFormat implements WireFormat {

    @Override
    public String name() {
        return "enterprise";
    }

    @Override
    public Encoder newEncoder() {
        StringBuilder out = new StringBuilder(256);
        return new Encoder() {
            @Override
            public ByteBuf encode(Instrument instrument, StreamMessage message, long prevSeq, long sent, boolean snapshot,
                                  String requestId, ByteBufAllocator alloc) {
                out.setLength(0);
                if (!write(out, instrument, message)) {
                    return null;
                }
                byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
                return WebSocketFrames.text(alloc, bytes, bytes.length);
            }
        };
    }

    private static boolean write(StringBuilder out, Instrument instrument, StreamMessage message) {
        int ps = instrument.priceScale();
        int ss = instrument.sizeScale();
        String c = instrument.symbol();
        switch (message) {
            case Quote q -> {
                out.append("{\"c\":\"").append(c).append("\",\"lt\":");
                CompactNumbers.seconds(out, q.eventTime()).append(",\"v\":");
                CompactNumbers.decimal(out, q.volume(), ss).append(",\"lp\":");
                CompactNumbers.decimal(out, q.lastPrice(), ps).append(",\"a\":");
                CompactNumbers.decimal(out, q.askPrice(), ps).append(",\"b\":");
                CompactNumbers.decimal(out, q.bidPrice(), ps).append(",\"as\":");
                CompactNumbers.decimal(out, q.askSize(), ss).append(",\"bs\":");
                CompactNumbers.decimal(out, q.bidSize(), ss).append('}');
            }
            case Bar b -> {
                out.append("{\"c\":\"").append(c).append("\",\"be\":");
                // the bar's last second, as the seed's 1733432340 bar ends at 1733432399.0
                CompactNumbers.seconds(out, b.closeTime() - 1_000_000).append(",\"lu\":").append(b.updateTime() / 1_000)
                        .append(",\"bt\":\"").append(b.periodicity().wireName()).append("\",\"s\":[{\"t\":");
                CompactNumbers.seconds(out, b.openTime()).append(",\"o\":");
                CompactNumbers.decimal(out, b.open(), ps).append(",\"h\":");
                CompactNumbers.decimal(out, b.high(), ps).append(",\"l\":");
                CompactNumbers.decimal(out, b.low(), ps).append(",\"c\":");
                CompactNumbers.decimal(out, b.close(), ps).append(",\"v\":");
                CompactNumbers.decimal(out, b.volume(), ss).append("}]}");
            }
            case Trade t -> {
                out.append("{\"c\":\"").append(c).append("\",\"t\":");
                CompactNumbers.seconds(out, t.eventTime()).append(",\"p\":");
                CompactNumbers.decimal(out, t.price(), ps).append(",\"v\":");
                CompactNumbers.decimal(out, t.size(), ss).append('}');
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
