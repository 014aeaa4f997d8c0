package io.tickwire.cli.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.engine.Delivery;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.InstrumentState;
import io.tickwire.engine.PartitionEngine;
import io.tickwire.engine.bar.BarSeeding;
import io.tickwire.engine.bar.BarSeries;
import io.tickwire.engine.bar.BarState;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.engine.ingest.Sequencing;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A gateway's engine running on its own thread takes over bars ({@link ClusterNode#takeBars}) while
 * the trades read before the state may still be queued: the state counts them already, so it must
 * be applied after them, and before the trades read after it (the engine drains commands before
 * events, so a state submitted at once would overtake the queued trades, which would count twice).
 */
class BarHandOverTest {

    private static final InstrumentCatalog CATALOG = InstrumentCatalog.of(List.of(
            new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, null, "BTC", "USD", 2, 4, 20)));
    private static final int BEFORE = 20_000;
    private static final int AFTER = 1_000;

    @Test
    void theStateIsAppliedAfterTheTradesReadBeforeItAndBeforeThoseReadAfterIt() {
        List<MarketEvent> numbered = new ArrayList<>();
        AtomicReference<BarState> ingestState = new AtomicReference<>();
        PartitionEngine ingest = new PartitionEngine(CATALOG, Clock.system(), Delivery.NONE, new EventTap() {
            @Override
            public void onEvent(MarketEvent event) {
                numbered.add(event);
            }

            @Override
            public void onInstrumentState(InstrumentState state) {
                ingestState.set(state.bars());
            }
        });
        long t = Clock.system().epochMicros();
        for (int i = 1; i <= BEFORE + AFTER; i++) {
            ingest.beginBatch(t + i);
            ingest.onSourceEvent(new Trade(0, 0, t + i, 100_000_00 + i % 50, 1 + i % 7, Side.BUY, 0));
            if (i == BEFORE) {
                ingest.onCommand(new EngineCommand.TapState(0));
            }
        }

        AtomicReference<BarState> gatewayState = new AtomicReference<>();
        InProcessBus gateway = new InProcessBus(CATALOG, Clock.system(), 1, 1 << 16, new EventTap() {
            @Override
            public void onEvent(MarketEvent event) {
            }

            @Override
            public void onInstrumentState(InstrumentState state) {
                gatewayState.set(state.bars());
            }
        }, Sequencing.FOLLOW);
        gateway.start(partition -> Delivery.NONE);
        try {
            for (MarketEvent trade : numbered.subList(0, BEFORE)) { // read before the state: queued, not yet applied
                offer(gateway, trade);
            }
            ClusterNode.takeBars(gateway, ingestState.get(), BEFORE, () -> false);
            for (MarketEvent trade : numbered.subList(BEFORE, BEFORE + AFTER)) {
                offer(gateway, trade);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.stats().eventsAccepted() == BEFORE + AFTER);
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.submit(new EngineCommand.TapState(0)));
            await().atMost(Duration.ofSeconds(30)).until(() -> gatewayState.get() != null);
            int slot = BarSeeding.InstrumentSeed.slot(Periodicity.D1, PriceType.LAST);
            long trades = gatewayState.get().values()[slot * BarSeries.STATE_FIELDS + 7];
            assertThat(trades).as("every trade of the day once").isEqualTo(BEFORE + AFTER);
        } finally {
            gateway.close();
        }
    }

    private static void offer(InProcessBus bus, MarketEvent event) {
        while (!bus.offer(event)) {
            Thread.onSpinWait();
        }
    }
}
