package io.tickwire.feeds.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.feeds.catalog.InstrumentProfile;
import io.tickwire.feeds.catalog.SimulationCatalog;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Instrument;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarketSimulatorTest {

    /** Wednesday 13 November 2024, 10:00 in New York: every market is open. */
    static final long WEDNESDAY_MORNING = micros("2024-11-13T15:00:00Z");
    /** Saturday 16 November 2024, 10:00 in New York: only crypto trades. */
    static final long SATURDAY_MORNING = micros("2024-11-16T15:00:00Z");

    private static final SimulationCatalog CATALOG = DefaultCatalog.load();

    @Test
    void shouldProduceTheSameEventsFromTheSameSeedAndTimes() {
        SimulatorConfig config = SimulatorConfig.defaults().withSeed(7);
        List<MarketEvent> first = run(new MarketSimulator(CATALOG, config), WEDNESDAY_MORNING, 300, 20_000);
        List<MarketEvent> second = run(new MarketSimulator(CATALOG, config), WEDNESDAY_MORNING, 300, 20_000);
        assertThat(first).hasSize(20_000).isEqualTo(second);
    }

    @Test
    void shouldProduceDifferentEventsFromDifferentSeeds() {
        List<MarketEvent> seven = run(new MarketSimulator(CATALOG, SimulatorConfig.defaults().withSeed(7)),
                WEDNESDAY_MORNING, 300, 2_000);
        List<MarketEvent> eight = run(new MarketSimulator(CATALOG, SimulatorConfig.defaults().withSeed(8)),
                WEDNESDAY_MORNING, 300, 2_000);
        assertThat(seven).isNotEqualTo(eight);
        assertThat(seven.subList(0, 20)).isNotEqualTo(eight.subList(0, 20));
    }

    @Test
    void shouldProduceDifferentEventsFromDifferentTimes() {
        SimulatorConfig config = SimulatorConfig.defaults();
        List<MarketEvent> slow = run(new MarketSimulator(CATALOG, config), WEDNESDAY_MORNING, 1_000, 2_000);
        List<MarketEvent> fast = run(new MarketSimulator(CATALOG, config), WEDNESDAY_MORNING, 10, 2_000);
        assertThat(slow).isNotEqualTo(fast);
    }

    @Test
    void shouldKeepEveryQuoteSaneAndEveryTradeAtTheTouch() {
        MarketSimulator simulator = new MarketSimulator(CATALOG, SimulatorConfig.defaults());
        Tape tape = new Tape(CATALOG.instruments());
        long now = WEDNESDAY_MORNING;
        long lastTime = 0;
        for (int i = 0; i < 100_000; i++) {
            now += 100;
            MarketEvent event = simulator.next(now);
            // A step yields up to three events (quote, trade, quote), all at the time of the step.
            assertThat(event.eventTime()).isBetween(Math.max(lastTime, now - 200), now);
            lastTime = event.eventTime();
            tape.check(event);
        }
        assertThat(tape.trades()).isGreaterThan(10_000);
        assertThat(tape.quotes()).isGreaterThan(tape.trades());
    }

    @ParameterizedTest
    @CsvSource({
        "1, 2024-11-13T15:00:00Z, 50, true",
        "2, 2024-11-16T15:00:00Z, 50, true",
        "3, 2024-11-16T15:00:00Z, 50, false",
        "4, 2025-03-09T06:00:00Z, 1000000, true",
        "5, 2025-11-02T05:30:00Z, 700000, true",
        "6, 2024-11-15T21:55:00Z, 200000, true",
        "-7, 2024-11-17T21:58:00Z, 100000, true",
        "9223372036854775807, 2024-11-13T08:59:00Z, 30000, true",
    })
    void shouldKeepTheTapeConsistentAcrossSeedsPacesAndSessionChanges(long seed, String start, int stepMicros,
                                                                       boolean respectMarketHours) {
        MarketSimulator simulator = new MarketSimulator(CATALOG,
                SimulatorConfig.defaults().withSeed(seed).withRespectMarketHours(respectMarketHours));
        Tape tape = new Tape(CATALOG.instruments());
        long now = micros(start);
        for (int i = 0; i < 20_000; i++) {
            MarketEvent event = simulator.next(now += stepMicros);
            if (event != null) {
                tape.check(event);
            }
        }
        assertThat(tape.trades()).isPositive();
    }

    @Test
    void shouldQuoteEveryChangeOfTheTopOfBook() {
        MarketSimulator simulator = new MarketSimulator(CATALOG, SimulatorConfig.defaults());
        Tape tape = new Tape(CATALOG.instruments());
        long now = WEDNESDAY_MORNING;
        int checked = 0;
        for (int i = 0; i < 50_000; i++) {
            now += 250;
            tape.check(simulator.next(now));
            if (simulator.midStep()) {
                continue;
            }
            // Between steps, what subscribers last saw is exactly the top of every book.
            for (Instrument instrument : CATALOG.instruments().all()) {
                Quote shown = tape.lastQuote(instrument.id());
                if (shown == null) {
                    continue;
                }
                SimulatedBook book = simulator.book(instrument.id());
                if (shown.bidPrice() != book.bids().bestPrice() || shown.bidSize() != book.bids().bestSize()
                        || shown.askPrice() != book.asks().bestPrice() || shown.askSize() != book.asks().bestSize()) {
                    fail("event %d: last quote %s does not show the top of %s", i, shown, book);
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(20_000);
    }

    @Test
    void shouldKeepBooksOrderedUncrossedAndSeveralLevelsDeep() {
        MarketSimulator simulator = new MarketSimulator(CATALOG, SimulatorConfig.defaults());
        long now = WEDNESDAY_MORNING;
        for (int i = 0; i < 30_000; i++) {
            now += 500;
            simulator.next(now);
            if (simulator.midStep() || i % 100 != 0) {
                continue;
            }
            for (int id = 0; id < CATALOG.size(); id++) {
                SimulatedBook book = simulator.book(id);
                assertThat(book.isCrossed()).as("%s", book).isFalse();
                for (PriceLadder ladder : List.of(book.bids(), book.asks())) {
                    assertThat(ladder.count()).as("%s", book).isBetween(1, MarketSimulator.BOOK_LEVELS);
                    for (int level = 0; level < ladder.count(); level++) {
                        assertThat(ladder.price(level)).isPositive();
                        assertThat(ladder.size(level)).isPositive();
                        if (level > 0) {
                            assertThat(ladder.side().isBetter(ladder.price(level - 1), ladder.price(level)))
                                    .as("%s", book).isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldReportEveryLevelChangeSoTheBookCanBeRebuilt() {
        Map<Integer, Map<BookSide, TreeMap<Long, Long>>> rebuilt = new TreeMap<>();
        LevelListener listener = (id, side, price, size) -> {
            TreeMap<Long, Long> levels = rebuilt.computeIfAbsent(id, k -> new EnumMap<>(BookSide.class))
                    .computeIfAbsent(side, k -> new TreeMap<>());
            if (size == 0) {
                assertThat(levels.remove(price)).as("removed level existed").isNotNull();
            } else {
                levels.put(price, size);
            }
        };
        MarketSimulator simulator = new MarketSimulator(CATALOG, SimulatorConfig.defaults(), listener);
        long now = WEDNESDAY_MORNING;
        for (int i = 0; i < 20_000; i++) {
            simulator.next(now += 400);
        }
        for (int id = 0; id < CATALOG.size(); id++) {
            SimulatedBook book = simulator.book(id);
            for (PriceLadder ladder : List.of(book.bids(), book.asks())) {
                TreeMap<Long, Long> expected = new TreeMap<>();
                for (int level = 0; level < ladder.count(); level++) {
                    expected.put(ladder.price(level), ladder.size(level));
                }
                assertThat(rebuilt.get(id).get(ladder.side())).as("%s", book).isEqualTo(expected);
            }
        }
    }

    @Test
    void shouldTradeOnlyOpenMarketsWhenRespectingMarketHours() {
        assertThat(classesTrading(true, SATURDAY_MORNING)).containsExactly(AssetClass.CRYPTO);
        assertThat(classesTrading(true, micros("2024-11-13T08:00:00Z"))).as("03:00 New York")
                .containsExactlyInAnyOrder(AssetClass.CRYPTO, AssetClass.FX);
        assertThat(classesTrading(true, WEDNESDAY_MORNING)).containsExactlyInAnyOrder(AssetClass.values());
    }

    @Test
    void shouldTradeEverythingAlwaysWhenIgnoringMarketHours() {
        assertThat(classesTrading(false, SATURDAY_MORNING)).containsExactlyInAnyOrder(AssetClass.values());
        assertThat(classesTrading(false, micros("2024-11-13T08:00:00Z"))).containsExactlyInAnyOrder(AssetClass.values());
    }

    @Test
    void shouldReturnNothingWhenEveryMarketIsClosed() {
        List<InstrumentProfile> equities = CATALOG.profiles().stream()
                .filter(p -> p.instrument().assetClass() == AssetClass.EQUITY).toList();
        SimulationCatalog stocks = SimulationCatalog.of(equities);
        MarketSimulator closed = new MarketSimulator(stocks, SimulatorConfig.defaults());
        assertThat(closed.next(SATURDAY_MORNING)).isNull();
        assertThat(closed.next(WEDNESDAY_MORNING)).as("and trades again on Wednesday").isNotNull();
        MarketSimulator always = new MarketSimulator(stocks, SimulatorConfig.defaults().withRespectMarketHours(false));
        assertThat(always.next(SATURDAY_MORNING)).isNotNull();
    }

    @Test
    void shouldTradeFxLessOftenThanCrypto() {
        MarketSimulator simulator = new MarketSimulator(CATALOG, SimulatorConfig.defaults());
        Map<AssetClass, int[]> counts = new EnumMap<>(AssetClass.class);
        long now = WEDNESDAY_MORNING;
        for (int i = 0; i < 60_000; i++) {
            MarketEvent event = simulator.next(now += 200);
            int[] tally = counts.computeIfAbsent(CATALOG.instruments().get(event.instrumentId()).assetClass(),
                    k -> new int[2]);
            tally[event instanceof Trade ? 0 : 1]++;
        }
        double fx = share(counts.get(AssetClass.FX));
        double crypto = share(counts.get(AssetClass.CRYPTO));
        assertThat(fx).isLessThan(crypto / 2);
        assertThat(fx).isPositive();
    }

    @Test
    void shouldMoveEveryPriceWithinPlausibleBoundsOverAnHour() {
        MarketSimulator simulator = new MarketSimulator(CATALOG, SimulatorConfig.defaults().withRespectMarketHours(false));
        long now = WEDNESDAY_MORNING;
        for (int i = 0; i < 200_000; i++) {
            simulator.next(now += 18_000); // one hour of event time
        }
        int moved = 0;
        for (InstrumentProfile profile : CATALOG.profiles()) {
            SimulatedBook book = simulator.book(profile.instrument().id());
            double ratio = book.mid() / profile.initialPrice();
            assertThat(ratio).as("%s", book).isBetween(0.8, 1.25);
            if (book.mid() != profile.initialPrice()) {
                moved++;
            }
        }
        assertThat(moved).isGreaterThan(CATALOG.size() * 9 / 10);
    }

    @Test
    void shouldBurstAndCalmDown() {
        MarketSimulator simulator = new MarketSimulator(CATALOG,
                SimulatorConfig.defaults().withMeanTimeBetweenBursts(Duration.ofSeconds(5)));
        long now = WEDNESDAY_MORNING;
        Set<Integer> burst = new TreeSet<>();
        double highest = 0;
        for (int i = 0; i < 200_000; i++) {
            simulator.next(now += 3_000); // ten minutes of event time
            for (int id = 0; id < CATALOG.size(); id++) {
                double factor = simulator.burstFactor(id);
                if (factor != 1) {
                    assertThat(factor).isBetween(5.0, 20.0);
                    burst.add(id);
                    highest = Math.max(highest, factor);
                }
            }
        }
        assertThat(burst).hasSizeGreaterThan(10);
        for (int i = 0; i < 5; i++) {
            simulator.next(now + 60_000_000L); // a minute later at most the one burst just started is on
        }
        long stillBursting = IntStream.range(0, CATALOG.size())
                .filter(id -> simulator.burstFactor(id) != 1).count();
        assertThat(stillBursting).as("bursts last at most 30 s").isLessThanOrEqualTo(1);
    }

    @Test
    void shouldNotBurstWhenBurstsAreOff() {
        MarketSimulator simulator = new MarketSimulator(CATALOG,
                SimulatorConfig.defaults().withMeanTimeBetweenBursts(Duration.ZERO));
        long now = WEDNESDAY_MORNING;
        for (int i = 0; i < 50_000; i++) {
            simulator.next(now += 10_000);
            if (i % 1_000 == 0) {
                for (int id = 0; id < CATALOG.size(); id++) {
                    assertThat(simulator.burstFactor(id)).isEqualTo(1.0);
                }
            }
        }
    }

    @Test
    void shouldRoundSizesToTwoSignificantDigits() {
        assertThat(MarketSimulator.sized(0.2)).isEqualTo(1);
        assertThat(MarketSimulator.sized(37.4)).isEqualTo(37);
        assertThat(MarketSimulator.sized(1_234)).isEqualTo(1_200);
        assertThat(MarketSimulator.sized(987_654)).isEqualTo(990_000);
        assertThat(MarketSimulator.sized(996)).isEqualTo(1_000);
    }

    @Test
    void shouldRequireACatalogueAndAConfig() {
        assertThatThrownBy(() -> new MarketSimulator(null, SimulatorConfig.defaults()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("catalog");
        assertThatThrownBy(() -> new MarketSimulator(CATALOG, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("config");
    }

    static List<MarketEvent> run(MarketSimulator simulator, long start, long stepMicros, int count) {
        List<MarketEvent> events = new ArrayList<>(count);
        long now = start;
        for (int i = 0; i < count; i++) {
            now += stepMicros;
            events.add(simulator.next(now));
        }
        return events;
    }

    private static Set<AssetClass> classesTrading(boolean respectMarketHours, long start) {
        MarketSimulator simulator = new MarketSimulator(CATALOG,
                SimulatorConfig.defaults().withRespectMarketHours(respectMarketHours));
        Set<AssetClass> seen = EnumSet.noneOf(AssetClass.class);
        for (MarketEvent event : run(simulator, start, 1_000, 5_000)) {
            seen.add(CATALOG.instruments().get(event.instrumentId()).assetClass());
        }
        return seen;
    }

    private static double share(int[] tradesAndQuotes) {
        return (double) tradesAndQuotes[0] / (tradesAndQuotes[0] + tradesAndQuotes[1]);
    }

    static long micros(String utc) {
        Instant instant = Instant.parse(utc);
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
