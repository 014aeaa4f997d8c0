package io.tickwire.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.bar.BarSeeding;
import io.tickwire.model.Bar;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restarted engine continues from what the previous run stored ({@link BarSeeding}): the bar
 * being formed keeps what was traded before the restart, a period the previous run closed gets no
 * second bar, and a quote's day volume and last price continue.
 */
class BarSeedingTest {

    private static final long S = 1_000_000L;
    /** A Monday, so the week and the month start before it. */
    private static final long T0 = Instant.parse("2026-01-05T10:00:00Z").getEpochSecond() * S;
    private static final Periodicity[] PERIODS = Periodicity.values();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:20Z"));
    private final List<Bar> closedBars = new ArrayList<>();
    private final RecordingDelivery delivery = new RecordingDelivery();
    private final PartitionEngine engine = new PartitionEngine(TestInstruments.catalog(2), clock, delivery,
            new ClosedBarsTap(closedBars));

    /** What a previous run stored for instrument 0: 500×1 and 510×2 at T0 + 5 s, the only trades of the month. */
    private static BarSeeding.InstrumentSeed stored(long closedUntilM1) {
        Bar[] forming = new Bar[BarSeeding.InstrumentSeed.SLOTS];
        long[] closedUntil = new long[BarSeeding.InstrumentSeed.SLOTS];
        Arrays.fill(closedUntil, Long.MIN_VALUE);
        long[] volume = new long[PERIODS.length];
        long[] trades = new long[PERIODS.length];
        long[] tradeTime = new long[PERIODS.length];
        for (Periodicity p : PERIODS) {
            volume[p.ordinal()] = 3;
            trades[p.ordinal()] = 2;
            tradeTime[p.ordinal()] = T0 + 5 * S;
            forming[BarSeeding.InstrumentSeed.slot(p, PriceType.LAST)] = new Bar(0, 0, p, PriceType.LAST,
                    p.startOf(T0), 500, 510, 500, 510, 3, 2, T0 + 5 * S, false);
        }
        for (PriceType t : PriceType.values()) {
            closedUntil[BarSeeding.InstrumentSeed.slot(Periodicity.M1, t)] = closedUntilM1;
        }
        return new BarSeeding.InstrumentSeed(T0 + 5 * S, 510, 3, forming, closedUntil, volume, trades, tradeTime,
                new Quote(0, 41, T0 + 4 * S, 505, 2, 512, 3, 500, 1)); // last and volume as they were then
    }

    private void seed(BarSeeding.InstrumentSeed seed) {
        engine.seedBars(id -> id == 0 ? seed : null, id -> true);
    }

    private void at(long wall, MarketEvent event) {
        engine.beginBatch(wall);
        engine.onSourceEvent(event);
    }

    private List<Bar> closed(Periodicity period, PriceType type) {
        return closedBars.stream().filter(b -> b.periodicity() == period && b.priceType() == type).toList();
    }

    @Test
    void theFormingBarOfEveryPeriodContinuesWithWhatWasTradedBeforeTheRestart() {
        seed(stored(Long.MIN_VALUE));
        at(T0 + 30 * S, new Trade(0, 0, T0 + 30 * S, 490, 4, Side.SELL, 0));
        at(T0 + 40 * S, new Quote(0, 0, T0 + 40 * S, 480, 1, 495, 1, 0, 0));
        at(T0 + 61 * S, new Trade(0, 0, T0 + 61 * S, 470, 1, Side.SELL, 0)); // closes the minute

        assertThat(closed(Periodicity.M1, PriceType.LAST)).singleElement().satisfies(b -> {
            assertThat(b.openTime()).isEqualTo(T0);
            assertThat(List.of(b.open(), b.high(), b.low(), b.close(), b.volume(), b.trades()))
                    .containsExactly(500L, 510L, 490L, 490L, 7L, 3L);
        });
        assertThat(closed(Periodicity.M1, PriceType.BID)).singleElement().satisfies(b -> {
            assertThat(b.open()).isEqualTo(480);
            assertThat(b.volume()).as("the trades before the restart wait for the period's first bid").isEqualTo(7);
            assertThat(b.trades()).isEqualTo(3);
        });
        engine.onCommand(new EngineCommand.Subscribe(StreamKey.bar(0, Periodicity.MN1, PriceType.LAST, 0),
                Route.of(0, 0), "s", 1));
        Bar month = (Bar) ((RecordingDelivery.Activated) delivery.calls.getLast()).snapshot();
        assertThat(List.of(month.openTime(), month.open(), month.high(), month.low(), month.close(), month.volume(),
                month.trades())).containsExactly(Periodicity.MN1.startOf(T0), 500L, 510L, 470L, 470L, 8L, 4L);
    }

    @Test
    void aPeriodThePreviousRunClosedGetsNoSecondBar() {
        clock.set(Instant.parse("2026-01-05T10:01:10Z"));
        seed(stored(T0 + 60 * S)); // the previous run's clock closed the minute of T0 before it stopped
        at(T0 + 70 * S, new Trade(0, 0, T0 + 50 * S, 490, 4, Side.SELL, 0)); // stamped in the closed minute
        engine.onTick(T0 + 200 * S);

        assertThat(closed(Periodicity.M1, PriceType.LAST)).extracting(Bar::openTime)
                .containsExactly(T0 + 60 * S); // the late trade counts in the current minute, as live
        assertThat(closed(Periodicity.M5, PriceType.LAST)).isEmpty();
    }

    @Test
    void aBarWhosePeriodEndedWhileTheServerWasDownClosesAtOnce() {
        clock.set(Instant.parse("2026-01-05T10:03:00Z"));
        seed(stored(Long.MIN_VALUE));
        engine.onTick(clock.epochMicros());
        assertThat(closed(Periodicity.M1, PriceType.LAST)).singleElement()
                .satisfies(b -> assertThat(b.volume()).isEqualTo(3));
    }

    @Test
    void theQuotesDayVolumeAndLastPriceContinue() {
        seed(stored(Long.MIN_VALUE));
        long quotes = StreamKey.quote(0, 0);
        engine.onCommand(new EngineCommand.Subscribe(quotes, Route.of(0, 0), "s", 1));
        at(T0 + 30 * S, new Quote(0, 0, T0 + 30 * S, 480, 1, 495, 1, 0, 0));
        at(T0 + 31 * S, new Trade(0, 0, T0 + 31 * S, 490, 4, Side.SELL, 0));
        at(T0 + 32 * S, new Quote(0, 0, T0 + 32 * S, 481, 1, 495, 1, 0, 0));

        List<Quote> published = delivery.published(quotes).stream().map(p -> (Quote) p.message()).toList();
        assertThat(published).extracting(Quote::lastPrice).containsExactly(510L, 490L);
        assertThat(published).extracting(Quote::volume).containsExactly(3L, 7L);
    }

    @Test
    void aNewSubscriberGetsTheStoredQuoteWithTheDaysValuesBeforeTheSourceSendsOne() {
        seed(stored(Long.MIN_VALUE));
        engine.onCommand(new EngineCommand.Subscribe(StreamKey.quote(0, 0), Route.of(0, 0), "s", 1));
        engine.onCommand(new EngineCommand.Subscribe(StreamKey.quote(1, 0), Route.of(0, 0), "s", 2));

        List<StreamMessage> snapshots = delivery.calls.stream().filter(RecordingDelivery.Activated.class::isInstance)
                .map(c -> ((RecordingDelivery.Activated) c).snapshot()).toList();
        assertThat(snapshots).hasSize(2);
        assertThat(snapshots.get(0)).as("the stored quote, its last price and volume those of the stored day")
                .isEqualTo(new Quote(0, 41, T0 + 4 * S, 505, 2, 512, 3, 510, 3));
        assertThat(snapshots.get(1)).as("nothing stored of instrument 1").isNull();
    }

    @Test
    void aSeededInstrumentThatStaysQuietIsStaleWithItsLastStoredEventTime() {
        seed(stored(Long.MIN_VALUE));
        engine.staleAfter(5 * S);
        long trades = StreamKey.of(0, io.tickwire.model.Channel.TRADE);
        engine.onCommand(new EngineCommand.Subscribe(trades, Route.of(0, 0), "s", 1));
        clock.advance(java.time.Duration.ofSeconds(6));
        engine.onTick(clock.epochMicros());
        assertThat(delivery.calls).contains(new RecordingDelivery.Status(trades, false, T0 + 5 * S));
    }
}
