package io.tickwire.store.replay;

import static io.tickwire.store.TestMarket.AAPL;
import static io.tickwire.store.TestMarket.BTC;
import static io.tickwire.store.TestMarket.CATALOG;
import static io.tickwire.store.TestMarket.DAY;
import static io.tickwire.store.TestMarket.EUR;
import static io.tickwire.store.TestMarket.quote;
import static io.tickwire.store.TestMarket.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.questdb.QuestDbStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryReplayTest {

    @TempDir
    Path dir;

    @Test
    void replaysStoredTicksInTimeOrderWithTheirNumbersAndLosesNoneToBackPressure() throws Exception {
        List<MarketEvent> stored = new ArrayList<>();
        try (QuestDbStore store = QuestDbStore.open(StoreSettings.defaults(dir), CATALOG, Clock.system())) {
            for (int i = 1; i <= 1_500; i++) { // more than a page per stream
                stored.add(trade(BTC, i, DAY + i * 1_000L, 100_00 + i, 1));
                stored.add(quote(EUR, i, DAY + i * 1_000L + 500, 116_200, 116_210));
                if (i % 100 == 0) {
                    stored.add(trade(AAPL, i / 100, DAY + i * 1_000L, 270_00, 5)); // same time as a BTC trade
                }
            }
            stored.add(trade(BTC, 9_999, DAY + 3_000_000_000L, 1, 1)); // outside the replayed range
            for (MarketEvent e : stored) {
                store.onEvent(e);
            }
            assertThat(store.flush(Duration.ofSeconds(20))).isTrue();

            List<MarketEvent> published = new CopyOnWriteArrayList<>();
            AtomicInteger offers = new AtomicInteger();
            try (HistoryReplay replay = new HistoryReplay(store.queries(), List.of(BTC, EUR, AAPL), DAY,
                    DAY + 2_000_000_000L, ReplaySpeed.MAX, event -> {
                        if (offers.incrementAndGet() % 7 == 0) {
                            return false; // back-pressure now and then
                        }
                        published.add(event);
                        return true;
                    }, Clock.system())) {
                replay.start();
                await().atMost(Duration.ofSeconds(30)).until(replay::finished);
                assertThat(replay.failure()).isNull();
                assertThat(replay.published()).isEqualTo(published.size());
            }
            List<MarketEvent> expected = new ArrayList<>(stored.subList(0, stored.size() - 1));
            assertThat(published).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(published).isSortedAccordingTo(Comparator.comparingLong(MarketEvent::eventTime));
            assertThat(published.stream().filter(e -> e.instrumentId() == BTC.id()).map(MarketEvent::seq).toList())
                    .isSorted().hasSize(1_500);
        }
    }

    @Test
    void speedsParse() {
        assertThat(ReplaySpeed.parse("10x").factor()).isEqualTo(10);
        assertThat(ReplaySpeed.parse("0.5X").factor()).isEqualTo(0.5);
        assertThat(ReplaySpeed.parse("max")).isEqualTo(ReplaySpeed.MAX);
        assertThat(ReplaySpeed.parse("10x").wallNanos(1_000_000)).isEqualTo(100_000_000);
        for (String bad : new String[] {"0x", "-2x", "fast", "x", "NaNx"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplaySpeed.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
