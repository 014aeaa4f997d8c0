package io.tickwire.store;

import io.tickwire.model.MarketEvent;
import java.util.List;

/**
 * One page of trades or quotes in stored order (by event time; rows with the same time in the
 * order they were written).
 *
 * @param events the trades or quotes, with the sequence numbers they had when they were streamed
 *               (0 for imported data)
 * @param more   whether the range holds more rows after this page
 */
public record TickPage<T extends MarketEvent>(List<T> events, boolean more) {

    public TickPage {
        events = List.copyOf(events);
    }

    /**
     * How many rows at the last row's exact time this page returned, counting {@code skipBefore}
     * when every row of the page has the query's {@code from} time: the {@code skip} of the next
     * page, whose {@code from} is the last row's time.
     */
    public int skipAfter(long from, int skipBefore) {
        if (events.isEmpty()) {
            return skipBefore;
        }
        long last = events.get(events.size() - 1).eventTime();
        int same = 0;
        for (int i = events.size() - 1; i >= 0 && events.get(i).eventTime() == last; i--) {
            same++;
        }
        return last == from ? same + skipBefore : same;
    }
}
