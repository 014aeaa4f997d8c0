package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Channel;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DesiredSubscriptionsTest {

    private final DesiredSubscriptions desired = new DesiredSubscriptions();

    @Test
    void shouldRestoreConfirmedStreamsBeforeNewOnesGroupedByChannels() {
        desired.add(List.of("BTCUSDT", "EURUSD"), List.of(Channel.QUOTE, Channel.TRADE), 1);
        desired.add(List.of("AAPL"), List.of(Channel.QUOTE), 2);
        desired.confirm(new Subscription("BTCUSDT", Channel.QUOTE));
        desired.confirm(new Subscription("BTCUSDT", Channel.TRADE));
        desired.confirm(new Subscription("AAPL", Channel.QUOTE));

        assertThat(desired.restorePlan()).containsExactly(
                new DesiredSubscriptions.Batch(List.of("BTCUSDT"), List.of(Channel.QUOTE, Channel.TRADE)),
                new DesiredSubscriptions.Batch(List.of("AAPL"), List.of(Channel.QUOTE)),
                new DesiredSubscriptions.Batch(List.of("EURUSD"), List.of(Channel.QUOTE, Channel.TRADE)));
    }

    @Test
    void shouldSplitLargeRestoresIntoBatches() {
        List<String> symbols = IntStream.range(0, 450).mapToObj(i -> "S" + i).toList();
        desired.add(symbols, List.of(Channel.TRADE), 1);

        assertThat(desired.restorePlan()).extracting(b -> b.symbols().size()).containsExactly(200, 200, 50);
    }

    @Test
    void aRefusalOfAnOldRequestDoesNotRemoveAStreamAskedForAgain() {
        desired.add(List.of("BTCUSDT"), List.of(Channel.TRADE), 1);
        Subscription key = new Subscription("BTCUSDT", Channel.TRADE);
        desired.remove(List.of("BTCUSDT"), List.of(Channel.TRADE));
        desired.add(List.of("BTCUSDT"), List.of(Channel.TRADE), 3);

        desired.removeIfGeneration(key, 1L);
        assertThat(desired.contains("BTCUSDT", Channel.TRADE)).isTrue();

        desired.removeIfGeneration(key, 3L);
        assertThat(desired.contains("BTCUSDT", Channel.TRADE)).isFalse();
    }

    @Test
    void symbolsIgnoreCase() {
        assertThat(desired.add(List.of("btcusdt"), List.of(Channel.QUOTE), 1)).hasSize(1);
        assertThat(desired.add(List.of("BTCUSDT"), List.of(Channel.QUOTE), 2)).isEmpty();
        assertThat(desired.remove(List.of("BtcUsdt"), List.of(Channel.QUOTE))).hasSize(1);
        assertThat(desired.size()).isZero();
    }
}
