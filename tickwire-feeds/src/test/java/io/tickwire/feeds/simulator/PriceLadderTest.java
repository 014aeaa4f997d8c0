package io.tickwire.feeds.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceLadderTest {

    private final List<String> changes = new ArrayList<>();
    private final LevelListener listener = (id, side, price, size) -> changes.add(side + " " + size + "@" + price);

    @Test
    void shouldKeepBidsHighestFirstAndAsksLowestFirst() {
        PriceLadder bids = new PriceLadder(0, BookSide.BID, 5, listener);
        PriceLadder asks = new PriceLadder(0, BookSide.ASK, 5, listener);
        for (long price : new long[] {100, 103, 101}) {
            bids.set(price, 1);
            asks.set(price + 10, 1);
        }
        assertThat(List.of(bids.price(0), bids.price(1), bids.price(2))).containsExactly(103L, 101L, 100L);
        assertThat(List.of(asks.price(0), asks.price(1), asks.price(2))).containsExactly(110L, 111L, 113L);
        assertThat(bids.bestPrice()).isEqualTo(103);
        assertThat(asks.worstPrice()).isEqualTo(113);
    }

    @Test
    void shouldReplaceAndRemoveLevelsAndReportEveryChange() {
        PriceLadder bids = new PriceLadder(7, BookSide.BID, 5, listener);
        assertThat(bids.set(100, 5)).isTrue();
        assertThat(bids.set(100, 5)).as("same size is no change").isFalse();
        assertThat(bids.set(100, 8)).isTrue();
        assertThat(bids.set(99, 0)).as("removing a missing level is no change").isFalse();
        assertThat(bids.set(100, 0)).isTrue();
        assertThat(bids.isEmpty()).isTrue();
        assertThat(bids.bestPrice()).isZero();
        assertThat(changes).containsExactly("BID 5@100", "BID 8@100", "BID 0@100");
    }

    @Test
    void shouldPushOutTheWorstLevelWhenFullAndIgnoreWorsePrices() {
        PriceLadder asks = new PriceLadder(0, BookSide.ASK, 2, listener);
        asks.set(10, 1);
        asks.set(11, 1);
        assertThat(asks.set(12, 1)).as("worse than all kept levels").isFalse();
        assertThat(asks.set(9, 4)).isTrue();
        assertThat(asks.count()).isEqualTo(2);
        assertThat(asks.sizeAt(9)).isEqualTo(4);
        assertThat(asks.sizeAt(11)).isZero();
        assertThat(changes).containsExactly("ASK 1@10", "ASK 1@11", "ASK 0@11", "ASK 4@9");
    }

    @Test
    void shouldRejectPricesAndSizesThatCannotRest() {
        PriceLadder bids = new PriceLadder(0, BookSide.BID, 2, listener);
        assertThatThrownBy(() -> bids.set(0, 1)).hasMessageContaining("price must be positive");
        assertThatThrownBy(() -> bids.set(5, -1)).hasMessageContaining("size must not be negative");
        assertThatThrownBy(() -> bids.price(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
