package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.engine.ingest.Receipt;
import io.tickwire.model.AssetClass;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.KafkaBroker;
import io.tickwire.testkit.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest node's {@link EventLog} and the gateway's {@link ClusterFeed} through a real Kafka broker. */
class KafkaBusTest {

    private static final long EPOCH = 1_765_000_000_000_000L;
    private static final InstrumentCatalog CATALOG = catalog("BTCUSDT", "ETHUSDT", "AAPL");

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
    void aGatewayReceivesEveryEventInOrderWithTheIngestNodesNumbers() throws Exception {
        KafkaSettings settings = settings(Duration.ofMinutes(1));
        List<MarketEvent> written = new ArrayList<>();
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        try (EventLog log = new EventLog(settings, CATALOG, EPOCH);
             ClusterFeed feed = new ClusterFeed(settings, CATALOG, read::add, Clock.system())) {
            long now = Clock.system().epochMicros();
            for (int i = 1; i <= 3_000; i++) {
                MarketEvent event = i % 2 == 0
                        ? new Trade(i % 3, i, now + i, 100 + i, 1, Side.BUY, i)
                        : new Quote(i % 3, i, now + i, 100, 1, 101, 1, 100, i);
                written.add(event);
                log.onEvent(event);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == written.size());
            assertEachInstrumentInOrder(read, written); // instruments interleave
            assertThat(feed.ingestEpoch()).isEqualTo(EPOCH);
            assertThat(log.dropped()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> log.acknowledged() == written.size());
        }
    }

    @Test
    void aGatewayStartingLateFillsItsBooksFromThePicturesAndItsLastValuesFromTheLookback() throws Exception {
        KafkaSettings settings = settings(Duration.ofMinutes(1));
        long now = Clock.system().epochMicros();
        try (EventLog log = new EventLog(settings, CATALOG, EPOCH)) {
            log.onEvent(change(0, 1, now, 100, 5));
            log.onEvent(change(0, 2, now + 1, 99, 3));
            log.onBookSnapshot(new BookSnapshot(0, 2, now + 1, new long[] {100, 99}, new long[] {5, 3}, new long[0], new long[0]));
            log.onEvent(change(0, 3, now + 2, 98, 1));
            log.onEvent(new Quote(1, 41, now + 3, 10, 1, 11, 1, 10, 7));
            await().atMost(Duration.ofSeconds(30)).until(() -> log.acknowledged() == 5);
        }
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        try (ClusterFeed feed = new ClusterFeed(settings, CATALOG, read::add, Clock.system())) {
            assertThat(feed.awaitCaughtUp(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> read.size() == 3);
            BookUpdate picture = (BookUpdate) read.get(0);
            assertThat(picture.replace()).isTrue();
            assertThat(picture.size()).isEqualTo(2);
            assertThat(picture.seq()).as("the gateway numbers books itself").isZero();
            assertThat(((BookUpdate) read.get(1)).price(0)).isEqualTo(98);
            assertThat(read.get(2)).isEqualTo(new Quote(1, 41, now + 3, 10, 1, 11, 1, 10, 7));
        }
    }

    @Test
    void partitionsAddedToALiveTopicAreReadFromTheirStart() throws Exception {
        String[] symbols = new String[24];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = "SYM" + i;
        }
        InstrumentCatalog many = catalog(symbols);
        KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), "tickwire.test." + (++topics), 2, (short) 1,
                Duration.ofHours(1), Duration.ofMinutes(1), 1 << 16, Map.of("metadata.max.age.ms", "1000"));
        long moved = java.util.Arrays.stream(symbols).filter(symbol -> partitionOf(symbol, 6) >= 2).count();
        assertThat(moved).as("instruments the new partitions take over").isPositive();
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        long now = Clock.system().epochMicros();
        try (ClusterFeed feed = new ClusterFeed(settings, many, read::add, Clock.system())) {
            try (EventLog log = new EventLog(settings, many, EPOCH)) {
                for (int id = 0; id < many.size(); id++) {
                    log.onEvent(new Trade(id, 1, now, 100, 1, Side.BUY, 1));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == many.size());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createPartitions(Map.of(settings.topic(), NewPartitions.increaseTo(6))).all().get(30, TimeUnit.SECONDS);
            }
            try (EventLog log = new EventLog(settings, many, EPOCH + 1)) { // its producer knows the six partitions
                for (int id = 0; id < many.size(); id++) {
                    log.onEvent(new Trade(id, 2, now + 1, 101, 1, Side.BUY, 2));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 2 * many.size());
            }
            for (int id = 0; id < many.size(); id++) {
                int instrument = id;
                assertThat(read.stream().filter(e -> e.instrumentId() == instrument).map(MarketEvent::seq).toList())
                        .as(symbols[id]).containsExactly(1L, 2L);
            }
        }
    }

    @Test
    void readersNeverCreateTheTopicSoTheIngestNodeCreatesItWithItsPartitions() throws Exception {
        KafkaSettings settings = settings(Duration.ofMinutes(1)); // 3 partitions; the broker would create 1
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        try (ClusterFeed feed = new ClusterFeed(settings, CATALOG, read::add, Clock.system());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(feed::waitingForTopic);
            assertThat(TopicNumbers.read(settings, CATALOG, Duration.ofSeconds(5)).lastSeq(0, Channel.TRADE)).isZero();
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(settings.topic());
            try (EventLog log = new EventLog(settings, CATALOG, EPOCH)) {
                log.onEvent(new Trade(0, 1, Clock.system().epochMicros(), 100, 1, Side.BUY, 1));
                await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 1);
            }
            assertThat(admin.describeTopics(List.of(settings.topic())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(settings.topic()).partitions()).hasSize(3);
        }
    }

    @Test
    void theTopicsLastNumbersAreWhatAStartingIngestNodeNumbersFromAtLeast() {
        KafkaSettings settings = settings(Duration.ofMinutes(1));
        long now = Clock.system().epochMicros();
        try (EventLog log = new EventLog(settings, CATALOG, EPOCH)) {
            for (int i = 1; i <= 50; i++) {
                log.onEvent(new Trade(0, i, now + i, 100, 1, Side.BUY, 1_000 + i));
            }
            for (int i = 1; i <= 7; i++) {
                log.onEvent(new Quote(1, i, now + i, 10, 1, 11, 1, 10, 5));
            }
            log.onEvent(new Quote(1, 3, now, 10, 1, 11, 1, 10, 5)); // lower numbers later change nothing
            // an instrument quiet for longer than the lookback: only its state, appended every half lookback, says
            log.onInstrumentState(new io.tickwire.engine.InstrumentState(2, null, null, 900, 5_000, 33));
            await().atMost(Duration.ofSeconds(30)).until(() -> log.acknowledged() == 59);
        }
        var numbers = TopicNumbers.read(settings, CATALOG, Duration.ofSeconds(30));
        assertThat(numbers.lastSeq(0, Channel.TRADE)).isEqualTo(50);
        assertThat(numbers.lastTradeId(0)).isEqualTo(1_050);
        assertThat(numbers.lastSeq(1, Channel.QUOTE)).isEqualTo(7);
        assertThat(numbers.lastSeq(2, Channel.TRADE)).isEqualTo(900);
        assertThat(numbers.lastTradeId(2)).isEqualTo(5_000);
        assertThat(numbers.lastSeq(2, Channel.QUOTE)).isEqualTo(33);
    }

    /** The partition Kafka's default partitioner gives a key among {@code partitions}. */
    private static int partitionOf(String symbol, int partitions) {
        return Utils.toPositive(Utils.murmur2(bytes(symbol))) % partitions;
    }

    @Test
    void whileKafkaIsDownTheIngestNodeHoldsItsEventsAndDeliversThemAllWhenItReturns() throws Exception {
        KafkaSettings settings = settings(Duration.ofMinutes(1));
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        try (EventLog log = new EventLog(settings, CATALOG, EPOCH);
             ClusterFeed feed = new ClusterFeed(settings, CATALOG, read::add, Clock.system())) {
            long now = Clock.system().epochMicros();
            log.onEvent(new Trade(0, 1, now, 100, 1, Side.SELL, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 1);
            broker.stop();
            try {
                for (int i = 2; i <= 500; i++) {
                    log.onEvent(new Trade(0, i, now + i, 100, 1, Side.SELL, i));
                }
            } finally {
                broker.start();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == 500);
            for (int i = 0; i < 500; i++) {
                assertThat(read.get(i).seq()).isEqualTo(i + 1);
            }
            assertThat(log.dropped()).isZero();
            assertThat(feed.duplicates()).isZero();
        }
    }

    @Test
    void aReceiptBehindTheIngestNodesEventsIsReleasedOnlyOnceKafkaHasEveryRecordBeforeIt() throws Exception {
        KafkaSettings direct = settings(Duration.ofMinutes(1));
        KafkaSettings proxied = new KafkaSettings(broker.proxiedBootstrapServers(), direct.topic(), direct.partitions(),
                direct.replicationFactor(), direct.retention(), direct.lookback(), direct.queueCapacity());
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        List<String> settled = new CopyOnWriteArrayList<>();
        try (EventLog log = new EventLog(proxied, CATALOG, EPOCH);
             ClusterFeed feed = new ClusterFeed(direct, CATALOG, read::add, Clock.system())) {
            long now = Clock.system().epochMicros();
            Receipt first = new Receipt(log::losses, outcome -> settled.add("first " + outcome + " at " + log.answeredWatermark()));
            log.onEvent(new Trade(0, 1, now, 100, 1, Side.SELL, 1));
            log.onReceipt(first);
            first.release(); // the partition's hold
            await().atMost(Duration.ofSeconds(30)).until(() -> settled.size() == 1);
            assertThat(settled).containsExactly("first KEPT at 1");

            // the ingest node's link to Kafka goes silent: the producer still takes records, Kafka answers none
            broker.proxy().freeze();
            try {
                Receipt second = new Receipt(log::losses, outcome -> settled.add("second " + outcome + " at " + log.answeredWatermark()));
                for (int i = 2; i <= 300; i++) { // all three instruments: every partition of the topic
                    log.onEvent(new Trade(i % 3, i, now + i, 100, 1, Side.SELL, i));
                }
                log.onReceipt(second);
                second.release();
                await().atMost(Duration.ofSeconds(30)).until(() -> log.queued() == 0); // handed to the producer
                assertThat(settled).as("Kafka silent: nothing after the first receipt is kept yet").hasSize(1);
                assertThat(log.answeredWatermark()).isEqualTo(1);
            } finally {
                broker.proxy().unfreeze();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> settled.size() == 2);
            assertThat(settled.get(1)).isEqualTo("second KEPT at 300");
            await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == 300);
            assertThat(log.losses()).isZero();
        }
    }

    @Test
    void aProducerThatFailsIsReplacedAndTheRecordItCouldNotTakeGoesToTheNextInItsPlace() throws Exception {
        KafkaSettings plain = settings(Duration.ofMinutes(1));
        KafkaSettings failing = new KafkaSettings(plain.bootstrapServers(), plain.topic(), plain.partitions(),
                plain.replicationFactor(), plain.retention(), plain.lookback(), plain.queueCapacity(),
                Map.of("partitioner.class", FailingOncePartitioner.class.getName()));
        List<MarketEvent> written = new ArrayList<>();
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        FailingOncePartitioner.arm(100);
        try (EventLog log = new EventLog(failing, CATALOG, EPOCH);
             ClusterFeed feed = new ClusterFeed(plain, CATALOG, read::add, Clock.system())) {
            long now = Clock.system().epochMicros();
            for (int i = 1; i <= 600; i++) {
                MarketEvent event = new Trade(i % 3, i, now + i, 100 + i, 1, Side.BUY, i);
                written.add(event);
                log.onEvent(event);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> read.size() == written.size());
            assertThat(FailingOncePartitioner.failed()).as("the producer failed on a record").isTrue();
            assertEachInstrumentInOrder(read, written); // nothing lost, repeated or reordered by the replacement
            assertThat(log.dropped()).isZero();
            assertThat(log.losses()).isZero();
            assertThat(feed.duplicates()).isZero();
        } finally {
            FailingOncePartitioner.arm(Integer.MAX_VALUE);
        }
    }

    @Test
    void aReceiptBehindARecordKafkaRefusesIsLostAndTheLogGoesOn() throws Exception {
        KafkaSettings settings = settings(Duration.ofMinutes(1));
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        List<Receipt.Outcome> outcomes = new CopyOnWriteArrayList<>();
        try (EventLog log = new EventLog(settings, CATALOG, EPOCH);
             ClusterFeed feed = new ClusterFeed(settings, CATALOG, read::add, Clock.system())) {
            long now = Clock.system().epochMicros();
            log.onEvent(new Trade(0, 1, now, 100, 1, Side.SELL, 1)); // the topic made and the term claimed
            await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 1);

            maxMessageBytes(settings.topic(), 1); // the broker now refuses every record, for good
            Receipt receipt = new Receipt(log::losses, outcomes::add);
            log.onEvent(new Trade(0, 2, now + 2, 100, 1, Side.SELL, 2));
            log.onReceipt(receipt);
            receipt.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> !outcomes.isEmpty());
            assertThat(outcomes).containsExactly(Receipt.Outcome.LOST);
            assertThat(log.failed()).isPositive();

            maxMessageBytes(settings.topic(), 1_048_588); // Kafka's default again: the log still appends
            Receipt next = new Receipt(log::losses, outcomes::add);
            log.onEvent(new Trade(0, 3, now + 3, 100, 1, Side.SELL, 3));
            log.onReceipt(next);
            next.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);
            assertThat(outcomes).containsExactly(Receipt.Outcome.LOST, Receipt.Outcome.KEPT);
            await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 2);
            assertThat(read.get(1).seq()).isEqualTo(3);
        }
    }

    /** Sets the topic's {@code max.message.bytes}; below a record's size, waits until the broker refuses a probe. */
    private static void maxMessageBytes(String topic, int bytes) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            client.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", Integer.toString(bytes)), AlterConfigOp.OpType.SET))))
                    .all().get(10, TimeUnit.SECONDS);
        }
        Properties probe = new Properties();
        probe.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        probe.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        probe.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        probe.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000);
        probe.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        boolean refusing = bytes < 100;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(probe)) {
            // a probe is an unreadable record on the topic: readers skip it
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    producer.send(new ProducerRecord<>(topic, 0, null, bytes("probe"))).get();
                    return !refusing;
                } catch (java.util.concurrent.ExecutionException e) {
                    return refusing && e.getCause() instanceof RecordTooLargeException;
                }
            });
        }
    }

    @Test
    void aReceiptTheQueueHasNoRoomForIsLostAndSoIsOneAfterTheLogClosed() {
        KafkaSettings unreachable = new KafkaSettings("127.0.0.1:" + Ports.free(), "tickwire.test." + (++topics), 3, (short) 1,
                Duration.ofHours(1), Duration.ofMinutes(1), 1_024,
                Map.of("default.api.timeout.ms", "1000", "request.timeout.ms", "500"));
        List<Receipt.Outcome> outcomes = new CopyOnWriteArrayList<>();
        EventLog log = new EventLog(unreachable, CATALOG, EPOCH);
        try {
            long now = Clock.system().epochMicros();
            for (int i = 1; i <= 1_100; i++) { // nothing drains the queue: the topic cannot be created
                log.onEvent(new Trade(0, i, now + i, 100, 1, Side.SELL, i));
            }
            assertThat(log.dropped()).isEqualTo(1_100 - 1_024);
            Receipt receipt = new Receipt(log::losses, outcomes::add); // issued after the drops: only the full queue loses it
            log.onReceipt(receipt);
            receipt.release();
            assertThat(outcomes).containsExactly(Receipt.Outcome.LOST);
        } finally {
            log.close(Duration.ofMillis(100));
        }
        Receipt late = new Receipt(log::losses, outcomes::add);
        log.onReceipt(late);
        late.release();
        assertThat(outcomes).containsExactly(Receipt.Outcome.LOST, Receipt.Outcome.LOST);
    }

    @Test
    void unreadableRecordsAndUnknownSymbolsAreSkippedAndCountedAndTheRestStillArrives() throws Exception {
        KafkaSettings settings = settings(Duration.ofMinutes(1));
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        long now = Clock.system().epochMicros();
        try (EventLog log = new EventLog(settings, CATALOG, EPOCH);
             ClusterFeed feed = new ClusterFeed(settings, CATALOG, read::add, Clock.system())) {
            log.onEvent(new Trade(0, 1, now, 100, 1, Side.BUY, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 1);
            try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
                raw.send(new ProducerRecord<>(settings.topic(), bytes("BTCUSDT"), bytes("not a record"))).get();
                raw.send(new ProducerRecord<>(settings.topic(), bytes("NOPE\nforged log line"),
                        EventRecords.encode(new Trade(0, 2, now, 100, 1, Side.BUY, 2), EPOCH))).get();
                raw.send(new ProducerRecord<>(settings.topic(), bytes("BTCUSDT"),
                        EventRecords.encode(new Trade(0, 1, now, 100, 1, Side.BUY, 1), EPOCH))).get();
            }
            log.onEvent(new Trade(0, 2, now + 1, 101, 1, Side.BUY, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 2);
            assertThat(read.get(1).seq()).isEqualTo(2);
            assertThat(feed.malformed()).isEqualTo(1);
            assertThat(feed.unknownSymbols()).isEqualTo(1);
            assertThat(feed.duplicates()).as("the repeated trade 1").isEqualTo(1);
        }
    }

    @Test
    void numbersGoingBackUnderANewIngestRunArePassedOnAndCountedWhileRepeatsOfOneRunAreSkipped() throws Exception {
        KafkaSettings settings = settings(Duration.ofMinutes(1));
        List<MarketEvent> read = new CopyOnWriteArrayList<>();
        long now = Clock.system().epochMicros();
        try (ClusterFeed feed = new ClusterFeed(settings, CATALOG, read::add, Clock.system())) {
            EventLog first = new EventLog(settings, CATALOG, EPOCH);
            for (int i = 1; i <= 3; i++) {
                first.onEvent(new Trade(0, i, now + i, 100, 1, Side.BUY, i));
            }
            first.onEvent(new Trade(0, 2, now + 2, 100, 1, Side.BUY, 2)); // a repeat within the run
            first.close(); // at once, while it may still be creating the topic: it sends what it holds first
            assertThat(first.acknowledged()).isEqualTo(4);
            try (EventLog restartedWithoutStore = new EventLog(settings, CATALOG, EPOCH + 1)) {
                restartedWithoutStore.onEvent(new Trade(0, 1, now + 10, 100, 1, Side.BUY, 1));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> read.size() == 4);
            assertThat(read).extracting(MarketEvent::seq).containsExactly(1L, 2L, 3L, 1L);
            assertThat(feed.duplicates()).isEqualTo(1);
            assertThat(feed.numberingRestarts()).isEqualTo(1);
        }
    }

    /** Each instrument's records read are exactly those written, in their order. */
    private static void assertEachInstrumentInOrder(List<MarketEvent> read, List<MarketEvent> written) {
        for (int id = 0; id < CATALOG.size(); id++) {
            int instrument = id;
            assertThat(read.stream().filter(e -> e.instrumentId() == instrument).toList())
                    .containsExactlyElementsOf(written.stream().filter(e -> e.instrumentId() == instrument).toList());
        }
    }

        private static KafkaSettings settings(Duration lookback) {
        return new KafkaSettings(broker.bootstrapServers(), "tickwire.test." + (++topics), 3, (short) 1, Duration.ofHours(1),
                lookback, 1 << 16);
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static BookUpdate change(int id, long seq, long time, long price, long size) {
        return BookUpdate.builder(id, time).set(BookSide.BID, price, size).build().withSeq(seq);
    }

    private static InstrumentCatalog catalog(String... symbols) {
        List<Instrument> list = new ArrayList<>();
        for (String symbol : symbols) {
            list.add(new Instrument(0, symbol, AssetClass.CRYPTO, null, "X", "USD", 2, 4, 20));
        }
        return InstrumentCatalog.of(list);
    }
}
