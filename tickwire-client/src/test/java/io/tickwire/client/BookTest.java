package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.testkit.RandomCases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local books against a real server: the client's book equals the server's top after every
 * message it applies, and when frames are lost or corrupted on the way, or the server itself loses
 * updates, or the connection drops, it notices, resynchronises and converges — never silently wrong.
 *
 * <p>The test publishes every book update itself, so it knows the true book after each sequence
 * number ({@link #history}); a view the client calls in sync must equal it.
 */
@ExtendWith(NoLeaks.class)
class BookTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SYMBOL = "BTCUSDT";
    private static final Pattern FIRST_BID_SIZE = Pattern.compile("(\"bids\":\\[\\[[0-9.]+,[0-9.]*)([0-9])]");
    private static final Pattern SEQ = Pattern.compile("\"seq\":([0-9]+)");

    private ServerFixture server;
    private TickwireClient client;
    private final List<BookView> views = new CopyOnWriteArrayList<>();
    private final List<BookResync> resyncs = new CopyOnWriteArrayList<>();
    private final List<Gap> gaps = new CopyOnWriteArrayList<>();
    private final List<Bar> bars = new CopyOnWriteArrayList<>();
    /** What the client's I/O thread does with each inbound frame; swapped by the test. */
    private volatile UnaryOperator<String> link = frame -> frame;
    /** The true book after each sequence number of {@link #SYMBOL}'s book (the test is its only source). */
    private final Map<Long, ReferenceBook> history = new ConcurrentHashMap<>();
    private final ReferenceBook book = new ReferenceBook(2, 6);
    private long seq;

    {
        history.put(0L, book.copy()); // a book stream of an instrument without updates yet starts empty, at 0
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private TickwireClient connect() {
        client = TickwireClient.builder(server.uri())
                .credentials(Credentials.token(ServerFixture.ALICE))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .onBook(views::add)
                .onBookResync(resyncs::add)
                .onGap(gaps::add)
                .onBar(bars::add)
                .inboundFrames(frame -> link.apply(frame))
                .build();
        client.connect().join();
        return client;
    }

    /** Publishes one book update ({bid ? 0 : 1, price, size} changes) and records the true book after it. */
    private long publish(boolean replace, List<long[]> changes) {
        if (replace) {
            book.bids.clear();
            book.asks.clear();
        }
        for (long[] c : changes) {
            book.set(c[0] == 0, c[1], c[2]);
        }
        history.put(++seq, book.copy());
        server.book(SYMBOL, replace, changes);
        return seq;
    }

    private static long[] bid(long price, long size) {
        return new long[] {0, price, size};
    }

    private static long[] ask(long price, long size) {
        return new long[] {1, price, size};
    }

    /** Waits until the client's book is exact at {@code expectedSeq} and checks it against the truth. */
    private BookView awaitConverged(long expectedSeq, int depth) {
        await().atMost(WAIT).until(() -> {
            BookView v = client.book(SYMBOL);
            return v != null && v.inSync() && v.seq() == expectedSeq && v.depth() == depth;
        });
        BookView v = client.book(SYMBOL);
        assertThat(v.bids()).isEqualTo(history.get(expectedSeq).topBids(depth));
        assertThat(v.asks()).isEqualTo(history.get(expectedSeq).topAsks(depth));
        return v;
    }

    /** Every view the client published as in sync equals the true top at its sequence number. */
    private void assertNeverSilentlyWrong() {
        assertThat(views).isNotEmpty();
        for (BookView v : views) {
            if (v.inSync()) {
                ReferenceBook truth = history.get(v.seq());
                assertThat(truth).as("a view of a published update: %s", v).isNotNull();
                assertThat(v.bids()).as("bids of %s", v).isEqualTo(truth.topBids(v.depth()));
                assertThat(v.asks()).as("asks of %s", v).isEqualTo(truth.topAsks(v.depth()));
            }
        }
    }

    private static boolean isBookChange(String frame) {
        return frame.startsWith("{\"type\":\"book\"") && !frame.contains("\"snapshot\":true");
    }

    private static long seqOf(String frame) {
        Matcher m = SEQ.matcher(frame);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void aClientThatLosesBookMessagesDetectsTheGapResynchronisesAndConvergesToTheServersBook() {
        server = ServerFixture.start();
        connect();
        AtomicInteger dropped = new AtomicInteger();
        RandomCases.check(3, BookTest::randomCase, c -> {
            SubscriptionResult result = client.subscribe(List.of(SYMBOL), SubscribeOptions.defaults().withDepth(c.depth),
                    Channel.BOOK).join();
            assertThat(result.accepted()).containsExactly(new Subscription(SYMBOL, Channel.BOOK, c.depth, Duration.ZERO,
                    null, null));
            publish(true, List.of(bid(100_00, 1_000_000), ask(100_01, 1_000_000)));
            resyncs.clear();
            int droppedBefore = dropped.get();
            // a lossy link for the case's updates: decided by sequence number, so the last update is never lost
            long lossyFrom = seq + 1;
            long lossyTo = seq + c.updates.size();
            SplittableRandom loss = new SplittableRandom(c.lossSeed);
            link = frame -> {
                long n = isBookChange(frame) ? seqOf(frame) : -1;
                if (n >= lossyFrom && n <= lossyTo && loss.nextInt(5) == 0) {
                    dropped.incrementAndGet();
                    return null;
                }
                return frame;
            };
            for (List<long[]> update : c.updates) {
                publish(false, update);
            }
            long last = publish(false, List.of(bid(100_00, 7_777_777 + lossyTo))); // changes the top: always sent

            awaitConverged(last, c.depth);
            assertThat(dropped.get()).as("frames dropped in this case").isGreaterThan(droppedBefore);
            assertThat(resyncs).as("the losses were noticed").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.reason()).isEqualTo(BookResync.Reason.SEQUENCE_GAP));
            assertNeverSilentlyWrong();
        });
        assertThat(gaps).allSatisfy(g -> assertThat(g.channel()).isEqualTo(Channel.BOOK)).isNotEmpty();
    }

    @Test
    void aCorruptedBookMessageFailsItsChecksumAndTheBookResynchronises() {
        server = ServerFixture.start();
        connect();
        client.subscribe(List.of(SYMBOL), SubscribeOptions.defaults().withDepth(5), Channel.BOOK).join();
        publish(true, List.of(bid(100_00, 1_000_000), bid(99_00, 2_000_000), ask(101_00, 1_000_000)));
        awaitConverged(seq, 5);
        AtomicInteger corrupted = new AtomicInteger();
        link = frame -> {
            Matcher m = FIRST_BID_SIZE.matcher(frame);
            if (isBookChange(frame) && corrupted.get() == 0 && m.find()) {
                corrupted.incrementAndGet();
                int digit = m.group(2).charAt(0) - '0';
                return m.replaceFirst("$1" + (digit + 1) % 10 + "]");
            }
            return frame;
        };

        publish(false, List.of(bid(99_50, 3_000_000)));
        long last = publish(false, List.of(ask(100_50, 4_000_000)));

        awaitConverged(last, 5);
        assertThat(corrupted.get()).isOne();
        assertThat(resyncs).singleElement().satisfies(r -> {
            assertThat(r.symbol()).isEqualTo(SYMBOL);
            assertThat(r.reason()).isEqualTo(BookResync.Reason.CHECKSUM_MISMATCH);
        });
        assertNeverSilentlyWrong();
        assertThat(views).filteredOn(v -> !v.inSync()).isNotEmpty();
    }

    @Test
    void theServersGapMessageReachesTheGapListenerAndTheBookComesBackFromTheServersSnapshot() throws Exception {
        server = ServerFixture.startWithSmallOutbox(1_024);
        connect();
        client.subscribe(List.of(SYMBOL), SubscribeOptions.defaults().withDepth(3), Channel.BOOK).join();
        publish(true, List.of(bid(100_00, 1), ask(200_00, 1)));
        awaitConverged(seq, 3);

        // stall the server's only event loop so the engine overflows its outbox and loses updates
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.server().fanOut().outbox(0).loop().execute(() -> {
            stalled.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 3_000; i++) {
            publish(false, List.of(bid(100_00, 1 + i)));
        }
        await().atMost(WAIT).until(() -> server.server().fanOut().overflows() > 0);
        release.countDown();

        awaitConverged(seq, 3);
        await().atMost(WAIT).until(() -> gaps.contains(new Gap(SYMBOL, Channel.BOOK, null, null, -1, -1)));
        assertThat(gaps).filteredOn(Gap::announced).allSatisfy(g -> assertThat(g.missed()).isZero());
        // the server may deliver updates after the hole before its gap message: the client then sees the gap itself
        assertThat(resyncs).extracting(BookResync::reason).isNotEmpty()
                .containsAnyOf(BookResync.Reason.SERVER_GAP, BookResync.Reason.SEQUENCE_GAP)
                .doesNotContain(BookResync.Reason.CHECKSUM_MISMATCH);
        assertNeverSilentlyWrong();
    }

    @Test
    void afterAServerRestartTheBookAndBarsComeBackWithTheirOptions() {
        server = ServerFixture.start();
        connect();
        client.subscribe(List.of(SYMBOL), SubscribeOptions.defaults().withDepth(2), Channel.BOOK).join();
        client.subscribe(List.of(SYMBOL), SubscribeOptions.defaults().withPeriods(Periodicity.M5), Channel.BAR).join();
        publish(true, List.of(bid(100_00, 1_000_000), bid(99_00, 1_000_000), bid(98_00, 1_000_000), ask(101_00, 1)));
        awaitConverged(seq, 2);

        server.restart(); // a new engine: empty books, numbering from 1 again
        await().atMost(WAIT).until(() -> resyncs.stream().anyMatch(r -> r.reason() == BookResync.Reason.CONNECTION_LOST));
        // the resubscription's snapshot: the new engine's empty book
        await().atMost(WAIT).until(() -> client.book(SYMBOL).inSync() && client.book(SYMBOL).bids().isEmpty());
        assertThat(views).anySatisfy(v -> {
            assertThat(v.inSync()).isFalse();
            assertThat(v.bids()).as("the last exact levels, marked out of sync").hasSize(2);
        });

        seq = 0;
        long last = publish(true, List.of(bid(50_00, 1_000_000), bid(49_00, 1_000_000), bid(48_00, 1_000_000)));
        BookView v = awaitConverged(last, 2);
        assertThat(v.bids()).hasSize(2);
        server.trade(SYMBOL, 50_01);
        await().atMost(WAIT).until(() -> !bars.isEmpty());
        assertThat(bars).allSatisfy(b -> {
            assertThat(b.period()).as("restored with its period").isEqualTo(Periodicity.M5);
            assertThat(b.priceType()).isEqualTo(PriceType.LAST);
        });
    }

    @Test
    void resubscribingWithAnotherDepthReplacesTheBookAndUnsubscribingForgetsIt() {
        server = ServerFixture.start();
        connect();
        List<long[]> levels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            levels.add(bid(100_00 - i * 100, 1_000_000 + i));
            levels.add(ask(101_00 + i * 100, 2_000_000 + i));
        }
        publish(true, levels);
        client.subscribe(List.of(SYMBOL), SubscribeOptions.defaults().withDepth(5), Channel.BOOK).join();
        awaitConverged(seq, 5);
        assertThat(client.book(SYMBOL).asks()).hasSize(5);

        client.subscribe(List.of(SYMBOL), SubscribeOptions.defaults().withDepth(2), Channel.BOOK).join();
        awaitConverged(seq, 2);
        long last = publish(false, List.of(bid(100_00, 0)));
        assertThat(awaitConverged(last, 2).bids()).extracting(BookLevel::price)
                .containsExactly(new java.math.BigDecimal("99.00"), new java.math.BigDecimal("98.00"));
        assertThat(resyncs).isEmpty();

        client.unsubscribe(List.of(SYMBOL), Channel.BOOK).join();
        assertThat(client.book(SYMBOL)).isNull();
        assertNeverSilentlyWrong();
    }

    @Test
    void optionsTheServerWouldRefuseFailAtOnce() {
        assertThatThrownBy(() -> SubscribeOptions.defaults().withThrottle(Duration.ofMillis(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("500");
        assertThatThrownBy(() -> SubscribeOptions.defaults().withDepth(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscribeOptions.defaults().withDepth(SubscribeOptions.MAX_DEPTH + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscribeOptions.defaults().withPeriods()).isInstanceOf(IllegalArgumentException.class);
        assertThat(SubscribeOptions.defaults().withThrottle(Duration.ofSeconds(64)).throttle()).hasSeconds(64);
    }

    /** A depth, the seed of the frames to lose, and book updates that never cross. */
    private record Case(int depth, long lossSeed, List<List<long[]>> updates) {
        @Override
        public String toString() {
            return "depth " + depth + ", loss seed " + lossSeed + ", " + updates.size() + " updates";
        }
    }

    private static Case randomCase(SplittableRandom random) {
        int depth = 1 + random.nextInt(8);
        List<List<long[]>> updates = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            List<long[]> update = new ArrayList<>();
            int changes = 1 + random.nextInt(3);
            for (int j = 0; j < changes; j++) {
                boolean isBid = random.nextBoolean();
                long price = isBid ? 100_00 - random.nextInt(15) : 100_01 + random.nextInt(15);
                long size = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 5_000_000);
                update.add(new long[] {isBid ? 0 : 1, price, size});
            }
            updates.add(update);
        }
        return new Case(depth, random.nextLong(), updates);
    }
}
