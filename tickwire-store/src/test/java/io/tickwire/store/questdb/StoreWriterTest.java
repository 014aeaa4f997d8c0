package io.tickwire.store.questdb;

import static io.tickwire.store.TestMarket.BTC;
import static io.tickwire.store.TestMarket.CATALOG;
import static io.tickwire.store.TestMarket.DAY;
import static io.tickwire.store.TestMarket.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.store.StoreSettings;
import io.tickwire.store.StoreStats;
import io.tickwire.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's queue policy: a full queue drops, counts, and records the loss as a gap; nothing silently. */
class StoreWriterTest {

    @TempDir
    Path dir;

    @Test
    void recordsThatDoNotFitTheQueueAreCountedAndRecordedAsAGap() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2025-11-23T00:00:00Z"));
        try (QuestDatabase db = new QuestDatabase(dir, StoreSettings.CommitMode.NOSYNC)) {
            Schema.DDL.forEach(db::execute);
            StoreSettings settings = StoreSettings.defaults(dir).withQueueCapacity(1_024);
            StoreWriter writer = new StoreWriter(db, CATALOG, new StoredRanges(CATALOG), clock, settings);
            // not started: nothing drains, so exactly the capacity fits
            int accepted = 0;
            for (int i = 1; i <= 1_024 + 300; i++) {
                if (writer.offer(trade(BTC, i, DAY + i, 100_00, 1), DAY + i)) {
                    accepted++;
                }
            }
            assertThat(accepted).isEqualTo(1_024);
            StoreStats before = writer.stats();
            assertThat(before.dropped()).isEqualTo(300);
            assertThat(before.received()).isEqualTo(1_024);
            assertThat(before.queued()).isEqualTo(1_024);

            writer.start();
            assertThat(writer.flush(TimeUnit.SECONDS.toNanos(20))).isTrue();
            StoreStats after = writer.stats();
            assertThat(after.committed()).isEqualTo(1_024);
            assertThat(after.dropped()).isEqualTo(300);
            assertThat(after.lagMillis()).isZero();
            writer.close();

            List<long[]> gaps = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            db.select("SELECT ts, until, records, reason FROM gaps", b -> { }, r -> {
                gaps.add(new long[] {r.getTimestamp(0), r.getTimestamp(1), r.getLong(2)});
                reasons.add(String.valueOf(r.getSymA(3)));
                return true;
            });
            assertThat(gaps).hasSize(1);
            assertThat(gaps.get(0)).containsExactly(DAY + 1_025, DAY + 1_324, 300);
            assertThat(reasons).containsExactly("queue_full");
            long[] stored = new long[2];
            db.select("SELECT count(), max(seq) FROM trades", b -> { }, r -> {
                stored[0] = r.getLong(0);
                stored[1] = r.getLong(1);
                return true;
            });
            assertThat(stored).containsExactly(1_024, 1_024);
        }
    }
}
