package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import org.junit.jupiter.api.Test;

class StreamSyncTest {

    private final StreamSync sync = new StreamSync(2);

    @Test
    void eachStreamPassesItsNextNumbersAndSkipsRepeatsOfOneRun() {
        assertThat(sync.accept(trade(0, 1), 100, false)).isTrue();
        assertThat(sync.accept(trade(0, 2), 100, false)).isTrue();
        assertThat(sync.accept(trade(0, 2), 100, false)).as("a repeat").isFalse();
        assertThat(sync.accept(quote(0, 1), 100, false)).as("quotes count apart from trades").isTrue();
        assertThat(sync.accept(trade(1, 1), 100, false)).as("instruments count apart").isTrue();
        assertThat(sync.accept(trade(0, 9), 100, false)).as("a jump is passed on: the client sees the gap").isTrue();
        assertThat(sync.repeats()).isEqualTo(1);
    }

    @Test
    void numbersGoingBackUnderANewerRunArePassedOnAndCounted() {
        sync.accept(trade(0, 50), 100, false);
        assertThat(sync.accept(trade(0, 1), 200, false)).as("a newer run without a store").isTrue();
        assertThat(sync.restarts()).isEqualTo(1);
        assertThat(sync.accept(trade(0, 1), 100, false)).as("an older run's record after the newer one's").isFalse();
        assertThat(sync.accept(trade(0, 2), 200, false)).isTrue();
    }

    @Test
    void aRestartedRunWhoseClockIsBehindStillContinuesItsStreams() {
        sync.accept(trade(0, 50), 200, false);
        assertThat(sync.accept(trade(0, 51), 150, false)).as("its epoch is lower, its numbers continue").isTrue();
        assertThat(sync.accept(trade(0, 51), 150, false)).isFalse();
    }

    @Test
    void aRestartedRunRepeatingTheQuoteItsStoreKeptIsNoNewNumbering() {
        sync.accept(quote(0, 40), 100, false);
        assertThat(sync.accept(quote(0, 40), 200, true)).as("the same quote, repeated by the next run").isFalse();
        assertThat(sync.restarts()).isZero();
        assertThat(sync.repeats()).isEqualTo(1);
        assertThat(sync.accept(quote(1, 40), 200, true)).as("state a gateway lacked").isTrue();
        assertThat(sync.accept(quote(0, 41), 200, false)).isTrue();
    }

    private static Trade trade(int id, long seq) {
        return new Trade(id, seq, 1_000 + seq, 100, 1, Side.BUY, seq);
    }

    private static Quote quote(int id, long seq) {
        return new Quote(id, seq, 1_000 + seq, 99, 1, 101, 1, 0, 0);
    }
}
