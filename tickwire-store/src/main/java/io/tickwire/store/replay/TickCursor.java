package io.tickwire.store.replay;

import io.tickwire.model.Instrument;
import io.tickwire.model.MarketEvent;
import io.tickwire.store.TickPage;
import io.tickwire.store.TickQuery;
import java.util.List;
import java.util.function.Function;

/**
 * Walks one instrument's stored trades, quotes or book pictures in order, a page at a time, so a replay of any
 * length holds at most one page per stream in memory. Single-threaded.
 */
final class TickCursor {

    private static final int PAGE = 1_000;

    private final Instrument instrument;
    private final long to;
    private final Function<TickQuery, TickPage<? extends MarketEvent>> read;
    private List<? extends MarketEvent> page = List.of();
    private int index;
    private long from;
    private int skip;
    private boolean more = true;

    TickCursor(Instrument instrument, long from, long to, Function<TickQuery, TickPage<? extends MarketEvent>> read) {
        this.instrument = instrument;
        this.from = from;
        this.to = to;
        this.read = read;
    }

    /** The next event without taking it, or {@code null} when the range is exhausted. */
    MarketEvent peek() {
        if (index < page.size()) {
            return page.get(index);
        }
        if (!more || from >= to) {
            return null;
        }
        TickPage<? extends MarketEvent> next = read.apply(new TickQuery(instrument, from, to, skip, PAGE));
        page = next.events();
        index = 0;
        more = next.more();
        if (!page.isEmpty()) {
            int nextSkip = next.skipAfter(from, skip);
            from = page.get(page.size() - 1).eventTime();
            skip = nextSkip;
        }
        return page.isEmpty() ? null : page.get(0);
    }

    /** Takes the event {@link #peek()} returned. */
    void advance() {
        index++;
    }
}
