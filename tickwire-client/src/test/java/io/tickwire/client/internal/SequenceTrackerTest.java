package io.tickwire.client.internal;

import static io.tickwire.client.internal.SequenceTracker.Verdict.DELIVER;
import static io.tickwire.client.internal.SequenceTracker.Verdict.DROP;
import static io.tickwire.client.internal.SequenceTracker.Verdict.GAP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private final SequenceTracker<String> tracker = new SequenceTracker<>();

    @Test
    void shouldTakeTheFirstMessageOfAStreamAsItsBaseline() {
        assertThat(tracker.track("BTCUSDT/trade", 57, -1, 1_000, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("BTCUSDT/trade", 58, -1, 1_001, false)).isEqualTo(DELIVER);
    }

    @Test
    void shouldReportAGapAndAcceptTheMessage() {
        tracker.track("BTCUSDT/trade", 1, -1, 1_000, false);

        assertThat(tracker.track("BTCUSDT/trade", 5, -1, 1_004, false)).isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(2, 5));
        assertThat(tracker.track("BTCUSDT/trade", 6, -1, 1_005, false)).isEqualTo(DELIVER);
    }

    @Test
    void shouldDropAndCountDuplicatesAndOutOfOrderMessages() {
        tracker.track("BTCUSDT/trade", 1, -1, 1_000, false);
        tracker.track("BTCUSDT/trade", 2, -1, 1_001, false);
        tracker.track("BTCUSDT/trade", 4, -1, 1_003, false);

        assertThat(tracker.track("BTCUSDT/trade", 4, -1, 1_003, false)).isEqualTo(DROP);
        assertThat(tracker.track("BTCUSDT/trade", 3, -1, 1_002, false)).isEqualTo(DROP);
        assertThat(tracker.track("BTCUSDT/trade", 5, -1, 1_004, false)).isEqualTo(DELIVER);
        assertThat(tracker.dropped()).isEqualTo(2);
    }

    @Test
    void shouldKeepStreamsApartBySymbolAndChannel() {
        tracker.track("BTCUSDT/trade", 10, -1, 1_000, false);
        tracker.track("BTCUSDT/quote", 1, -1, 1_000, false);

        assertThat(tracker.track("ETHUSDT/trade", 1, -1, 1_000, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("BTCUSDT/quote", 2, -1, 1_001, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("BTCUSDT/trade", 11, -1, 1_001, false)).isEqualTo(DELIVER);
        assertThat(tracker.size()).isEqualTo(3);
    }

    @Test
    void aSnapshotResetsTheBaselineWithoutAGap() {
        tracker.track("EURUSD/quote", 3, -1, 1_000, false);

        assertThat(tracker.track("EURUSD/quote", 40, -1, 2_000, true)).isEqualTo(DELIVER);
        assertThat(tracker.track("EURUSD/quote", 41, -1, 2_001, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("EURUSD/quote", 40, -1, 2_000, true)).as("a repeated snapshot").isEqualTo(DELIVER);
    }

    @Test
    void stateSurvivesAReconnectSoMissedMessagesShowAsAGap() {
        tracker.track("BTCUSDT/trade", 3, -1, 1_000, false);
        tracker.newConnection();

        assertThat(tracker.track("BTCUSDT/trade", 7, -1, 1_010, false)).isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(4, 7));
    }

    @Test
    void aReplayedMessageOnANewConnectionIsStillADuplicate() {
        tracker.track("BTCUSDT/trade", 3, -1, 1_000, false);
        tracker.newConnection();

        assertThat(tracker.track("BTCUSDT/trade", 2, -1, 999, false)).isEqualTo(DROP);
        assertThat(tracker.track("BTCUSDT/trade", 3, -1, 1_000, false)).isEqualTo(DROP);
        assertThat(tracker.track("BTCUSDT/trade", 4, -1, 1_001, false)).isEqualTo(DELIVER);
    }

    @Test
    void aNewerMessageWithALowerNumberOnANewConnectionMeansTheNumberingRestarted() {
        tracker.track("BTCUSDT/trade", 900, -1, 1_000, false);
        tracker.newConnection();

        assertThat(tracker.track("BTCUSDT/trade", 1, -1, 5_000, false)).isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(901, 1));
        assertThat(tracker.track("BTCUSDT/trade", 2, -1, 5_001, false)).isEqualTo(DELIVER);
        assertThat(tracker.track("BTCUSDT/trade", 1, -1, 5_002, false))
                .as("only the first message on a connection can restart the numbering").isEqualTo(DROP);
    }

    @Test
    void forgettingAStreamStartsItAfresh() {
        tracker.track("BTCUSDT/trade", 3, -1, 1_000, false);

        tracker.forget("BTCUSDT/trade");

        assertThat(tracker.track("BTCUSDT/trade", 9, -1, 1_100, false)).isEqualTo(DELIVER);
        assertThat(tracker.size()).isEqualTo(1);
    }

    @Test
    void aChainedStreamIsInSyncWhenItFollowsTheLastMessageAccepted() {
        tracker.track("AAPL/quote", 10, -1, 1_000, true);

        assertThat(tracker.track("AAPL/quote", 14, 10, 1_004, false)).as("numbers skipped by design").isEqualTo(DELIVER);
        assertThat(tracker.track("AAPL/quote", 20, 12, 1_010, false)).as("follows an earlier message: still in sync")
                .isEqualTo(DELIVER);
        assertThat(tracker.track("AAPL/quote", 25, 22, 1_015, false)).as("follows a message never seen").isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(21, 25));
        assertThat(tracker.track("AAPL/quote", 25, 22, 1_015, false)).isEqualTo(DROP);
        assertThat(tracker.track("AAPL/quote", 24, 20, 1_014, false)).isEqualTo(DROP);
        assertThat(tracker.dropped()).isEqualTo(2);
    }

    @Test
    void forgettingByPredicateDropsEveryMatchingStream() {
        tracker.track("BTCUSDT/bar/1m", 3, -1, 1_000, false);
        tracker.track("BTCUSDT/bar/5m", 3, -1, 1_000, false);
        tracker.track("ETHUSDT/bar/1m", 3, -1, 1_000, false);

        tracker.forgetIf(key -> key.startsWith("BTCUSDT/bar"));

        assertThat(tracker.size()).isEqualTo(1);
        assertThat(tracker.track("BTCUSDT/bar/1m", 9, -1, 1_100, false)).isEqualTo(DELIVER);
    }

    @Test
    void aStreamTheServerRenumberedReportsItsNextMessageAsAGapWhateverItsNumber() {
        tracker.track("BTCUSDT/trade", 37, -1, 1_000, false);
        tracker.newConnection();
        tracker.renumbered("BTCUSDT/trade");

        // 38 would look like the next one: it is not, it is another server's 38
        assertThat(tracker.track("BTCUSDT/trade", 38, -1, 2_000, false)).isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(38, 38));
        assertThat(tracker.track("BTCUSDT/trade", 39, -1, 2_001, false)).isEqualTo(DELIVER);
    }

    @Test
    void aLossAnnouncedOnTheOldConnectionDoesNotHideAJumpOnTheNewOne() {
        tracker.track("BTCUSDT/trade", 1, -1, 1_000, false);
        tracker.lossAnnounced("BTCUSDT/trade"); // a gap message, then the connection broke
        tracker.newConnection();
        assertThat(tracker.track("BTCUSDT/trade", 9, -1, 1_008, false)).isEqualTo(GAP);
        assertThat(tracker.gap()).isEqualTo(new SequenceTracker.Gap(2, 9));
    }
}
