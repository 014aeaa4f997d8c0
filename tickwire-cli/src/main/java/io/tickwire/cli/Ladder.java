package io.tickwire.cli;

import io.tickwire.client.BookLevel;
import io.tickwire.client.BookView;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a book as a price ladder: asks above (the best, lowest, at the bottom of them), the spread,
 * bids below (the best, highest, at the top of them), each level with its size and the size
 * cumulated from the best price outwards. Stateless.
 *
 * <pre>
 * BTCUSDT  10 levels  #5123  12:25:47.674853
 *        price       size      total
 * ask  67013.50   0.400000   1.600000
 * ask  67013.00   1.200000   1.200000
 *      spread 0.50
 * bid  67012.50   0.800000   0.800000
 * bid  67011.00   2.000000   2.800000
 * </pre>
 */
final class Ladder {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

    private Ladder() {
    }

    /** The ladder's lines, coloured with {@code style}. */
    static List<String> lines(BookView v, TailCommand.Style s) {
        List<BookLevel> asks = v.asks();
        List<BookLevel> bids = v.bids();
        BigDecimal[] askTotals = totals(asks);
        BigDecimal[] bidTotals = totals(bids);
        int pw = "price".length();
        int sw = "size".length();
        int tw = "total".length();
        for (int i = 0; i < asks.size(); i++) {
            pw = Math.max(pw, asks.get(i).price().toPlainString().length());
            sw = Math.max(sw, asks.get(i).size().toPlainString().length());
            tw = Math.max(tw, askTotals[i].toPlainString().length());
        }
        for (int i = 0; i < bids.size(); i++) {
            pw = Math.max(pw, bids.get(i).price().toPlainString().length());
            sw = Math.max(sw, bids.get(i).size().toPlainString().length());
            tw = Math.max(tw, bidTotals[i].toPlainString().length());
        }
        String row = "%s%-3s  %" + pw + "s  %" + sw + "s  %" + tw + "s%s";
        List<String> out = new ArrayList<>();
        out.add(String.format("%s%-10s%s %d levels  #%d  %s%s", s.bold, v.symbol(), s.reset, v.depth(), v.seq(),
                TIME.format(Instant.ofEpochSecond(v.eventTimeMicros() / 1_000_000, (v.eventTimeMicros() % 1_000_000) * 1_000)),
                v.inSync() ? "" : "  " + s.warn + "OUT OF SYNC, resynchronising" + s.reset));
        out.add(String.format(row, s.dim, "", "price", "size", "total", s.reset));
        for (int i = asks.size() - 1; i >= 0; i--) {
            BookLevel l = asks.get(i);
            out.add(String.format(row, s.down, "ask", l.price().toPlainString(), l.size().toPlainString(),
                    askTotals[i].toPlainString(), s.reset));
        }
        BigDecimal spread = v.spread();
        out.add(String.format("%s%" + (5 + pw) + "s%s", s.dim, spread == null ? "no spread: a side is empty"
                : "spread " + spread.toPlainString(), s.reset));
        for (int i = 0; i < bids.size(); i++) {
            BookLevel l = bids.get(i);
            out.add(String.format(row, s.up, "bid", l.price().toPlainString(), l.size().toPlainString(),
                    bidTotals[i].toPlainString(), s.reset));
        }
        return out;
    }

    private static BigDecimal[] totals(List<BookLevel> levels) {
        BigDecimal[] totals = new BigDecimal[levels.size()];
        BigDecimal sum = null;
        for (int i = 0; i < levels.size(); i++) {
            sum = sum == null ? levels.get(i).size() : sum.add(levels.get(i).size());
            totals[i] = sum;
        }
        return totals;
    }
}
