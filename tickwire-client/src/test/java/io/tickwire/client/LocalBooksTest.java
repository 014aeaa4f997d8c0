package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RandomCases;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The client's books without a server: sequence rule, checksums, truncation, resynchronisation. */
class LocalBooksTest {

    private static final String SYMBOL = "BTCUSDT";
    private static final int DEPTH = 3;

    private final List<BookView> views = new ArrayList<>();
    private final List<BookResync> resyncs = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<String> requested = new ArrayList<>();
    private boolean connected = true;
    private final LocalBooks books = new LocalBooks(
            new Callbacks(null, null, views::add, resyncs::add, null, gaps::add, null, null, () -> { }));
    private final LocalBooks.SnapshotRequests sender = symbol -> {
        if (connected) {
            requested.add(symbol);
        }
        return connected;
    };
    private final ReferenceBook server = new ReferenceBook(2, 6);
    private long now = 1_000_000_000L;

    private void apply(ServerMessage.Book m) {
        books.onBook(m, 2, 6, m.id() != null, now, sender);
    }

    /** Three bids and three asks around 100, as seq 1's snapshot. */
    private ServerMessage.Book start() {
        server.set(true, 100_00, 1_000_000);
        server.set(true, 99_00, 2_000_000);
        server.set(true, 98_00, 3_000_000);
        server.set(false, 101_00, 1_500_000);
        server.set(false, 102_00, 2_500_000);
        ServerMessage.Book snapshot = server.snapshot(SYMBOL, 1, DEPTH, null);
        apply(snapshot);
        return snapshot;
    }

    /** Changes the server's book and returns the message for it. */
    private ServerMessage.Book change(long seq, long prevSeq, boolean bid, long price, long size) {
        ReferenceBook before = server.copy();
        server.set(bid, price, size);
        return server.changesSince(before, SYMBOL, seq, prevSeq, DEPTH, true);
    }

    private BookView view() {
        return books.view(SYMBOL);
    }

    private void assertEqualsServer() {
        BookView v = view();
        assertThat(v.inSync()).isTrue();
        assertThat(v.bids()).isEqualTo(server.topBids(DEPTH));
        assertThat(v.asks()).isEqualTo(server.topAsks(DEPTH));
    }

    @Test
    void shouldHoldTheServersTopAfterASnapshotAndChanges() {
        start();
        assertEqualsServer();
        assertThat(view().bestBid()).isEqualTo(new BookLevel(new BigDecimal("100.00"), new BigDecimal("1.000000")));
        assertThat(view().spread()).isEqualTo(new BigDecimal("1.00"));

        apply(change(2, 1, true, 100_50, 500_000)); // pushes 98 out of the top 3
        apply(change(5, 2, false, 101_00, 0));       // numbers may jump: prevSeq chains them
        assertEqualsServer();
        assertThat(view().seq()).isEqualTo(5);
        assertThat(view().bids()).extracting(BookLevel::price).containsExactly(
                new BigDecimal("100.50"), new BigDecimal("100.00"), new BigDecimal("99.00"));
        apply(change(6, 5, true, 100_50, 0));        // 98 moves back into the top
        assertEqualsServer();
        assertThat(views).hasSize(4).allMatch(BookView::inSync);
        assertThat(resyncs).isEmpty();
        assertThat(requested).isEmpty();
    }

    @Test
    void duplicatesAndOlderMessagesAreIgnoredAndCounted() {
        start();
        ServerMessage.Book two = change(2, 1, true, 99_00, 7_000_000);
        apply(two);
        ServerMessage.Book three = change(3, 2, false, 103_00, 1_000_000);
        apply(three);

        apply(two);
        apply(three);

        assertEqualsServer();
        assertThat(books.duplicates()).isEqualTo(2);
        assertThat(views).hasSize(3);
        assertThat(resyncs).isEmpty();
    }

    @Test
    void aMissedMessageMakesTheBookAskForASnapshotAndTheSnapshotMakesItExactAgain() {
        start();
        change(2, 1, true, 99_00, 7_000_000); // never arrives
        apply(change(3, 2, false, 103_00, 1_000_000));

        assertThat(view().inSync()).isFalse();
        assertThat(view().seq()).as("the last exact levels stay visible").isEqualTo(1);
        assertThat(resyncs).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(BookResync.Reason.SEQUENCE_GAP);
            assertThat(r.detail()).contains("#3 follows #2");
        });
        assertThat(gaps).containsExactly(new Gap(SYMBOL, io.tickwire.model.Channel.BOOK, 2, 3));
        assertThat(requested).containsExactly(SYMBOL);

        apply(change(4, 3, true, 97_00, 1_000_000)); // ignored while waiting
        assertThat(view().inSync()).isFalse();
        apply(server.snapshot(SYMBOL, 4, DEPTH, "7"));
        assertEqualsServer();
        apply(change(5, 4, true, 100_00, 0));
        assertEqualsServer();
        assertThat(requested).hasSize(1);
    }

    @Test
    void aChecksumMismatchMakesTheBookResynchronise() {
        start();
        ServerMessage.Book m = change(2, 1, true, 99_00, 7_000_000);
        apply(new ServerMessage.Book(m.symbol(), m.seq(), m.prevSeq(), m.ts(), m.sent(), m.depth(), false, m.bids(),
                m.asks(), m.checksum() ^ 1, null));

        assertThat(view().inSync()).isFalse();
        assertThat(resyncs).singleElement().extracting(BookResync::reason).isEqualTo(BookResync.Reason.CHECKSUM_MISMATCH);
        assertThat(requested).containsExactly(SYMBOL);
        assertThat(gaps).as("not a sequence break").isEmpty();
    }

    @Test
    void aSnapshotThatFailsItsChecksumIsAskedForAgainOnlyAfterADelay() {
        ServerMessage.Book bad = new ServerMessage.Book(SYMBOL, 1, 1, 1, 1, DEPTH, true,
                List.of(new ServerMessage.Level(new BigDecimal("100.00"), new BigDecimal("1.000000"))), List.of(), 12345, null);
        apply(bad);
        assertThat(view()).as("never exact: nothing to show").isNull();
        assertThat(resyncs).singleElement().extracting(BookResync::reason).isEqualTo(BookResync.Reason.CHECKSUM_MISMATCH);
        assertThat(requested).isEmpty();

        books.requestDue(now + LocalBooks.RETRY_DELAY_NANOS - 1, sender);
        assertThat(requested).isEmpty();
        books.requestDue(now + LocalBooks.RETRY_DELAY_NANOS, sender);
        assertThat(requested).containsExactly(SYMBOL);
    }

    @Test
    void anAnnouncedGapWaitsForTheServersSnapshotAndAsksOnlyIfItDoesNotCome() {
        start();
        books.onAnnouncedGap(SYMBOL, now);
        assertThat(view().inSync()).isFalse();
        assertThat(resyncs).singleElement().extracting(BookResync::reason).isEqualTo(BookResync.Reason.SERVER_GAP);
        books.requestDue(now + LocalBooks.RESYNC_TIMEOUT_NANOS - 1, sender);
        assertThat(requested).as("the server sends a snapshot after a gap by itself").isEmpty();

        books.requestDue(now + LocalBooks.RESYNC_TIMEOUT_NANOS, sender);
        assertThat(requested).containsExactly(SYMBOL);
        books.requestDue(now + 2 * LocalBooks.RESYNC_TIMEOUT_NANOS - 1, sender);
        assertThat(requested).as("one request at a time").hasSize(1);
        books.requestDue(now + 2 * LocalBooks.RESYNC_TIMEOUT_NANOS, sender);
        assertThat(requested).as("unanswered: asked again").hasSize(2);

        apply(server.snapshot(SYMBOL, 9, DEPTH, null));
        assertEqualsServer();
        books.requestDue(now + 10 * LocalBooks.RESYNC_TIMEOUT_NANOS, sender);
        assertThat(requested).hasSize(2);
    }

    @Test
    void aLostConnectionLeavesEveryBookOutOfSyncUntilItsNextSnapshot() {
        start();
        books.onConnectionLost();
        connected = false;
        assertThat(view().inSync()).isFalse();
        assertThat(resyncs).singleElement().extracting(BookResync::reason).isEqualTo(BookResync.Reason.CONNECTION_LOST);
        books.requestDue(now + LocalBooks.RESYNC_TIMEOUT_NANOS, sender);
        assertThat(requested).isEmpty();

        connected = true;
        now += 10 * LocalBooks.RESYNC_TIMEOUT_NANOS;
        books.onRestoring(now);
        apply(server.snapshot(SYMBOL, 1, DEPTH, null)); // the resubscription's snapshot
        assertEqualsServer();
        books.requestDue(now + LocalBooks.RESYNC_TIMEOUT_NANOS, sender);
        assertThat(requested).isEmpty();
    }

    @Test
    void aRefusedRequestIsRetriedAfterADelayAndRequestsAreCapped() {
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < LocalBooks.MAX_REQUESTS + 2; i++) {
            String symbol = "S" + i;
            symbols.add(symbol);
            ReferenceBook b = new ReferenceBook(2, 6);
            b.set(true, 100, 1);
            books.onBook(b.snapshot(symbol, 1, DEPTH, null), 2, 6, false, now, sender);
            ReferenceBook after = b.copy();
            after.set(true, 101, 1);
            books.onBook(after.changesSince(b, symbol, 5, 4, DEPTH, true), 2, 6, false, now, sender); // a gap
        }
        assertThat(requested).as("at most %d outstanding", LocalBooks.MAX_REQUESTS).hasSize(LocalBooks.MAX_REQUESTS);

        books.onRequestRefused("S0", "rate_limited", now);
        books.requestDue(now + LocalBooks.RETRY_DELAY_NANOS, sender);
        assertThat(requested).as("the freed slot and no more").hasSize(LocalBooks.MAX_REQUESTS + 1);
        assertThat(requested.getLast()).isIn("S8", "S9", "S0");
    }

    @Test
    void aBookMessageOfAnotherDepthWithoutASnapshotIsNotApplied() {
        start();
        ReferenceBook before = server.copy();
        server.set(true, 99_50, 1_000_000);
        apply(server.changesSince(before, SYMBOL, 2, 1, DEPTH + 1, true));

        assertThat(view().inSync()).isFalse();
        assertThat(resyncs).singleElement().satisfies(r -> assertThat(r.detail()).contains("depth"));
    }

    @Test
    void randomChangeStreamsKeepTheBookEqualToTheServersTopAtEveryMessage() {
        RandomCases.check(200, LocalBooksTest::randomStream, stream -> {
            List<BookView> seen = new ArrayList<>();
            LocalBooks local = new LocalBooks(new Callbacks(null, null, seen::add, r -> {
                throw new AssertionError("resync " + r);
            }, null, null, null, null, () -> { }));
            ReferenceBook reference = new ReferenceBook(2, 6);
            long seq = 1;
            local.onBook(reference.snapshot(SYMBOL, seq, stream.depth, null), 2, 6, false, now, s -> true);
            for (long[] change : stream.changes) {
                ReferenceBook before = reference.copy();
                reference.set(change[0] == 0, change[1], change[2]);
                if (reference.topBids(stream.depth).equals(before.topBids(stream.depth))
                        && reference.topAsks(stream.depth).equals(before.topAsks(stream.depth))) {
                    continue; // the top did not change: the server sends nothing
                }
                long next = seq + 1 + change[3]; // skipped updates changed levels below the top
                local.onBook(reference.changesSince(before, SYMBOL, next, seq, stream.depth, change[4] == 1), 2, 6, false,
                        now, s -> true);
                seq = next;
                BookView v = local.view(SYMBOL);
                assertThat(v.seq()).isEqualTo(seq);
                assertThat(v.bids()).isEqualTo(reference.topBids(stream.depth));
                assertThat(v.asks()).isEqualTo(reference.topAsks(stream.depth));
            }
            assertThat(seen).allMatch(BookView::inSync);
        });
    }

    /** A depth and changes {bid?0:1, price, size, numbers skipped, announce pushed-out levels?1:0}. */
    private record Stream(int depth, List<long[]> changes) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("depth " + depth + ":");
            changes.forEach(c -> sb.append(' ').append(c[0] == 0 ? 'b' : 'a').append(c[1]).append('x').append(c[2]));
            return sb.toString();
        }
    }

    private static Stream randomStream(SplittableRandom random) {
        int depth = 1 + random.nextInt(6);
        List<long[]> changes = new ArrayList<>();
        int n = random.nextInt(1, 80);
        for (int i = 0; i < n; i++) {
            boolean bid = random.nextBoolean();
            // bids at or below 100.00, asks above: never crossed, a few levels deep and often reused
            long price = bid ? 100_00 - random.nextInt(12) : 100_01 + random.nextInt(12);
            long size = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 5_000_000);
            changes.add(new long[] {bid ? 0 : 1, price, size, random.nextInt(3), random.nextInt(2)});
        }
        return new Stream(depth, changes);
    }
}
