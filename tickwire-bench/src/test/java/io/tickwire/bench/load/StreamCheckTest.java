package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamCheckTest {

    private final StreamCheck check = new StreamCheck(2);
    private final int[] both = {0, 1};

    @Test
    void everyTradeOfEverySymbolInOrderIsComplete() {
        check.accept(0, 1);
        check.accept(1, 1);
        check.accept(0, 2);

        assertThat(check.complete(new long[] {2, 1}, both)).isTrue();
        assertThat(check.lost(new long[] {2, 1}, both)).isZero();
        assertThat(check.firstIrregularity(new long[] {2, 1}, both)).isNull();
    }

    @Test
    void aGapIsLostAndARepeatIsOutOfOrderAndTheFirstIsNamed() {
        check.accept(0, 1);
        check.accept(0, 3);
        check.accept(0, 3);

        assertThat(check.lost(new long[] {3, 0}, both)).isEqualTo(1);
        assertThat(check.outOfOrder()).isEqualTo(1);
        assertThat(check.firstIrregularity(new long[] {3, 0}, both)).isEqualTo("symbol #0: expected 2, got 3 (after 2 received)");
    }

    @Test
    void whatIsStillMissingAtTheEndIsLost() {
        check.accept(1, 1);

        assertThat(check.lost(new long[] {0, 4}, both)).isEqualTo(3);
        assertThat(check.firstIrregularity(new long[] {0, 4}, both)).isEqualTo("symbol #1: ends at 1 of 4 published");
    }
}
