package io.tickwire.engine;

import io.tickwire.engine.bar.BarState;
import io.tickwire.model.Quote;

/**
 * What an engine holds of one instrument besides its streams' recent messages, as its taps are
 * shown it when asked ({@link EngineCommand.TapState}): a cluster's ingest node sends it now and
 * then, so a gateway that starts later can take over whole bars, and an ingest node that starts
 * later (a promoted standby) finds the last numbers even of an instrument that has been quiet for
 * longer than the topic's lookback.
 *
 * @param instrumentId the instrument
 * @param bars         every bar series' state, or {@code null} if it has no bars yet
 * @param lastQuote    the last quote ({@code null} if none; after a restart, the one the store kept)
 * @param lastTradeSeq the last trade number given out (0 if none)
 * @param lastTradeId  the last trade id given out (0 if none)
 * @param lastQuoteSeq the last quote number given out (0 if none)
 */
public record InstrumentState(int instrumentId, BarState bars, Quote lastQuote, long lastTradeSeq, long lastTradeId,
                              long lastQuoteSeq) {
}
