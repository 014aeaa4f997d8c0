package io.tickwire.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.TestInstruments;
import io.tickwire.model.Channel;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class IngestTest {

    private final ManualClock clock = new ManualClock();
    private final Ingest ingest = new Ingest(TestInstruments.catalog(3), clock);

    @Test
    void numbersEachInstrumentAndChannelFromOneWithoutGaps() {
        assertThat(ingest.sequence(quote(0, 100, 101)).seq()).isEqualTo(1);
        assertThat(ingest.sequence(quote(0, 100, 102)).seq()).isEqualTo(2);
        assertThat(ingest.sequence(trade(0, 100)).seq()).isEqualTo(1);
        assertThat(ingest.sequence(quote(1, 100, 101)).seq()).isEqualTo(1);
        assertThat(ingest.sequence(quote(0, 100, 103)).seq()).isEqualTo(3);
        assertThat(ingest.lastSeq(0, Channel.QUOTE)).isEqualTo(3);
        assertThat(ingest.lastSeq(2, Channel.TRADE)).isZero();
        assertThat(ingest.accepted()).isEqualTo(5);
    }

    @Test
    void shouldRejectInvalidEventsWithoutUsingANumber() {
        assertThat(ingest.sequence(quote(0, 105, 100))).as("crossed").isNull();
        assertThat(ingest.sequence(new Trade(0, 0, 1, 0, 5, Side.BUY, 0))).as("zero price").isNull();
        assertThat(ingest.sequence(new Trade(0, 0, 1, 10, -5, Side.BUY, 0))).as("negative size").isNull();
        assertThat(ingest.sequence(new Trade(0, 0, 1, 10, 5, null, 0))).as("no side").isNull();
        assertThat(ingest.sequence(quote(7, 100, 101))).as("unknown instrument").isNull();
        assertThat(ingest.rejected()).isEqualTo(5);
        assertThat(ingest.sequence(quote(0, 100, 101)).seq()).isEqualTo(1);
    }

    @Test
    void assignsTradeIdsAndEventTimesWhenTheSourceHasNone() {
        Trade first = (Trade) ingest.sequence(new Trade(1, 0, 0, 10, 5, Side.SELL, 0));
        Trade second = (Trade) ingest.sequence(new Trade(1, 0, 0, 10, 5, Side.SELL, 0));
        assertThat(first.tradeId()).isEqualTo(1);
        assertThat(second.tradeId()).isEqualTo(2);
        assertThat(first.eventTime()).isEqualTo(clock.epochMicros());
        Trade numbered = (Trade) ingest.sequence(new Trade(1, 0, 5, 10, 5, Side.SELL, 900));
        assertThat(numbered.tradeId()).isEqualTo(900);
        assertThat(((Trade) ingest.sequence(new Trade(1, 0, 5, 10, 5, Side.SELL, 0))).tradeId()).isEqualTo(901);
    }

    @Test
    void aReplayKeepsTheNumbersEventsWereStoredWithAndNumbersOnlyUnnumberedOnes() {
        Ingest replay = new Ingest(TestInstruments.catalog(3), clock, Sequencing.KEEP_SOURCE);
        assertThat(replay.sequence(new Trade(0, 41, 7, 10, 5, Side.BUY, 41)).seq()).isEqualTo(41);
        assertThat(replay.sequence(new Trade(0, 42, 8, 10, 5, Side.BUY, 42)).seq()).isEqualTo(42);
        assertThat(replay.sequence(new Trade(0, 0, 9, 10, 5, Side.BUY, 0)).seq()).as("imported, unnumbered").isEqualTo(43);
        assertThat(replay.sequence(new Trade(0, 5, 10, 10, 5, Side.BUY, 5)).seq()).as("as stored, even backwards").isEqualTo(5);
        assertThat(replay.sequence(new Quote(0, 0, 1, 105, 1, 100, 1, 0, 0))).as("still validated").isNull();
        assertThat(ingest.sequence(new Trade(0, 41, 7, 10, 5, Side.BUY, 0)).seq()).as("live ingest renumbers").isEqualTo(1);
    }

    private static MarketEvent quote(int id, long bid, long ask) {
        return new Quote(id, 0, 1, bid, 1, ask, 1, 0, 0);
    }

    private static MarketEvent trade(int id, long price) {
        return new Trade(id, 0, 1, price, 1, Side.BUY, 0);
    }
}
