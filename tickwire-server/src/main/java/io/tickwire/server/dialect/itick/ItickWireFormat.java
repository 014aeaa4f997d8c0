package io.tickwire.server.dialect.itick;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.model.Bar;
import io.tickwire.model.Decimals;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Trade;
import io.tickwire.server.dialect.BookView;
import io.tickwire.server.dialect.BookViews;
import io.tickwire.server.dialect.StreamRepeats;
import io.tickwire.server.fanout.WebSocketFrames;
import io.tickwire.server.fanout.WireFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Market data as iTick sends it (seed 001): {@code {"code":1,"data":{…,"type":"tick"}}} for
 * trades, quotes and depth (every level of the subscribed depth each time), and the seed's kline
 * shape {@code {"code":0,"msg":null,"data":{"s","t","k":{…}}}} for bars. Prices and sizes are
 * exact decimals from the scaled values; times are epoch milliseconds. A quote that would repeat
 * the stream's previous one but for its time is not sent.
 */
public final class ItickWireFormat implements WireFormat {

    @Override
    public String name() {
        return "itick";
    }

    @Override
    public Encoder newEncoder() {
        return new ItickEncoder();
    }

    /** Owned by one partition thread: its builder and book views are reused. */
    private static final class ItickEncoder implements Encoder {
        private final StringBuilder out = new StringBuilder(512);
        private final BookViews books = new BookViews();
        private final StreamRepeats quotes = new StreamRepeats();

        @Override
        public ByteBuf encode(long streamKey, Instrument instrument, StreamMessage message, long prevSeq, long sentMicros,
                              boolean snapshot, String rawRequestId, ByteBufAllocator alloc) {
            out.setLength(0);
            String s = ItickSymbols.data(instrument);
            int ps = instrument.priceScale();
            int ss = instrument.sizeScale();
            switch (message) {
                case Trade t -> {
                    out.append("{\"code\":1,\"data\":{\"s\":\"").append(s).append("\",\"ld\":");
                    Decimals.appendTo(out, t.price(), ps).append(",\"v\":");
                    Decimals.appendTo(out, t.size(), ss).append(",\"t\":").append(t.eventTime() / 1_000)
                            .append(",\"type\":\"tick\"}}");
                }
                case Quote q -> {
                    // the engine quotes on every change of the book, which an iTick quote does not
                    // show (ld, v and tu change with trades only): a frame that would differ in t
                    // alone is not sent
                    if (!quotes.changed(streamKey, snapshot, q.lastPrice(), q.volume())) {
                        return null;
                    }
                    out.append("{\"code\":1,\"data\":{\"s\":\"").append(s).append("\",\"ld\":");
                    Decimals.appendTo(out, q.lastPrice(), ps).append(",\"t\":").append(q.eventTime() / 1_000).append(",\"v\":");
                    Decimals.appendTo(out, q.volume(), ss).append(",\"tu\":");
                    turnover(q.lastPrice(), ps, q.volume(), ss).append(",\"ts\":0,\"type\":\"quote\"}}");
                }
                case DepthUpdate d -> {
                    BookView view = books.apply(streamKey, d);
                    out.append("{\"code\":1,\"data\":{\"s\":\"").append(s).append("\",\"a\":[");
                    for (int i = 0; i < view.askCount(); i++) {
                        level(i, view.askPrice(i), view.askSize(i), ps, ss);
                    }
                    out.append("],\"b\":[");
                    for (int i = 0; i < view.bidCount(); i++) {
                        level(i, view.bidPrice(i), view.bidSize(i), ps, ss);
                    }
                    out.append("],\"type\":\"depth\"}}");
                }
                case Bar b -> {
                    out.append("{\"code\":0,\"msg\":null,\"data\":{\"s\":\"").append(s).append("\",\"t\":")
                            .append(b.periodicity().itickCode()).append(",\"k\":{\"tu\":");
                    turnover(b.close(), ps, b.volume(), ss).append(",\"c\":");
                    Decimals.appendTo(out, b.close(), ps).append(",\"t\":").append(b.openTime() / 1_000).append(",\"v\":");
                    Decimals.appendTo(out, b.volume(), ss).append(",\"h\":");
                    Decimals.appendTo(out, b.high(), ps).append(",\"l\":");
                    Decimals.appendTo(out, b.low(), ps).append(",\"o\":");
                    Decimals.appendTo(out, b.open(), ps).append("}}}");
                }
            }
            byte[] bytes = out.toString().getBytes(StandardCharsets.US_ASCII);
            return WebSocketFrames.text(alloc, bytes, bytes.length);
        }

        private void level(int i, long price, long size, int ps, int ss) {
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"po\":").append(i + 1).append(",\"p\":");
            Decimals.appendTo(out, price, ps).append(",\"v\":");
            Decimals.appendTo(out, size, ss).append(",\"o\":");
            Decimals.appendTo(out, size, ss).append('}');
        }

        /** Price × volume, exactly: Tickwire keeps no separate turnover (docs/dialects.md). */
        private StringBuilder turnover(long price, int ps, long volume, int ss) {
            return out.append(BigDecimal.valueOf(price, ps).multiply(BigDecimal.valueOf(volume, ss)).stripTrailingZeros()
                    .toPlainString());
        }
    }
}
