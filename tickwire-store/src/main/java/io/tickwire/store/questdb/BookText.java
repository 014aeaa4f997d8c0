package io.tickwire.store.questdb;

import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Decimals;
import io.tickwire.model.Instrument;

/**
 * The text of one side of a stored book picture: {@code price:size} pairs, best first, separated by
 * single spaces, in exact decimals at the instrument's scales ({@code "67012.5:0.8 67012:1.25"}; an
 * empty side is empty text). One class writes and reads it so the two cannot drift apart.
 * Stateless.
 */
final class BookText {

    private BookText() {
    }

    /** Appends one side's levels to {@code out}. */
    static StringBuilder append(StringBuilder out, Instrument instrument, long[] prices, long[] sizes) {
        for (int i = 0; i < prices.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            Decimals.appendTo(out, prices[i], instrument.priceScale()).append(':');
            Decimals.appendTo(out, sizes[i], instrument.sizeScale());
        }
        return out;
    }

    /**
     * Adds one side's stored levels to a picture being built.
     *
     * @throws NumberFormatException if the text is not what {@link #append} writes
     */
    static void parseInto(BookUpdate.Builder picture, BookSide side, Instrument instrument, CharSequence text) {
        if (text == null) {
            return;
        }
        int start = 0;
        int n = text.length();
        while (start < n) {
            int end = start;
            while (end < n && text.charAt(end) != ' ') {
                end++;
            }
            int colon = start;
            while (colon < end && text.charAt(colon) != ':') {
                colon++;
            }
            if (colon == end) {
                throw new NumberFormatException("a stored book level without ':' in '" + text + "'");
            }
            picture.set(side, Decimals.parse(text.subSequence(start, colon), instrument.priceScale()),
                    Decimals.parse(text.subSequence(colon + 1, end), instrument.sizeScale()));
            start = end + 1;
        }
    }
}
