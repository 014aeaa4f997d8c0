package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DesiredSubscriptionsTest {

    private static final SubscribeOptions DEFAULTS = SubscribeOptions.defaults();

    private final DesiredSubscriptions desired = new DesiredSubscriptions();

    @Test
    void shouldRestoreConfirmedStreamsBeforeNewOnesGroupedByChannels() {
        desired.add(List.of("BTCUSDT", "EURUSD"), List.of(Channel.QUOTE, Channel.TRADE), DEFAULTS, 1);
        desired.add(List.of("AAPL"), List.of(Channel.QUOTE), DEFAULTS, 2);
        desired.confirm(StreamId.of("BTCUSDT", Channel.QUOTE), 1);
        desired.confirm(StreamId.of("BTCUSDT", Channel.TRADE), 1);
        desired.confirm(StreamId.of("AAPL", Channel.QUOTE), 1);

        assertThat(desired.restorePlan()).containsExactly(
                new DesiredSubscriptions.Batch(List.of("BTCUSDT"), List.of(Channel.QUOTE, Channel.TRADE), DEFAULTS),
                new DesiredSubscriptions.Batch(List.of("AAPL"), List.of(Channel.QUOTE), DEFAULTS),
                new DesiredSubscriptions.Batch(List.of("EURUSD"), List.of(Channel.QUOTE, Channel.TRADE), DEFAULTS));
    }

    @Test
    void shouldSplitLargeRestoresIntoBatches() {
        List<String> symbols = IntStream.range(0, 450).mapToObj(i -> "S" + i).toList();
        desired.add(symbols, List.of(Channel.TRADE), DEFAULTS, 1);

        assertThat(desired.restorePlan()).extracting(b -> b.symbols().size()).containsExactly(200, 200, 50);
    }

    @Test
    void aRefusalOfAnOldRequestDoesNotRemoveAStreamAskedForAgain() {
        desired.add(List.of("BTCUSDT"), List.of(Channel.TRADE), DEFAULTS, 1);
        StreamId key = StreamId.of("BTCUSDT", Channel.TRADE);
        desired.remove(List.of("BTCUSDT"), List.of(Channel.TRADE));
        desired.add(List.of("BTCUSDT"), List.of(Channel.TRADE), DEFAULTS, 3);

        desired.removeIfGeneration(key, 1L);
        assertThat(desired.contains(key)).isTrue();

        desired.removeIfGeneration(key, 3L);
        assertThat(desired.contains(key)).isFalse();
    }

    @Test
    void symbolsIgnoreCase() {
        assertThat(desired.add(List.of("btcusdt"), List.of(Channel.QUOTE), DEFAULTS, 1)).hasSize(1);
        assertThat(desired.add(List.of("BTCUSDT"), List.of(Channel.QUOTE), DEFAULTS, 2)).isEmpty();
        assertThat(desired.remove(List.of("BtcUsdt"), List.of(Channel.QUOTE))).hasSize(1);
        assertThat(desired.size()).isZero();
    }

    @Test
    void shouldRestoreEachStreamWithTheOptionsItWasLastSubscribedWith() {
        SubscribeOptions deep = DEFAULTS.withDepth(25);
        desired.add(List.of("BTCUSDT"), List.of(Channel.BOOK, Channel.TRADE), deep, 1);
        desired.add(List.of("BTCUSDT"), List.of(Channel.QUOTE), DEFAULTS.withThrottle(Duration.ofMillis(500)), 2);
        desired.add(List.of("ETHUSDT"), List.of(Channel.BOOK, Channel.TRADE), deep, 3);
        // another depth replaces the stream: one book per symbol
        assertThat(desired.add(List.of("ETHUSDT"), List.of(Channel.BOOK), DEFAULTS.withDepth(5), 4)).hasSize(1);

        assertThat(desired.restorePlan()).containsExactly(
                new DesiredSubscriptions.Batch(List.of("BTCUSDT"), List.of(Channel.TRADE, Channel.BOOK), deep),
                new DesiredSubscriptions.Batch(List.of("BTCUSDT"), List.of(Channel.QUOTE),
                        DEFAULTS.withThrottle(Duration.ofMillis(500))),
                new DesiredSubscriptions.Batch(List.of("ETHUSDT"), List.of(Channel.TRADE, Channel.BOOK),
                        DEFAULTS.withDepth(5)));
    }

    @Test
    void barStreamsAreOnePerPeriodAndPriceTypeAndRestoredExactly() {
        desired.add(List.of("BTCUSDT"), List.of(Channel.BAR), DEFAULTS.withPeriods(Periodicity.M1), 1);
        desired.add(List.of("BTCUSDT"), List.of(Channel.BAR),
                DEFAULTS.withPeriods(Periodicity.M5, Periodicity.H1).withPriceTypes(PriceType.BID), 2);
        assertThat(desired.size()).isEqualTo(3);

        // 1m last, 5m bid and 1h bid: a request for 1m and 5m with last and bid would add 1m bid and 5m last
        assertThat(desired.restorePlan()).containsExactlyInAnyOrder(
                new DesiredSubscriptions.Batch(List.of("BTCUSDT"), List.of(Channel.BAR),
                        DEFAULTS.withPeriods(Periodicity.M1).withPriceTypes(PriceType.LAST)),
                new DesiredSubscriptions.Batch(List.of("BTCUSDT"), List.of(Channel.BAR),
                        DEFAULTS.withPeriods(Periodicity.M5, Periodicity.H1).withPriceTypes(PriceType.BID)));
        assertThat(desired.containsAny("btcusdt", Channel.BAR)).isTrue();
        assertThat(desired.remove(List.of("BTCUSDT"), List.of(Channel.BAR))).as("every bar stream of the symbol").hasSize(3);
        assertThat(desired.containsAny("BTCUSDT", Channel.BAR)).isFalse();
    }

    @Test
    void aRefusedChangeOfOptionsFallsBackToWhatTheServerKept() {
        desired.add(List.of("BTCUSDT"), List.of(Channel.BOOK), DEFAULTS.withDepth(10), 1);
        desired.confirm(StreamId.of("BTCUSDT", Channel.BOOK), 1);
        desired.add(List.of("BTCUSDT"), List.of(Channel.BOOK), DEFAULTS.withDepth(80), 2);

        desired.revertIfGeneration(StreamId.of("BTCUSDT", Channel.BOOK), 2L);

        assertThat(desired.restorePlan()).containsExactly(
                new DesiredSubscriptions.Batch(List.of("BTCUSDT"), List.of(Channel.BOOK), DEFAULTS.withDepth(10)));
    }
}
