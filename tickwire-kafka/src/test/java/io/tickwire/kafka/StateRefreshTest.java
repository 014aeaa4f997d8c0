package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.BookSide;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Quote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateRefreshTest {

    private static final long SECOND = 1_000_000_000L;
    private final StateRefresh refresh = new StateRefresh(2, 30 * SECOND);
    private final List<Object> appended = new ArrayList<>();

    @Test
    void aQuietInstrumentsLastQuoteAndPictureAreAppendedAgainOnceOlderThanTheInterval() {
        Quote quote = new Quote(0, 7, 100, 10, 1, 11, 1, 10, 5);
        BookUpdate change = BookUpdate.builder(1, 100).set(BookSide.BID, 10, 1).build().withSeq(4);
        BookSnapshot picture = new BookSnapshot(1, 4, 100, new long[] {10}, new long[] {1}, new long[0], new long[0]);
        for (Object record : List.of(quote, change, picture)) {
            refresh.record(record);
            refresh.sent(record, 5 * SECOND);
        }
        refresh.due(30 * SECOND, appended::add);
        assertThat(appended).as("not yet 30 s old").isEmpty();
        refresh.due(35 * SECOND, appended::add);
        assertThat(appended).containsExactly(quote, picture);
    }

    @Test
    void nothingIsAppendedAheadOfItsOriginalNorAPictureOfABookThatChangedSince() {
        Quote sent = new Quote(0, 7, 100, 10, 1, 11, 1, 10, 5);
        refresh.record(sent);
        refresh.sent(sent, SECOND);
        refresh.record(new Quote(0, 8, 200, 10, 1, 12, 1, 10, 5)); // still queued: its original goes first
        BookSnapshot picture = new BookSnapshot(1, 4, 100, new long[] {10}, new long[] {1}, new long[0], new long[0]);
        refresh.record(BookUpdate.builder(1, 100).set(BookSide.BID, 10, 1).build().withSeq(4));
        refresh.record(picture);
        refresh.sent(picture, SECOND);
        refresh.record(BookUpdate.builder(1, 200).set(BookSide.BID, 9, 1).build().withSeq(5)); // the book moved on
        refresh.due(100 * SECOND, appended::add);
        assertThat(appended).isEmpty();
    }

    @Test
    void aQuoteTheStoreKeptOverARestartIsAppendedAtTheNextCheckUnlessThisRunHasOne() {
        Quote stored = new Quote(0, 7, 100, 10, 1, 11, 1, 10, 5);
        refresh.adopt(stored, 10 * SECOND);
        Quote live = new Quote(1, 3, 100, 10, 1, 11, 1, 10, 5);
        refresh.record(live);
        refresh.sent(live, 10 * SECOND);
        refresh.adopt(new Quote(1, 2, 50, 10, 1, 11, 1, 10, 5), 10 * SECOND); // older than what this run sent
        refresh.due(11 * SECOND, again -> {
            appended.add(again);
            refresh.sent(again, 11 * SECOND); // as the producer thread does
        });
        assertThat(appended).containsExactly(stored);
        appended.clear();
        refresh.due(12 * SECOND, appended::add);
        assertThat(appended).as("appended again only after another interval").isEmpty();
    }

    @Test
    void noLookbackMeansNoRefresh() {
        assertThat(StateRefresh.intervalFor(java.time.Duration.ZERO)).isZero();
        assertThat(StateRefresh.intervalFor(java.time.Duration.ofSeconds(60))).isEqualTo(30 * SECOND);
        assertThat(StateRefresh.intervalFor(java.time.Duration.ofMillis(100))).isEqualTo(SECOND);
    }
}
