package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.engine.ingest.Numbering;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic failover's two halves on a real broker: the election ({@link IngestElection}) and the
 * fence that keeps a deposed ingest node, still appending, from reaching any reader
 * ({@link Leadership} marks, {@link LeaderFence}).
 */
class IngestFailoverTest {

    private static final InstrumentCatalog CATALOG = InstrumentCatalog.of(List.of(
            new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, null, "X", "USD", 2, 4, 20),
            new Instrument(0, "ETHUSDT", AssetClass.CRYPTO, null, "X", "USD", 2, 4, 20)));
    private static final Duration TIMEOUT = Duration.ofSeconds(6);

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    private static int topics;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void whatADeposedNodeAppendsAfterItsSuccessorsMarkReachesNoReaderNorTheSuccessorsNumbers() throws Exception {
        KafkaSettings settings = settings();
        long now = Clock.system().epochMicros();
        List<MarketEvent> early = new CopyOnWriteArrayList<>();
        try (EventLog deposed = new EventLog(settings, CATALOG, 1_000);
             ClusterFeed reader = new ClusterFeed(settings, CATALOG, early::add, Clock.system())) {
            for (int i = 1; i <= 5; i++) {
                deposed.onEvent(trade(i, now + i, 100));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> early.size() == 5);
            assertThat(deposed.leadership().term()).isEqualTo(1);
            try (EventLog successor = new EventLog(settings, CATALOG, 2_000)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> successor.leadership() != null); // marked
                assertThat(successor.leadership().term()).as("the term after the last one").isEqualTo(2);
                for (int i = 50; i <= 52; i++) { // the deposed node has not noticed: it numbers on, far ahead
                    deposed.onEvent(trade(i, now + i, 666));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> deposed.acknowledged() >= 8);
                Numbering topic = TopicNumbers.read(settings, CATALOG, Duration.ofSeconds(30));
                assertThat(topic.lastSeq(0, Channel.TRADE)).as("the deposed node's late numbers are not the topic's")
                        .isEqualTo(5);
                for (int i = 6; i <= 10; i++) {
                    successor.onEvent(trade(i, now + 100 + i, 200));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> early.size() == 10);
                List<MarketEvent> late = new CopyOnWriteArrayList<>();
                try (ClusterFeed lateReader = new ClusterFeed(settings, CATALOG, late::add, Clock.system())) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> late.size() == 10);
                    await().atMost(Duration.ofSeconds(30)).until(() -> lateReader.fenced() == 3);
                    assertThat(late).containsExactlyElementsOf(early);
                    assertThat(lateReader.leadership()).isEqualTo(successor.leadership());
                }
            }
            assertThat(early).extracting(MarketEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(early).noneMatch(e -> ((Trade) e).price() == 666);
            assertThat(reader.fenced()).isEqualTo(3);
            assertThat(reader.numberingRestarts()).isZero();
        }
    }

    @Test
    void aReaderWhoseLookbackBeginsAfterTheMarkIsFencedFromTheLeaderTopicsLastTerm() throws Exception {
        KafkaSettings twoSeconds = new KafkaSettings(broker.bootstrapServers(), "tickwire.failover." + (++topics), 3,
                (short) 1, Duration.ofHours(1), Duration.ofSeconds(2), 1 << 16);
        long now = Clock.system().epochMicros();
        try (EventLog deposed = new EventLog(twoSeconds, CATALOG, 1_000)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> deposed.leadership() != null);
            try (EventLog successor = new EventLog(twoSeconds, CATALOG, 2_000)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> successor.leadership() != null);
                long marked = System.currentTimeMillis();
                // the marks age out of the reader's 2 s lookback: it never reads them
                await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() - marked > 3_000);
                List<MarketEvent> read = new CopyOnWriteArrayList<>();
                try (ClusterFeed reader = new ClusterFeed(twoSeconds, CATALOG, read::add, Clock.system())) {
                    assertThat(reader.awaitCaughtUp(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                    assertThat(reader.leadership()).isEqualTo(successor.leadership());
                    for (int i = 1; i <= 3; i++) {
                        deposed.onEvent(trade(i, now + i, 666));
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> deposed.acknowledged() >= 3);
                    for (int i = 1; i <= 2; i++) {
                        successor.onEvent(trade(i, now + 10 + i, 200));
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 2 && reader.fenced() == 3);
                    assertThat(read).allMatch(e -> ((Trade) e).price() == 200);
                }
            }
        }
    }

    @Test
    void aReaderStartingBetweenAnOlderTermsMarkAndTheLastOnesIsFencedFromTheOlderTerm() throws Exception {
        KafkaSettings settings = settings();
        long now = Clock.system().epochMicros();
        try (EventLog deposed = new EventLog(settings, CATALOG, 1_000)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> deposed.leadership() != null);
            try (EventLog successor = new EventLog(settings, CATALOG, 2_000)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> successor.leadership() != null);
                // the readers below start here: after term 2's marks, before what follows
                long start = System.currentTimeMillis() + 250;
                await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > start + 250);
                for (int i = 50; i <= 52; i++) { // deposed in term 2, it has not noticed
                    deposed.onEvent(trade(i, now + i, 666));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> deposed.acknowledged() >= 3);
                try (EventLog third = new EventLog(settings, CATALOG, 3_000)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> third.leadership() != null);
                    assertThat(third.leadership().term()).isEqualTo(3);
                    for (int i = 1; i <= 2; i++) {
                        third.onEvent(trade(i, now + 100 + i, 300));
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> third.acknowledged() >= 2);
                    // the last term's marks lie after where the readers start, term 2's before
                    assertThat(TopicNumbers.read(settings, CATALOG, Duration.ofSeconds(30), start).lastSeq(0, Channel.TRADE))
                            .as("the deposed node's numbers after term 2's mark are not the topic's").isEqualTo(2);
                    List<MarketEvent> read = new CopyOnWriteArrayList<>();
                    try (ClusterFeed reader = new ClusterFeed(settings, CATALOG, read::add,
                            startingAt(start, settings.lookback()))) {
                        // the five records after where it starts: each either read or fenced
                        await().atMost(Duration.ofSeconds(30)).until(() -> read.size() + reader.fenced() >= 5);
                        assertThat(read).extracting(e -> ((Trade) e).price()).containsExactly(300L, 300L);
                        assertThat(reader.fenced()).isEqualTo(3);
                        assertThat(reader.leadership()).isEqualTo(third.leadership());
                    }
                }
            }
        }
    }

    @Test
    void partitionsAddedWhileAReaderRunsAreFencedAsAReaderStartingThenWouldFenceThem() throws Exception {
        KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), "tickwire.failover." + (++topics), 2,
                (short) 1, Duration.ofHours(1), Duration.ofMinutes(1), 1 << 16, java.util.Map.of("metadata.max.age.ms", "1000"));
        long now = Clock.system().epochMicros();
        try (EventLog deposed = new EventLog(settings, CATALOG, 1_000)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> deposed.leadership() != null);
            try (EventLog current = new EventLog(settings, CATALOG, 2_000)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> current.leadership() != null);
                List<MarketEvent> running = new CopyOnWriteArrayList<>();
                try (ClusterFeed reader = new ClusterFeed(settings, CATALOG, running::add, Clock.system());
                     org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                             java.util.Map.of("bootstrap.servers", broker.bootstrapServers()));
                     org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> raw =
                             new org.apache.kafka.clients.producer.KafkaProducer<>(java.util.Map.of(
                                     "bootstrap.servers", broker.bootstrapServers(),
                                     "key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class,
                                     "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class))) {
                    assertThat(reader.awaitCaughtUp(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                    admin.createPartitions(java.util.Map.of(settings.topic(),
                            org.apache.kafka.clients.admin.NewPartitions.increaseTo(4))).all().get();
                    // neither term knew partitions 2 and 3: what is there is the current term's, or a deposed node's
                    byte[] key = "BTCUSDT".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    for (int partition = 2; partition <= 3; partition++) {
                        raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(settings.topic(), partition, key,
                                EventRecords.encode(trade(partition, now + partition, 666), 1_000))).get();
                        raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(settings.topic(), partition, key,
                                EventRecords.encode(trade(partition, now + partition, 200), 2_000))).get();
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> running.size() + reader.fenced() >= 4);
                    List<MarketEvent> starting = new CopyOnWriteArrayList<>();
                    try (ClusterFeed late = new ClusterFeed(settings, CATALOG, starting::add, Clock.system())) {
                        assertThat(late.awaitCaughtUp(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                        assertThat(starting).extracting(e -> ((Trade) e).price()).containsExactly(200L, 200L);
                    }
                    assertThat(running).as("the running reader takes what the starting one takes")
                            .extracting(e -> ((Trade) e).price()).containsExactly(200L, 200L);
                    assertThat(reader.fenced()).isEqualTo(2);
                }
            }
        }
    }

    /** A clock stopped where a reader with {@code lookback} starts reading at {@code startMillis}. */
    private static Clock startingAt(long startMillis, Duration lookback) {
        return new Clock() {
            @Override
            public long epochMicros() {
                return (startMillis + lookback.toMillis()) * 1_000;
            }

            @Override
            public long monotonicNanos() {
                return System.nanoTime();
            }
        };
    }

    @Test
    void aClaimByANodeTheElectionGroupHasMovedOnFromIsRefusedSoItNeverOutranksItsSuccessor() throws Exception {
        KafkaSettings settings = settings();
        AtomicInteger asked = new AtomicInteger();
        try (IngestElection first = new IngestElection(settings, TIMEOUT, listener(new AtomicInteger(), new AtomicInteger()));
             IngestElection second = new IngestElection(settings, TIMEOUT, listener(new AtomicInteger(), new AtomicInteger()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.elected() || second.elected());
            IngestElection deposed = first.elected() ? first : second;
            IngestElection successor = first.elected() ? second : first;
            await().atMost(Duration.ofSeconds(30)).until(() -> deposed.office() != null);
            ConsumerGroupMetadata stale = deposed.office(); // what a node paused right now last saw
            deposed.close();
            await().atMost(Duration.ofSeconds(30)).until(successor::elected);
            long now = Clock.system().epochMicros();
            List<MarketEvent> read = new CopyOnWriteArrayList<>();
            try (EventLog current = new EventLog(settings, CATALOG, 2_000, successor);
                 ClusterFeed reader = new ClusterFeed(settings, CATALOG, read::add, Clock.system())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> current.leadership() != null);
                // the paused node wakes and claims, still believing it is elected
                Office paused = new Office() {
                    @Override
                    public boolean elected() {
                        return true;
                    }

                    @Override
                    public ConsumerGroupMetadata office() {
                        asked.incrementAndGet();
                        return stale;
                    }
                };
                try (EventLog late = new EventLog(settings, CATALOG, 3_000, paused)) {
                    late.onEvent(trade(1, now + 1, 666));
                    // refused, retried, refused (or, were it not refused, claimed at once)
                    await().atMost(Duration.ofSeconds(60)).until(() -> asked.get() >= 3 || late.leadership() != null);
                    current.onEvent(trade(1, now + 2, 200));
                    await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 1);
                    assertThat(late.leadership()).as("its claim was refused").isNull();
                    assertThat(late.sent()).as("an unclaimed log appends nothing").isZero();
                    assertThat(((Trade) read.getFirst()).price()).isEqualTo(200);
                    assertThat(reader.leadership()).isEqualTo(current.leadership());
                    assertThat(ClusterTopics.lastTerm(settings, Duration.ofSeconds(10)).leadership())
                            .isEqualTo(current.leadership());
                }
            }
        }
    }

    @Test
    void oneCandidateIsElectedAJoiningOneDoesNotDeposeItAndTheOtherTakesOverWhenItLeaves() {
        KafkaSettings settings = settings();
        AtomicInteger firstElected = new AtomicInteger();
        AtomicInteger firstDeposed = new AtomicInteger();
        AtomicInteger secondElected = new AtomicInteger();
        try (IngestElection first = new IngestElection(settings, TIMEOUT, listener(firstElected, firstDeposed))) {
            await().atMost(Duration.ofSeconds(30)).until(first::elected);
            await().atMost(Duration.ofSeconds(30)).until(first::sure);
            first.polled(System.nanoTime() + TIMEOUT.toNanos() / 2); // as if its thread had stalled that long
            assertThat(first.sure()).as("a stalled election is not sure it still holds the office").isFalse();
            assertThat(first.elected()).isTrue();
            await().atMost(TIMEOUT.multipliedBy(2)).until(first::sure); // sure again after half the timeout of polls
            try (IngestElection second = new IngestElection(settings, TIMEOUT, listener(secondElected, new AtomicInteger()))) {
                // the second has joined once the group's generation moved on: the first stays elected
                await().atMost(Duration.ofSeconds(30)).until(() -> generationOf(settings) >= 2);
                assertThat(first.elected()).isTrue();
                assertThat(second.elected()).isFalse();
                first.close();
                await().atMost(Duration.ofSeconds(30)).until(second::elected);
                assertThat(firstDeposed.get()).isEqualTo(1);
                assertThat(secondElected.get()).isEqualTo(1);
            }
        }
        assertThat(firstElected.get()).isEqualTo(1);
    }

    private static int generationOf(KafkaSettings settings) {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers",
                settings.bootstrapServers()))) {
            var group = admin.describeConsumerGroups(List.of(settings.topic() + ".ingest")).all().get()
                    .get(settings.topic() + ".ingest");
            return group.members().size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static IngestElection.Listener listener(AtomicInteger elected, AtomicInteger deposed) {
        return new IngestElection.Listener() {
            @Override
            public void elected(int generation) {
                elected.incrementAndGet();
            }

            @Override
            public void deposed() {
                deposed.incrementAndGet();
            }
        };
    }

    private static Trade trade(long seq, long time, long price) {
        return new Trade(0, seq, time, price, 1, Side.BUY, seq);
    }

    private static KafkaSettings settings() {
        return new KafkaSettings(broker.bootstrapServers(), "tickwire.failover." + (++topics), 3, (short) 1,
                Duration.ofHours(1), Duration.ofMinutes(1), 1 << 16);
    }
}
