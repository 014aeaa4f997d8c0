package io.tickwire.server.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.book.DepthView;
import io.tickwire.engine.book.OrderBook;
import io.tickwire.model.BookChecksum;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.DepthUpdate;
import io.tickwire.testkit.RandomCases;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole-book view the iTick and TickTrader encoders keep equals the engine's book top after
 * every message of a depth stream, conflated (throttled) streams and resets by snapshots included.
 */
class BookViewTest {

    record Scenario(int depth, int stride, List<BookUpdate> updates) {
    }

    static Scenario scenario(SplittableRandom random) {
        int depth = 1 + random.nextInt(8);
        List<BookUpdate> updates = new ArrayList<>();
        for (int i = 0, n = 50 + random.nextInt(300); i < n; i++) {
            BookUpdate.Builder b = BookUpdate.builder(0, 0);
            for (int k = 0, m = 1 + random.nextInt(4); k < m; k++) {
                boolean bid = random.nextBoolean();
                long price = bid ? 1_000 - random.nextInt(30) : 1_001 + random.nextInt(30);
                b.set(bid ? BookSide.BID : BookSide.ASK, price, random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(1_000));
            }
            updates.add(b.build());
        }
        return new Scenario(depth, 1 + random.nextInt(4), updates);
    }

    @Test
    void theViewIsTheBooksTopAfterEveryMessage() {
        BookChecksum checksums = new BookChecksum();
        RandomCases.check(300, BookViewTest::scenario, s -> {
            OrderBook book = new OrderBook(128);
            DepthView depth = new DepthView(book, s.depth(), 2, 0, checksums);
            BookView view = new BookView();
            view.apply(depth.snapshot(0));
            int n = 0;
            for (BookUpdate u : s.updates()) {
                book.apply(u);
                if (++n % s.stride() != 0) {
                    continue;
                }
                DepthUpdate changes = depth.advance(book, 0, checksums);
                DepthUpdate message = n % 97 == 0 ? depth.snapshot(0) : changes; // now and then a resync
                if (message != null) {
                    view.apply(message);
                }
                assertSame(view, book, s.depth());
            }
        });
    }

    private static void assertSame(BookView view, OrderBook book, int depth) {
        long[] prices = new long[depth];
        long[] sizes = new long[depth];
        int bids = book.copyTop(BookSide.BID, depth, prices, sizes);
        assertThat(view.bidCount()).isEqualTo(bids);
        for (int i = 0; i < bids; i++) {
            assertThat(new long[] {view.bidPrice(i), view.bidSize(i)}).containsExactly(prices[i], sizes[i]);
        }
        int asks = book.copyTop(BookSide.ASK, depth, prices, sizes);
        assertThat(view.askCount()).isEqualTo(asks);
        for (int i = 0; i < asks; i++) {
            assertThat(new long[] {view.askPrice(i), view.askSize(i)}).containsExactly(prices[i], sizes[i]);
        }
    }
}
