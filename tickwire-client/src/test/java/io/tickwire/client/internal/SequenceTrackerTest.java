package io.tickwire.client.internal;

import static io.tickwire.client.internal.SequenceTracker.Verdict.DELIVER;
import static io.tickwire.client.internal.SequenceTracker.Verdict.DROP;
import static io.tickwire.client.internal.SequenceTracker.Verdict.GAP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Channel;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private final SequenceTracker tracker = new SequenceTracker();

    @Test
    void shouldTakeTheFirstMessageOfAStreamAsItsBaseline() {
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 57, 1_000, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 58, 1_001, false)).isEqualTo(DELIVER);
    }

    @Test
    void shouldReportAGapAndAcceptTheMessage() {
        tracker.track("BTCUSDT", Channel.TRADE, 1, 1_000, false);

        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 5, 1_004, false)).isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(2, 5));
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 6, 1_005, false)).isEqualTo(DELIVER);
    }

    @Test
    void shouldDropAndCountDuplicatesAndOutOfOrderMessages() {
        tracker.track("BTCUSDT", Channel.TRADE, 1, 1_000, false);
        tracker.track("BTCUSDT", Channel.TRADE, 2, 1_001, false);
        tracker.track("BTCUSDT", Channel.TRADE, 4, 1_003, false);

        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 4, 1_003, false)).isEqualTo(DROP);
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 3, 1_002, false)).isEqualTo(DROP);
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 5, 1_004, false)).isEqualTo(DELIVER);
        assertThat(tracker.dropped()).isEqualTo(2);
    }

    @Test
    void shouldKeepStreamsApartBySymbolAndChannel() {
        tracker.track("BTCUSDT", Channel.TRADE, 10, 1_000, false);
        tracker.track("BTCUSDT", Channel.QUOTE, 1, 1_000, false);

        assertThat(tracker.track("ETHUSDT", Channel.TRADE, 1, 1_000, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("BTCUSDT", Channel.QUOTE, 2, 1_001, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 11, 1_001, false)).isEqualTo(DELIVER);
        assertThat(tracker.size()).isEqualTo(3);
    }

    @Test
    void aSnapshotResetsTheBaselineWithoutAGap() {
        tracker.track("EURUSD", Channel.QUOTE, 3, 1_000, false);

        assertThat(tracker.track("EURUSD", Channel.QUOTE, 40, 2_000, true)).isEqualTo(DELIVER);
        assertThat(tracker.track("EURUSD", Channel.QUOTE, 41, 2_001, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("EURUSD", Channel.QUOTE, 40, 2_000, true)).as("a repeated snapshot").isEqualTo(DELIVER);
    }

    @Test
    void stateSurvivesAReconnectSoMissedMessagesShowAsAGap() {
        tracker.track("BTCUSDT", Channel.TRADE, 3, 1_000, false);
        tracker.newConnection();

        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 7, 1_010, false)).isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(4, 7));
    }

    @Test
    void aReplayedMessageOnANewConnectionIsStillADuplicate() {
        tracker.track("BTCUSDT", Channel.TRADE, 3, 1_000, false);
        tracker.newConnection();

        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 2, 999, false)).isEqualTo(DROP);
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 3, 1_000, false)).isEqualTo(DROP);
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 4, 1_001, false)).isEqualTo(DELIVER);
    }

    @Test
    void aNewerMessageWithALowerNumberOnANewConnectionMeansTheNumberingRestarted() {
        tracker.track("BTCUSDT", Channel.TRADE, 900, 1_000, false);
        tracker.newConnection();

        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 1, 5_000, false)).isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(901, 1));
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 2, 5_001, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 1, 5_002, false))
                .as("only the first message on a connection can restart the numbering").isEqualTo(DROP);
    }

    @Test
    void forgettingAStreamStartsItAfresh() {
        tracker.track("BTCUSDT", Channel.TRADE, 3, 1_000, false);

        tracker.forget("btcusdt", Channel.TRADE);

        assertThat(tracker.track("BTCUSDT", Channel.TRADE, 9, 1_100, false)).isEqualTo(DELIVER);
        assertThat(tracker.size()).isEqualTo(1);
    }
}
