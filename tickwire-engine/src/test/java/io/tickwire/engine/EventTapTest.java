package io.tickwire.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.BookSnapshot;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTapTest {

    @Test
    void bothShowsEveryEventAndPictureToTheFirstTapThenTheSecond() {
        List<String> seen = new ArrayList<>();
        EventTap both = EventTap.both(recording("store", seen), recording("kafka", seen));
        both.onEvent(new Trade(0, 1, 10, 100, 1, Side.BUY, 1));
        both.onBookSnapshot(new BookSnapshot(0, 1, 10, new long[0], new long[0], new long[0], new long[0]));
        assertThat(seen).containsExactly("store event 1", "kafka event 1", "store picture 1", "kafka picture 1");
    }

    @Test
    void bothWithNoneIsTheOtherTap() {
        EventTap one = event -> { };
        assertThat(EventTap.both(EventTap.NONE, one)).isSameAs(one);
        assertThat(EventTap.both(one, EventTap.NONE)).isSameAs(one);
    }

    private static EventTap recording(String name, List<String> seen) {
        return new EventTap() {
            @Override
            public void onEvent(MarketEvent event) {
                seen.add(name + " event " + event.seq());
            }

            @Override
            public void onBookSnapshot(BookSnapshot snapshot) {
                seen.add(name + " picture " + snapshot.seq());
            }
        };
    }
}
