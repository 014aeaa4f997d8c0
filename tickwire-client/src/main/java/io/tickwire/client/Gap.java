package io.tickwire.client;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;

/**
 * A break in one stream: messages were missed, seen either by the client in the sequence numbers or
 * {@linkplain #announced() announced} by the server.
 *
 * <p><b>Seen by the client.</b> Messages {@code expected} up to {@code received - 1} never arrived
 * (typically sent while the client was disconnected); the message numbered {@code received} is
 * delivered right after this gap is reported. Book and throttled streams skip numbers by design (a
 * message carries the number of the last source update it includes), so on them {@link #missed()}
 * counts numbers skipped beyond the chain, an upper bound of what was lost. If
 * {@code received < expected} the stream's numbering restarted (the server restarted without
 * keeping its sequence numbers): the client adopts the new numbering.
 *
 * <p><b>Announced by the server</b> ({@code expected} and {@code received} are -1): the server could
 * not deliver every update of the stream to this connection. For quote, book and bar streams it
 * sends a fresh snapshot next; missed trades are gone from the live stream, and the jump in the
 * numbers to the next trade is this same loss, not reported a second time.
 *
 * <p><b>A bar that closed while disconnected.</b> A restored bar stream starts from the bar now
 * forming; when the bar last delivered had not closed here, its final ({@code closed}) message was
 * missed: reported as a gap of the bar stream before the forming bar is delivered ({@code expected}
 * the number after the last one seen, {@code received} the forming bar's). Fetch the closed bar with
 * a {@code history} request if needed.
 *
 * <p>Either way, anything derived from the stream before the gap may be stale. Quote and bar
 * streams recover by themselves (each message is the whole current value); local books are
 * resynchronised by the client ({@link BookResync}). Immutable.
 *
 * @param symbol    the instrument's symbol as the server spells it
 * @param channel   the stream's channel
 * @param period    the bar stream's period; {@code null} for other channels (and for a bar gap
 *                  announced by a server older than this SDK, which did not name the stream)
 * @param priceType the bar stream's price type; {@code null} likewise
 * @param expected  the sequence number that should have come next, or -1 if announced
 * @param received  the sequence number that came, or -1 if announced
 */
public record Gap(String symbol, Channel channel, Periodicity period, PriceType priceType, long expected,
                  long received) {

    /** A gap the client saw in a stream that is not a bar stream. */
    public Gap(String symbol, Channel channel, long expected, long received) {
        this(symbol, channel, null, null, expected, received);
    }

    /** A gap the server announced. */
    static Gap announced(String symbol, Channel channel, Periodicity period, PriceType priceType) {
        return new Gap(symbol, channel, period, priceType, -1, -1);
    }

    /** Whether the server announced this gap rather than the client seeing it in the numbers. */
    public boolean announced() {
        return expected < 0 && received < 0;
    }

    /** How many sequence numbers are missing; 0 when the numbering restarted or the gap was announced. */
    public long missed() {
        return Math.max(0, received - expected);
    }

    /** Whether the stream's numbering restarted rather than skipped ahead. */
    public boolean restarted() {
        return !announced() && received < expected;
    }
}
