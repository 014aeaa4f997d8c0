package io.tickwire.engine;

import io.tickwire.model.Bar;
import io.tickwire.model.MarketEvent;
import java.util.ArrayList;
import java.util.List;

/** An {@link EventTap} that keeps the closed bars the engine hands to the store, in order; ignores the rest. */
public final class ClosedBarsTap implements EventTap {

    private final List<Bar> closed;

    /** Records into {@code closed}, which the test owns (and may clear). */
    public ClosedBarsTap(List<Bar> closed) {
        this.closed = closed;
    }

    @Override
    public void onEvent(MarketEvent event) {
    }

    @Override
    public void onClosedBar(Bar bar) {
        closed.add(bar);
    }
}
