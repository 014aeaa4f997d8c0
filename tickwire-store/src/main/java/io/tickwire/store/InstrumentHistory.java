package io.tickwire.store;

import io.tickwire.model.Instrument;
import java.util.Objects;

/**
 * An instrument of the catalogue and what the store holds of it.
 *
 * @param trades the span of its stored trades, or {@code null} if none
 * @param quotes the span of its stored quotes, or {@code null} if none
 */
public record InstrumentHistory(Instrument instrument, Span trades, Span quotes) {

    public InstrumentHistory {
        Objects.requireNonNull(instrument, "instrument");
    }

    /**
     * A stored time span.
     *
     * @param first the earliest event time stored, microseconds since the epoch
     * @param last  the latest event time stored
     * @param count the number of rows stored
     */
    public record Span(long first, long last, long count) {
    }
}
