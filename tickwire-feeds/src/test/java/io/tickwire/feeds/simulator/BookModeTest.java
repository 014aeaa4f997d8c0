package io.tickwire.feeds.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.Delivery;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.PartitionEngine;
import io.tickwire.engine.Route;
import io.tickwire.engine.StreamKey;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.feeds.catalog.SimulationCatalog;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Channel;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In book mode the simulator publishes level changes; the engine derives quotes from them. Since
 * the mode draws no extra randomness, the quotes the engine derives must be exactly the quotes the
 * same simulator shows in quote mode, and the trades the same.
 */
class BookModeTest {

    private static final long T = Instant.parse("2024-11-15T15:00:00Z").getEpochSecond() * 1_000_000L;

    @Test
    void quotesDerivedFromTheBookEqualTheQuotesOfQuoteMode() {
        SimulationCatalog catalog = DefaultCatalog.load();
        SimulatorConfig config = SimulatorConfig.defaults().withSeed(7).withRespectMarketHours(false);
        MarketSimulator quoteMode = new MarketSimulator(catalog, config);
        MarketSimulator bookMode = new MarketSimulator(catalog, config.withBookEvents(true));

        List<Quote> shownQuotes = new ArrayList<>();
        List<Trade> quoteModeTrades = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            switch (quoteMode.next(T)) {
                case Quote q -> shownQuotes.add(q);
                case Trade t -> quoteModeTrades.add(t);
                case BookUpdate b -> throw new AssertionError("quote mode published " + b);
            }
        }

        List<Quote> derived = new ArrayList<>();
        List<Trade> bookModeTrades = new ArrayList<>();
        int books = 0;
        PartitionEngine engine = new PartitionEngine(catalog.instruments(), new ManualClock(), Delivery.NONE, new EventTap() {
            @Override
            public void onEvent(MarketEvent event) {
                if (event instanceof Quote q) {
                    derived.add(q);
                } else if (event instanceof Trade t) {
                    bookModeTrades.add(t);
                }
            }
        });
        engine.onCommand(new EngineCommand.Subscribe(StreamKey.of(0, Channel.BOOK, 10), Route.of(0, 0), "s", 1));
        while (derived.size() < shownQuotes.size()) {
            MarketEvent e = bookMode.next(T);
            if (e instanceof BookUpdate) {
                books++;
            }
            engine.onSourceEvent(e);
        }
        assertThat(books).isGreaterThan(derived.size() / 2);
        for (int i = 0; i < shownQuotes.size(); i++) {
            Quote shown = shownQuotes.get(i);
            Quote d = derived.get(i);
            assertThat(new long[] {d.instrumentId(), d.bidPrice(), d.bidSize(), d.askPrice(), d.askSize()})
                    .as("quote %d: shown %s, derived %s", i, shown, d)
                    .containsExactly(shown.instrumentId(), shown.bidPrice(), shown.bidSize(), shown.askPrice(), shown.askSize());
        }
        List<Trade> expectedTrades = quoteModeTrades.subList(0, Math.min(quoteModeTrades.size(), bookModeTrades.size()));
        assertThat(bookModeTrades.subList(0, expectedTrades.size())).extracting(Trade::price, Trade::size, Trade::aggressor)
                .containsExactlyElementsOf(expectedTrades.stream().map(t -> org.assertj.core.groups.Tuple.tuple(
                        t.price(), t.size(), t.aggressor())).toList());
        assertThat(engine.orderBook(0).uncrossedLevels()).as("the simulator never crosses its books").isZero();
    }

    @Test
    void theFirstUpdateOfEachInstrumentIsTheWholeBook() {
        SimulationCatalog catalog = DefaultCatalog.load();
        MarketSimulator sim = new MarketSimulator(catalog, SimulatorConfig.defaults().withRespectMarketHours(false)
                .withBookEvents(true));
        boolean[] seen = new boolean[catalog.size()];
        for (int i = 0; i < 20_000; i++) {
            MarketEvent e = sim.next(T);
            if (e instanceof BookUpdate b && !seen[b.instrumentId()]) {
                seen[b.instrumentId()] = true;
                assertThat(b.replace()).as("first update of %s", b.instrumentId()).isTrue();
                assertThat(b.size()).isGreaterThanOrEqualTo(2 * 3);
            } else if (e instanceof BookUpdate b) {
                assertThat(b.replace()).isFalse();
                assertThat(b.size()).isPositive();
            }
        }
    }
}
