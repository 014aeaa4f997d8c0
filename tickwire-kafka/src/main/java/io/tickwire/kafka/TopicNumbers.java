package io.tickwire.kafka;

import io.tickwire.engine.ingest.Numbering;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest trade and quote numbers (and trade ids) the cluster topic holds from its lookback
 * on, in its events and in the instrument states the ingest node appends for every instrument
 * every half lookback (so an instrument quiet for longer counts too): where a starting ingest
 * node numbers from at least. Its store normally holds more (it
 * reserves numbers ahead), but a standby promoted before it had read the topic to its end, or an
 * ingest node started on a store from elsewhere, would give out again numbers the gateways have
 * sent, which their clients would take for repeats. Read once, before the engine starts; a topic
 * that is missing, unreachable or not read to its end within the timeout counts for what was read
 * (logged), so a Kafka that is away delays the start by the timeout at most.
 */
public final class TopicNumbers {

    private static final Logger LOG = LoggerFactory.getLogger(TopicNumbers.class);

    private TopicNumbers() {
    }

    /** Reads the topic's numbers from {@code settings.lookback()} before now, for at most {@code timeout}. */
    public static Numbering read(KafkaSettings settings, InstrumentCatalog catalog, Duration timeout) {
        return read(settings, catalog, timeout, System.currentTimeMillis() - settings.lookback().toMillis());
    }

    /** Reads the topic's numbers from its records of {@code fromMillis} (Kafka's record times) on. */
    static Numbering read(KafkaSettings settings, InstrumentCatalog catalog, Duration timeout, long fromMillis) {
        long[] trade = new long[catalog.size()];
        long[] quote = new long[catalog.size()];
        long[] tradeId = new long[catalog.size()];
        Map<String, Instrument> bySymbol = new HashMap<>();
        for (Instrument instrument : catalog.all()) {
            bySymbol.put(instrument.symbol(), instrument);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long records = 0;
        LeaderFence fence = new LeaderFence(); // a deposed node's numbers after its successor's mark were never served
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties(settings, timeout))) {
            List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), timeout);
            if (infos == null || infos.isEmpty()) {
                return numbering(trade, quote, tradeId); // no topic yet: nothing numbered
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            Map<TopicPartition, Long> ends = Lookback.seek(consumer, partitions, fromMillis);
            // as a gateway starting there fences: numbers a deposed node gave out after a mark this
            // read never sees were never served, and numbering on past them would open a gap
            List<ClusterTopics.Term> terms = ClusterTopics.termsToFenceBy(settings);
            if (terms != null) {
                fence.startAt(consumer, partitions, terms);
            }
            while (!Lookback.reached(consumer, ends)) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("read {} record(s) of the cluster topic {} for its last numbers but not all of its lookback"
                            + " within {}: numbering on from what was read", records, settings.topic(), timeout);
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    records++;
                    Leadership mark = leadershipOf(record.value());
                    if (mark != null) {
                        fence.mark(record.partition(), mark);
                        continue;
                    }
                    Instrument instrument = record.key() == null ? null
                            : bySymbol.get(new String(record.key(), StandardCharsets.UTF_8));
                    if (instrument != null) {
                        note(record.value(), instrument.id(), record.partition(), fence, trade, quote, tradeId);
                    }
                }
            }
        } catch (KafkaException e) {
            LOG.warn("cannot read the last numbers of the cluster topic {} at {} ({}): numbering on from the store alone",
                    settings.topic(), settings.bootstrapServers(), e.toString());
        }
        return numbering(trade, quote, tradeId);
    }

    private static Leadership leadershipOf(byte[] value) {
        try {
            return EventRecords.leadership(value);
        } catch (MalformedRecordException e) {
            return null; // a gateway skips it too (and decode below refuses it)
        }
    }

    private static void note(byte[] value, int id, int partition, LeaderFence fence, long[] trade, long[] quote,
                             long[] tradeId) {
        EventRecords.Decoded decoded;
        try {
            decoded = EventRecords.decode(value, id);
        } catch (MalformedRecordException e) {
            return; // a gateway skips it too
        }
        if (!fence.admits(partition, decoded.epoch())) {
            return; // dropped by every gateway too
        }
        if (decoded.state() != null) { // sent for every instrument every half lookback: the quiet ones' numbers too
            trade[id] = Math.max(trade[id], decoded.state().lastTradeSeq());
            tradeId[id] = Math.max(tradeId[id], decoded.state().lastTradeId());
            quote[id] = Math.max(quote[id], decoded.state().lastQuoteSeq());
            return;
        }
        switch (decoded.event()) {
            case Trade t -> {
                trade[id] = Math.max(trade[id], t.seq());
                tradeId[id] = Math.max(tradeId[id], t.tradeId());
            }
            case Quote q -> quote[id] = Math.max(quote[id], q.seq());
            default -> { } // books are numbered by each gateway
        }
    }

    private static Numbering numbering(long[] trade, long[] quote, long[] tradeId) {
        return new Numbering() {
            @Override
            public long lastSeq(int instrumentId, Channel channel) {
                return switch (channel) {
                    case TRADE -> trade[instrumentId];
                    case QUOTE -> quote[instrumentId];
                    default -> 0;
                };
            }

            @Override
            public long lastTradeId(int instrumentId) {
                return tradeId[instrumentId];
            }
        };
    }

    private static Properties properties(KafkaSettings settings, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tickwire-ingest-numbers");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // the log creates it, with its partitions
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // a refused term claim's marks are not read
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings.withClientProperties(props);
    }
}
