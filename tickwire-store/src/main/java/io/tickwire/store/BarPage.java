package io.tickwire.store;

import io.tickwire.model.Bar;
import java.util.List;

/**
 * One page of closed bars, oldest first.
 *
 * @param bars the bars; each is closed. A bar the live stream closed carries its stream sequence
 *             number; a bar computed from stored ticks (for times before the store received closed
 *             bars) has {@code seq == 0}
 * @param more whether the range holds more bars beyond this page, in the query's direction
 */
public record BarPage(List<Bar> bars, boolean more) {

    public BarPage {
        bars = List.copyOf(bars);
    }
}
