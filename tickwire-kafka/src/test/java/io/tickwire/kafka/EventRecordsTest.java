package io.tickwire.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.engine.InstrumentState;
import io.tickwire.engine.bar.BarSeries;
import io.tickwire.engine.bar.BarState;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventRecordsTest {

    private static final long EPOCH = 1_765_000_000_000_000L;

    @Test
    void everyKindOfEventReadsBackAsItWasWritten() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            MarketEvent event = randomEvent(random, 1 + i);
            EventRecords.Decoded decoded = EventRecords.decode(EventRecords.encode(event, EPOCH), event.instrumentId());
            assertThat(decoded.event()).isEqualTo(event);
            assertThat(decoded.picture()).isFalse();
            assertThat(decoded.epoch()).isEqualTo(EPOCH);
        }
    }

    @Test
    void aPictureReadsBackAsAReplacingUpdateNumberedLikeTheChangeItFollows() {
        BookSnapshot snapshot = new BookSnapshot(4, 77, 1_000, new long[] {101, 100}, new long[] {5, 6},
                new long[] {102}, new long[] {7});
        EventRecords.Decoded decoded = EventRecords.decode(EventRecords.encode(snapshot, EPOCH), 4);
        assertThat(decoded.picture()).isTrue();
        BookUpdate update = (BookUpdate) decoded.event();
        assertThat(update.replace()).isTrue();
        assertThat(update.seq()).isEqualTo(77);
        assertThat(update.eventTime()).isEqualTo(1_000);
        assertThat(update).isEqualTo(BookUpdate.builder(4, 1_000).replace().set(BookSide.BID, 101, 5)
                .set(BookSide.BID, 100, 6).set(BookSide.ASK, 102, 7).build().withSeq(77));
    }

    @Test
    void aLeadershipMarkReadsBackAndNoOtherRecordReadsAsOne() {
        Leadership term = new Leadership(3, 11, EPOCH);
        byte[] mark = EventRecords.encode(term, 1_000);
        assertThat(EventRecords.leadership(mark)).isEqualTo(term);
        assertThat(EventRecords.leadership(EventRecords.encode(new Quote(2, 9, 1_000, 10, 1, 11, 1, 10, 5), EPOCH))).isNull();
        assertThatThrownBy(() -> EventRecords.leadership(Arrays.copyOf(mark, mark.length - 1)))
                .isInstanceOf(MalformedRecordException.class);
        byte[] noTerm = mark.clone();
        Arrays.fill(noTerm, 10, 18, (byte) 0); // term 0
        assertThatThrownBy(() -> EventRecords.leadership(noTerm)).isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> EventRecords.decode(mark, 0)).as("a mark is no event")
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void anInstrumentsStateWithABarsByteOtherThanZeroOrOneOrANegativeNumberIsRefused() {
        byte[] state = EventRecords.encode(new InstrumentState(1, null, null, 5, 6, 7), EPOCH, 1_000);
        byte[] badBars = state.clone();
        badBars[badBars.length - 1] = 2;
        assertThatThrownBy(() -> EventRecords.decode(badBars, 1)).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("bars byte");
        byte[] negative = state.clone();
        negative[26] = (byte) 0x80; // the last trade number's sign bit
        assertThatThrownBy(() -> EventRecords.decode(negative, 1)).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void aRepeatIsMarkedAndReadsBackAsTheSameEvent() {
        Quote quote = new Quote(2, 9, 1_000, 10, 1, 11, 1, 10, 5);
        EventRecords.Decoded repeat = EventRecords.decode(EventRecords.encode(quote, EPOCH, true), 2);
        assertThat(repeat.repeat()).isTrue();
        assertThat(repeat.event()).isEqualTo(quote);
        assertThat(EventRecords.decode(EventRecords.encode(quote, EPOCH), 2).repeat()).isFalse();
        BookSnapshot snapshot = new BookSnapshot(2, 3, 1_000, new long[] {10}, new long[] {1}, new long[0], new long[0]);
        EventRecords.Decoded picture = EventRecords.decode(EventRecords.encode(snapshot, EPOCH, true), 2);
        assertThat(picture.repeat()).isTrue();
        assertThat(picture.picture()).isTrue();
    }

    @Test
    void anInstrumentsStateReadsBackWholeWithItsPristineBarSeriesLeftOut() {
        long[] values = new long[BarState.SERIES * BarSeries.STATE_FIELDS];
        for (int slot = 0; slot < BarState.SERIES; slot++) {
            Periodicity period = Periodicity.values()[slot / PriceType.values().length];
            BarSeries series = new BarSeries(3, period, PriceType.values()[slot % PriceType.values().length]);
            if (slot % 4 == 0) {
                series.add(1_000, 1_000, 100 + slot, 5, 1);
                series.add(2_000, 2_000, 90 + slot, 7, 1);
            } else if (slot % 4 == 1) {
                series.addVolume(1_500, 1_500, 9); // a trade waiting for the period's first price
            }
            series.saveTo(values, slot * BarSeries.STATE_FIELDS);
        }
        BarState bars = new BarState(3, values);
        InstrumentState state = new InstrumentState(3, bars, null, 41, 9_041, 77);
        byte[] value = EventRecords.encode(state, EPOCH, 5_000);
        int series = (int) java.util.stream.IntStream.range(0, BarState.SERIES).filter(slot -> !bars.isPristine(slot)).count();
        assertThat(series).isBetween(1, BarState.SERIES - 1);
        int head = 2 + 3 * Long.BYTES + 3 * Long.BYTES + 1;
        assertThat(value).hasSize(head + Integer.BYTES + series * BarSeries.STATE_FIELDS * Long.BYTES);
        EventRecords.Decoded decoded = EventRecords.decode(value, 3);
        assertThat(decoded.state()).isEqualTo(state);
        assertThat(decoded.event()).isNull();
        assertThat(decoded.epoch()).isEqualTo(EPOCH);

        InstrumentState numbersOnly = new InstrumentState(3, null, null, 5, 6, 7); // quotes only, no bars yet
        assertThat(EventRecords.decode(EventRecords.encode(numbersOnly, EPOCH, 5_000), 3).state()).isEqualTo(numbersOnly);

        byte[] corrupt = value.clone();
        corrupt[head] = (byte) 0xff; // the mask names series past the last
        assertThatThrownBy(() -> EventRecords.decode(corrupt, 3)).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("series mask");
        assertThatThrownBy(() -> EventRecords.decode(Arrays.copyOf(value, value.length - 1), 3))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("ends early");
    }

    @Test
    void aRecordThisBuildCannotReadIsRefusedWithItsReason() {
        byte[] good = EventRecords.encode(new Trade(0, 1, 10, 5, 1, Side.BUY, 1), EPOCH);
        assertThatThrownBy(() -> EventRecords.decode(new byte[3], 0)).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("shorter than its header");
        byte[] future = good.clone();
        future[0] = 2;
        assertThatThrownBy(() -> EventRecords.decode(future, 0)).hasMessageContaining("version 2");
        byte[] unknown = good.clone();
        unknown[1] = 9;
        assertThatThrownBy(() -> EventRecords.decode(unknown, 0)).hasMessageContaining("unknown record kind 9");
        assertThatThrownBy(() -> EventRecords.decode(Arrays.copyOf(good, good.length - 1), 0))
                .hasMessageContaining("ends early");
        assertThatThrownBy(() -> EventRecords.decode(Arrays.copyOf(good, good.length + 1), 0))
                .hasMessageContaining("after the end");
        byte[] unnumbered = EventRecords.encode(new Trade(0, 0, 10, 5, 1, Side.BUY, 1), EPOCH);
        assertThatThrownBy(() -> EventRecords.decode(unnumbered, 0)).hasMessageContaining("must be positive");
        byte[] huge = EventRecords.encode(BookUpdate.builder(0, 10).set(BookSide.BID, 1, 1).build().withSeq(1), EPOCH);
        huge[2 + 24 + 1] = 0x7f; // the level count's first byte
        assertThatThrownBy(() -> EventRecords.decode(huge, 0)).hasMessageContaining("level count");
    }

    static MarketEvent randomEvent(Random random, long seq) {
        int id = random.nextInt(3);
        long time = 1_700_000_000_000_000L + random.nextInt(1_000_000);
        return switch (random.nextInt(3)) {
            case 0 -> new Quote(id, seq, time, random.nextLong(1, 1L << 40), random.nextLong(0, 1L << 40),
                    random.nextLong(1, 1L << 40), random.nextLong(0, 1L << 40), random.nextLong(0, 1L << 40),
                    random.nextLong(0, Long.MAX_VALUE));
            case 1 -> new Trade(id, seq, time, random.nextLong(1, 1L << 40), random.nextLong(1, 1L << 40),
                    random.nextBoolean() ? Side.BUY : Side.SELL, random.nextLong(1, 1L << 52));
            default -> {
                BookUpdate.Builder b = BookUpdate.builder(id, time);
                if (random.nextInt(10) == 0) {
                    b.replace();
                }
                int n = random.nextInt(1, 30);
                for (int i = 0; i < n; i++) {
                    b.set(random.nextBoolean() ? BookSide.BID : BookSide.ASK, random.nextLong(1, 1L << 40),
                            random.nextLong(0, 1L << 40));
                }
                yield b.build().withSeq(seq);
            }
        };
    }
}
