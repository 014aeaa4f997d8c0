package io.tickwire.cli.app;

import io.tickwire.engine.EventTap;
import io.tickwire.engine.InstrumentState;
import io.tickwire.engine.ingest.Numbering;
import io.tickwire.model.Bar;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.Channel;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;

/**
 * A gateway's store tap: a gateway keeps the ingest node's numbers, and after a restart reads its
 * lookback again, so the trades and quotes it stored before the restart come again. Those (a
 * number not above the last the store held when it opened) are not stored twice; everything else
 * goes to the store as it comes. Thread-safe as the store's tap is: it only reads what it was given.
 */
final class UnstoredOnly implements EventTap {

    private final EventTap store;
    private final long[] lastTrade;
    private final long[] lastQuote;

    UnstoredOnly(EventTap store, Numbering stored, int instruments) {
        this.store = store;
        this.lastTrade = new long[instruments];
        this.lastQuote = new long[instruments];
        for (int id = 0; id < instruments; id++) {
            lastTrade[id] = stored.lastSeq(id, Channel.TRADE);
            lastQuote[id] = stored.lastSeq(id, Channel.QUOTE);
        }
    }

    @Override
    public void onEvent(MarketEvent event) {
        boolean held = switch (event) {
            case Trade t -> t.seq() <= lastTrade[t.instrumentId()];
            case Quote q -> q.seq() <= lastQuote[q.instrumentId()];
            default -> false;
        };
        if (!held) {
            store.onEvent(event);
        }
    }

    @Override
    public void onClosedBar(Bar bar) {
        store.onClosedBar(bar); // a period the store closed already is never closed again (bars continue from the store)
    }

    @Override
    public void onBookSnapshot(BookSnapshot snapshot) {
        store.onBookSnapshot(snapshot);
    }

    @Override
    public void onInstrumentState(InstrumentState state) {
        store.onInstrumentState(state);
    }
}
