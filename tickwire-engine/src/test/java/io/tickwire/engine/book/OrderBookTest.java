package io.tickwire.engine.book;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.BookChecksum;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.DepthUpdate;
import io.tickwire.testkit.RandomCases;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The book and its depth-limited views against a reference model, over random update streams with
 * prices in a narrow band (so levels collide, vanish, move into the top and cross the book).
 */
class OrderBookTest {

    private static final int PRICE_SCALE = 2;
    private static final int SIZE_SCALE = 3;

    /** A random stream of updates: a book capacity, a view depth, a throttle stride, the updates. */
    private record Scenario(int capacity, int depth, int stride, List<BookUpdate> updates) {
        @Override
        public String toString() {
            return "capacity " + capacity + ", depth " + depth + ", stride " + stride + ", " + updates.size() + " updates";
        }
    }

    private static Scenario scenario(SplittableRandom r) {
        int capacity = 1 + r.nextInt(12);
        int depth = 1 + r.nextInt(capacity);
        int stride = 1 + r.nextInt(4);
        long mid = 10_000;
        List<BookUpdate> updates = new ArrayList<>();
        int count = 50 + r.nextInt(300);
        for (int n = 1; n <= count; n++) {
            BookUpdate.Builder b = BookUpdate.builder(0, n);
            if (r.nextInt(60) == 0) {
                b.replace();
            }
            int changes = 1 + r.nextInt(4);
            mid += r.nextInt(-2, 3);
            for (int c = 0; c < changes; c++) {
                BookSide side = r.nextBoolean() ? BookSide.BID : BookSide.ASK;
                long offset = r.nextInt(0, 12);
                long price = side == BookSide.BID ? mid - offset : mid + 1 + offset;
                if (r.nextInt(10) == 0) {
                    price = side == BookSide.BID ? mid + 1 + r.nextInt(3) : mid - r.nextInt(3); // crosses
                }
                long size = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(500);
                b.set(side, price, size);
            }
            updates.add(b.build().withSeq(n));
        }
        return new Scenario(capacity, depth, stride, updates);
    }

    @Test
    void bookMatchesTheReferenceAfterEveryUpdate() {
        RandomCases.check(400, OrderBookTest::scenario, s -> {
            OrderBook book = new OrderBook(s.capacity());
            ReferenceBook ref = new ReferenceBook(s.capacity());
            for (BookUpdate u : s.updates()) {
                book.apply(u);
                if (u.replace()) {
                    ref.bids.clear();
                    ref.asks.clear();
                }
                for (int i = 0; i < u.size(); i++) {
                    ref.set(u.side(i), u.price(i), u.levelSize(i));
                }
                assertSame(book, ref, u);
                assertThat(book.seq()).isEqualTo(u.seq());
            }
        });
    }

    @Test
    void aClientApplyingEveryMessageOrOnlyThrottledOnesHoldsTheExactTopAndItsChecksum() {
        BookChecksum checksums = new BookChecksum();
        RandomCases.check(400, OrderBookTest::scenario, s -> {
            OrderBook book = new OrderBook(s.capacity());
            DepthView view = new DepthView(book, s.depth(), PRICE_SCALE, SIZE_SCALE, checksums);
            Client client = new Client(s.depth());
            client.apply(view.snapshot(0));
            int n = 0;
            for (BookUpdate u : s.updates()) {
                book.apply(u);
                if (++n % s.stride() != 0) {
                    continue; // a throttled stream only emits every few updates: the view conflates
                }
                DepthUpdate msg = view.advance(book, 0, checksums);
                if (msg != null) {
                    assertThat(msg.prevSeq()).as("chains to the previous message").isEqualTo(client.seq);
                    client.apply(msg);
                    assertThat(client.checksum(checksums)).as("checksum of the client's copy").isEqualTo(msg.checksum());
                }
                assertThat(client.bids.entrySet().stream().map(e -> new long[] {e.getKey(), e.getValue()}).toList())
                        .as("bids after %s", u).usingElementComparator(PAIR).containsExactlyElementsOf(top(book, BookSide.BID, s.depth()));
                assertThat(client.asks.entrySet().stream().map(e -> new long[] {e.getKey(), e.getValue()}).toList())
                        .as("asks after %s", u).usingElementComparator(PAIR).containsExactlyElementsOf(top(book, BookSide.ASK, s.depth()));
            }
        });
    }

    @Test
    void aSubscriberJoiningLateConvergesFromTheViewSnapshot() {
        BookChecksum checksums = new BookChecksum();
        RandomCases.check(200, OrderBookTest::scenario, s -> {
            OrderBook book = new OrderBook(s.capacity());
            DepthView view = new DepthView(book, s.depth(), PRICE_SCALE, SIZE_SCALE, checksums);
            Client late = null;
            int joinAt = s.updates().size() / 3;
            int n = 0;
            for (BookUpdate u : s.updates()) {
                book.apply(u);
                DepthUpdate msg = ++n % s.stride() == 0 ? view.advance(book, 0, checksums) : null;
                if (late != null && msg != null) {
                    assertThat(msg.prevSeq()).isLessThanOrEqualTo(late.seq);
                    late.apply(msg);
                }
                if (n == joinAt) {
                    late = new Client(s.depth());
                    late.apply(view.snapshot(0)); // the stream's last view, which later messages build on
                }
            }
            if (late != null && view.advance(book, 0, checksums) instanceof DepthUpdate last) {
                late.apply(last);
            }
            if (late != null) {
                assertThat(late.checksum(checksums)).isEqualTo(view.snapshot(0).checksum());
            }
        });
    }

    @Test
    void checksumFollowsTheDocumentedText() {
        OrderBook book = new OrderBook(20);
        book.set(BookSide.BID, 6_701_250, 800);
        book.set(BookSide.ASK, 6_701_300, 1_200);
        DepthUpdate snap = new DepthView(book, 10, 2, 3, new BookChecksum()).snapshot(0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("67013.00:1.200;67012.50:0.800;".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(snap.checksum()).isEqualTo(crc.getValue());
        assertThat(new DepthView(new OrderBook(5), 5, 2, 3, new BookChecksum()).snapshot(0).checksum()).isZero();
    }

    private static final Comparator<long[]> PAIR = (a, b) -> a[0] == b[0] && a[1] == b[1] ? 0 : 1;

    private static List<long[]> top(OrderBook book, BookSide side, int depth) {
        long[] p = new long[depth];
        long[] z = new long[depth];
        int n = book.copyTop(side, depth, p, z);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new long[] {p[i], z[i]});
        }
        return out;
    }

    private static void assertSame(OrderBook book, ReferenceBook ref, BookUpdate after) {
        assertThat(top(book, BookSide.BID, book.capacity())).as("bids after %s", after).usingElementComparator(PAIR)
                .containsExactlyElementsOf(ReferenceBook.top(ref.bids, book.capacity()));
        assertThat(top(book, BookSide.ASK, book.capacity())).as("asks after %s", after).usingElementComparator(PAIR)
                .containsExactlyElementsOf(ReferenceBook.top(ref.asks, book.capacity()));
    }

    /** A client as the protocol describes one: apply changes, truncate to depth. */
    static final class Client {
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final int depth;
        long seq;

        Client(int depth) {
            this.depth = depth;
        }

        void apply(DepthUpdate m) {
            if (m.snapshot()) {
                bids.clear();
                asks.clear();
            }
            for (int i = 0; i < m.bidCount(); i++) {
                put(bids, m.bidPrice(i), m.bidSize(i));
            }
            for (int i = 0; i < m.askCount(); i++) {
                put(asks, m.askPrice(i), m.askSize(i));
            }
            while (bids.size() > depth) {
                bids.pollLastEntry();
            }
            while (asks.size() > depth) {
                asks.pollLastEntry();
            }
            seq = m.seq();
        }

        private static void put(TreeMap<Long, Long> side, long price, long size) {
            if (size == 0) {
                side.remove(price);
            } else {
                side.put(price, size);
            }
        }

        long checksum(BookChecksum checksums) {
            long[] bp = bids.keySet().stream().mapToLong(Long::longValue).toArray();
            long[] bs = bids.values().stream().mapToLong(Long::longValue).toArray();
            long[] ap = asks.keySet().stream().mapToLong(Long::longValue).toArray();
            long[] as = asks.values().stream().mapToLong(Long::longValue).toArray();
            return checksums.of(bp, bs, bp.length, ap, as, ap.length, depth, PRICE_SCALE, SIZE_SCALE);
        }
    }
}
