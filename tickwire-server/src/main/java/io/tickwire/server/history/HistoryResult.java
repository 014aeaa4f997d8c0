package io.tickwire.server.history;

import io.tickwire.model.Bar;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.history.HistoryRequest;
import java.util.List;

/**
 * What a history request came to, for a protocol to put into its own words: a page (with the
 * cursor of the next page, or {@code null} when there is none) or a refusal with a stable code.
 */
public sealed interface HistoryResult {

    /** A page of bars. */
    record Bars(Instrument instrument, HistoryRequest request, List<Bar> bars, String next) implements HistoryResult {
    }

    /** A page of trades. */
    record Trades(Instrument instrument, HistoryRequest request, List<Trade> trades, String next) implements HistoryResult {
    }

    /** A page of quotes. */
    record Quotes(Instrument instrument, HistoryRequest request, List<Quote> quotes, String next) implements HistoryResult {
    }

    /** The request was refused; nothing was read. */
    record Refused(ErrorCode code, String message) implements HistoryResult {
    }
}
