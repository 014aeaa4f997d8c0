package io.tickwire.feeds.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a stream of simulated events as a subscriber would see it: every quote sane and
 * uncrossed, every trade at the touch of the last quote and followed by the quote that shows the
 * liquidity it took. Feed it events in order; it fails the test at the first inconsistency.
 */
final class Tape {

    private final InstrumentCatalog catalog;
    private final Quote[] lastQuote;
    private final List<MarketEvent> events = new ArrayList<>();
    private Trade awaitingQuote;
    private Quote quoteBeforeTrade;
    private long trades;
    private long quotes;

    Tape(InstrumentCatalog catalog) {
        this.catalog = catalog;
        this.lastQuote = new Quote[catalog.size()];
    }

    void check(MarketEvent event) {
        String context = "event " + events.size() + " " + event;
        events.add(event);
        assertThat(event.seq()).as(context).isZero();
        assertThat(event.instrumentId()).as(context).isBetween(0, catalog.size() - 1);
        if (awaitingQuote != null) {
            assertThat(event).as("the event after " + awaitingQuote).isInstanceOf(Quote.class);
            checkQuoteAfterTrade((Quote) event, context);
        }
        switch (event) {
            case Quote q -> {
                quotes++;
                // Prices are scaled longs in the instrument's price scale and a tick is one unit of
                // it, so any positive long is on the grid; what matters is positive and uncrossed.
                assertThat(q.bidPrice()).as(context).isPositive();
                assertThat(q.askPrice()).as(context + ": crossed").isGreaterThan(q.bidPrice());
                assertThat(q.bidSize()).as(context).isPositive();
                assertThat(q.askSize()).as(context).isPositive();
                assertThat(q.lastPrice()).as(context).isZero();
                assertThat(q.volume()).as(context).isZero();
                lastQuote[q.instrumentId()] = q;
            }
            case Trade t -> {
                trades++;
                assertThat(t.size()).as(context).isPositive();
                assertThat(t.tradeId()).as(context).isZero();
                assertThat(t.aggressor()).as(context).isNotNull();
                Quote before = lastQuote[t.instrumentId()];
                assertThat(before).as(context + ": trade before any quote").isNotNull();
                if (t.aggressor() == Side.BUY) {
                    assertThat(t.price()).as(context + ": buy must lift the ask of " + before).isEqualTo(before.askPrice());
                    assertThat(t.size()).as(context).isLessThanOrEqualTo(before.askSize());
                } else {
                    assertThat(t.price()).as(context + ": sell must hit the bid of " + before).isEqualTo(before.bidPrice());
                    assertThat(t.size()).as(context).isLessThanOrEqualTo(before.bidSize());
                }
                assertThat(t.eventTime()).as(context).isGreaterThanOrEqualTo(before.eventTime());
                awaitingQuote = t;
                quoteBeforeTrade = before;
            }
            case io.tickwire.model.BookUpdate b -> throw new AssertionError(context + ": quote mode publishes no book updates");
        }
    }

    private void checkQuoteAfterTrade(Quote after, String context) {
        Trade trade = awaitingQuote;
        Quote before = quoteBeforeTrade;
        awaitingQuote = null;
        assertThat(after.instrumentId()).as(context).isEqualTo(trade.instrumentId());
        assertThat(after.eventTime()).as(context).isEqualTo(trade.eventTime());
        if (trade.aggressor() == Side.BUY) {
            assertThat(after.bidPrice()).as(context + ": bid untouched by a buy").isEqualTo(before.bidPrice());
            assertThat(after.bidSize()).as(context).isEqualTo(before.bidSize());
            if (trade.size() < before.askSize()) {
                assertThat(after.askPrice()).as(context).isEqualTo(before.askPrice());
                assertThat(after.askSize()).as(context).isEqualTo(before.askSize() - trade.size());
            } else {
                assertThat(after.askPrice()).as(context + ": emptied ask level").isGreaterThan(before.askPrice());
            }
        } else {
            assertThat(after.askPrice()).as(context + ": ask untouched by a sell").isEqualTo(before.askPrice());
            assertThat(after.askSize()).as(context).isEqualTo(before.askSize());
            if (trade.size() < before.bidSize()) {
                assertThat(after.bidPrice()).as(context).isEqualTo(before.bidPrice());
                assertThat(after.bidSize()).as(context).isEqualTo(before.bidSize() - trade.size());
            } else {
                assertThat(after.bidPrice()).as(context + ": emptied bid level").isLessThan(before.bidPrice());
            }
        }
    }

    /** The last quote seen for an instrument, or null. */
    Quote lastQuote(int instrumentId) {
        return lastQuote[instrumentId];
    }

    /** True if the last trade still waits for its quote. */
    boolean awaitingQuote() {
        return awaitingQuote != null;
    }

    List<MarketEvent> events() {
        return events;
    }

    long trades() {
        return trades;
    }

    long quotes() {
        return quotes;
    }
}
