package io.tickwire.protocol.history;

import io.tickwire.model.Bar;
import io.tickwire.model.Decimals;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.TimeText;
import io.tickwire.model.Trade;
import java.util.List;

/**
 * History pages as CSV (RFC 4180, header first, {@code \n} line ends). Times are ISO-8601 UTC
 * with microseconds; prices and sizes exact decimals with the instrument's places. The trades
 * file has the columns {@code tickwire import} reads, so an export can be imported elsewhere.
 * Stateless and thread-safe.
 */
public final class HistoryCsvWriter {

    /** The header of a bars file. */
    public static final String BARS_HEADER = "time,open,high,low,close,volume,trades";
    /** The header of a trades file. */
    public static final String TRADES_HEADER = "time,symbol,price,size,side,trade_id,seq";
    /** The header of a quotes file. */
    public static final String QUOTES_HEADER = "time,symbol,bid,bid_size,ask,ask_size,last,volume,seq";

    private HistoryCsvWriter() {
    }

    public static String bars(Instrument instrument, List<Bar> bars) {
        StringBuilder sb = new StringBuilder(64 + bars.size() * 96).append(BARS_HEADER).append('\n');
        int ps = instrument.priceScale();
        for (Bar b : bars) {
            sb.append(TimeText.formatIso(b.openTime())).append(',');
            fixed(sb, b.open(), ps).append(',');
            fixed(sb, b.high(), ps).append(',');
            fixed(sb, b.low(), ps).append(',');
            fixed(sb, b.close(), ps).append(',');
            fixed(sb, b.volume(), instrument.sizeScale()).append(',').append(b.trades()).append('\n');
        }
        return sb.toString();
    }

    public static String trades(Instrument instrument, List<Trade> trades) {
        StringBuilder sb = new StringBuilder(64 + trades.size() * 96).append(TRADES_HEADER).append('\n');
        for (Trade t : trades) {
            sb.append(TimeText.formatIso(t.eventTime())).append(',').append(instrument.symbol()).append(',');
            fixed(sb, t.price(), instrument.priceScale()).append(',');
            fixed(sb, t.size(), instrument.sizeScale()).append(',').append(t.aggressor().wireName()).append(',')
                    .append(t.tradeId()).append(',').append(t.seq()).append('\n');
        }
        return sb.toString();
    }

    public static String quotes(Instrument instrument, List<Quote> quotes) {
        StringBuilder sb = new StringBuilder(64 + quotes.size() * 128).append(QUOTES_HEADER).append('\n');
        int ps = instrument.priceScale();
        int ss = instrument.sizeScale();
        for (Quote q : quotes) {
            sb.append(TimeText.formatIso(q.eventTime())).append(',').append(instrument.symbol()).append(',');
            fixed(sb, q.bidPrice(), ps).append(',');
            fixed(sb, q.bidSize(), ss).append(',');
            fixed(sb, q.askPrice(), ps).append(',');
            fixed(sb, q.askSize(), ss).append(',');
            fixed(sb, q.lastPrice(), ps).append(',');
            fixed(sb, q.volume(), ss).append(',').append(q.seq()).append('\n');
        }
        return sb.toString();
    }

    private static StringBuilder fixed(StringBuilder sb, long scaled, int scale) {
        return sb.append(Decimals.formatFixed(scaled, scale));
    }
}
