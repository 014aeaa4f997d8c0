package io.tickwire.protocol.history;

import io.tickwire.model.Instrument;
import java.util.Objects;

/**
 * One entry of the {@code instruments} answer: an instrument and what history holds of it.
 *
 * @param trades the span of stored trades, or {@code null} if none (or history is unavailable)
 * @param quotes the span of stored quotes, or {@code null}
 */
public record InstrumentListing(Instrument instrument, Span trades, Span quotes) {

    public InstrumentListing {
        Objects.requireNonNull(instrument, "instrument");
    }

    /** A stored span: earliest and latest event time (microseconds) and the number of rows. */
    public record Span(long from, long to, long count) {
    }
}
