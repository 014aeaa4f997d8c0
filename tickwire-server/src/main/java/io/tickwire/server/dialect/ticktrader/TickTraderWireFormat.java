package io.tickwire.server.dialect.ticktrader;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.model.Bar;
import io.tickwire.model.Decimals;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.StreamMessage;
import io.tickwire.server.dialect.BookView;
import io.tickwire.server.dialect.BookViews;
import io.tickwire.server.dialect.StreamRepeats;
import io.tickwire.server.fanout.WebSocketFrames;
import io.tickwire.server.fanout.WireFormat;
import java.nio.charset.StandardCharsets;

/**
 * Market data as TickTrader sends it (seed 004): {@code FeedTick} notifications carrying the
 * whole book of the subscribed depth (with {@code BestBid}/{@code BestAsk}) from book streams, and
 * {@code FeedBarUpdate} notifications from bid and ask bar streams. Quotes and trades have no
 * TickTrader message and are not encoded. Times are epoch milliseconds.
 */
public final class TickTraderWireFormat implements WireFormat {

    @Override
    public String name() {
        return "ticktrader";
    }

    @Override
    public Encoder newEncoder() {
        return new TickTraderEncoder();
    }

    /** Owned by one partition thread. */
    private static final class TickTraderEncoder implements Encoder {
        private final StringBuilder out = new StringBuilder(1024);
        private final BookViews books = new BookViews();
        private final StreamRepeats bars = new StreamRepeats();

        @Override
        public ByteBuf encode(long streamKey, Instrument instrument, StreamMessage message, long prevSeq, long sentMicros,
                              boolean snapshot, String rawRequestId, ByteBufAllocator alloc) {
            out.setLength(0);
            int ps = instrument.priceScale();
            int ss = instrument.sizeScale();
            switch (message) {
                case DepthUpdate d -> {
                    BookView view = books.apply(streamKey, d);
                    out.append("{\"Response\":\"FeedTick\",\"Result\":");
                    tick(out, instrument, d.eventTime() / 1_000, view);
                    out.append('}');
                }
                case Bar b -> {
                    // a frame shows no volume, yet every trade updates the volume of the Bid and Ask
                    // bars too (and a period's final bar repeats its last update): a frame identical
                    // to the stream's last is not sent
                    if (!bars.changed(streamKey, snapshot, b.openTime(), b.open(), b.high(), b.low(), b.close())) {
                        return null;
                    }
                    String type = b.priceType().tickTraderName();
                    out.append("{\"Result\":{\"Updates\":[{\"Low\":");
                    Decimals.appendTo(out, b.low(), ps).append(",\"High\":");
                    Decimals.appendTo(out, b.high(), ps).append(",\"Time\":").append(b.openTime() / 1_000).append(",\"Open\":");
                    Decimals.appendTo(out, b.open(), ps).append(",\"PriceType\":\"").append(type)
                            .append("\",\"Periodicity\":\"").append(b.periodicity().tickTraderName()).append("\"}],\"")
                            .append(type).append("Close\":");
                    Decimals.appendTo(out, b.close(), ps).append(",\"SymbolAlias\":\"").append(instrument.symbol())
                            .append("\"},\"Response\":\"FeedBarUpdate\"}");
                }
                default -> {
                    return null;
                }
            }
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            return WebSocketFrames.text(alloc, bytes, bytes.length);
        }

        /** The {@code Result} of a FeedTick, which is also one entry of a FeedSubscribe {@code Snapshot}. */
        private static void tick(StringBuilder out, Instrument instrument, long millis, BookView view) {
            int ps = instrument.priceScale();
            int ss = instrument.sizeScale();
            out.append("{\"Symbol\":\"").append(instrument.symbol()).append("\",\"Timestamp\":").append(millis);
            if (view.bidCount() > 0) {
                out.append(",\"BestBid\":");
                level(out, "Bid", view.bidPrice(0), view.bidSize(0), ps, ss);
            }
            if (view.askCount() > 0) {
                out.append(",\"BestAsk\":");
                level(out, "Ask", view.askPrice(0), view.askSize(0), ps, ss);
            }
            out.append(",\"Bids\":[");
            for (int i = 0; i < view.bidCount(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                level(out, "Bid", view.bidPrice(i), view.bidSize(i), ps, ss);
            }
            out.append("],\"Asks\":[");
            for (int i = 0; i < view.askCount(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                level(out, "Ask", view.askPrice(i), view.askSize(i), ps, ss);
            }
            out.append("]}");
        }

        private static void level(StringBuilder out, String type, long price, long size, int ps, int ss) {
            out.append("{\"Type\":\"").append(type).append("\",\"Price\":");
            Decimals.appendTo(out, price, ps).append(",\"Volume\":");
            Decimals.appendTo(out, size, ss).append('}');
        }
    }

    /**
     * The {@code Result} object of a FeedTick frame this format wrote: the text between
     * {@code "Result":} and the closing brace, found after the WebSocket frame header.
     */
    static String feedTickResult(ByteBuf frame) {
        int index = frame.readerIndex();
        int length = frame.getByte(index + 1) & 0x7f;
        int header = length < 126 ? 2 : length == 126 ? 4 : 10;
        String json = frame.toString(index + header, frame.readableBytes() - header, StandardCharsets.UTF_8);
        String prefix = "{\"Response\":\"FeedTick\",\"Result\":";
        return json.startsWith(prefix) ? json.substring(prefix.length(), json.length() - 1) : null;
    }
}
