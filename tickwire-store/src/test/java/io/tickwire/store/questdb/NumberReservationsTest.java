package io.tickwire.store.questdb;

import static io.tickwire.store.TestMarket.BTC;
import static io.tickwire.store.TestMarket.CATALOG;
import static io.tickwire.store.TestMarket.DAY;
import static io.tickwire.store.TestMarket.EUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tickwire.engine.ingest.Ingest;
import io.tickwire.engine.ingest.NumberReservations;
import io.tickwire.engine.ingest.Numbering;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.store.StoreException;
import io.tickwire.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers a server hands out are reserved on disk ahead of use ({@link NumberReservationFile}), so
 * a server that dies before its store committed its last events never gives those numbers to other
 * events after a restart; a clean stop leaves the exact numbers, so nothing is skipped then.
 *
 * <p>A crash is imitated by putting back the reservation file as it was while the server ran (a
 * kill -9 leaves it so; the system tests kill a real server).
 */
class NumberReservationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path RESERVED = Path.of(NumberReservationFile.FILE);

    @TempDir
    Path dir;

    private QuestDbStore open() {
        return QuestDbStore.open(StoreSettings.defaults(dir), CATALOG, Clock.system());
    }

    /** A live run: numbers 10 BTC trades and a quote from where the store says, and stores them. */
    private static void run(QuestDbStore store, Numbering numbering) throws InterruptedException {
        Ingest ingest = new Ingest(CATALOG, Clock.system());
        ingest.continueFrom(numbering);
        for (int i = 1; i <= 10; i++) {
            store.onEvent(ingest.sequence(new Trade(BTC.id(), 0, DAY + i, 100_00 + i, 1, Side.BUY, 0)));
        }
        store.onEvent(ingest.sequence(new Quote(EUR.id(), 0, DAY + 11, 116_200, 1, 116_210, 1, 0, 0)));
        assertThat(store.flush(WAIT)).isTrue();
    }

    @Test
    void aCleanStopIsContinuedExactly() throws Exception {
        try (QuestDbStore store = open()) {
            run(store, store.reservingNumbering());
        }
        try (QuestDbStore store = open()) {
            assertThat(store.numbering().lastSeq(BTC.id(), Channel.TRADE)).isEqualTo(10);
            assertThat(store.numbering().lastTradeId(BTC.id())).isEqualTo(10);
            assertThat(store.numbering().lastSeq(EUR.id(), Channel.QUOTE)).isEqualTo(1);
            assertThat(store.numbering().lastSeq(EUR.id(), Channel.TRADE)).isZero();
        }
    }

    @Test
    void aRunThatDiedIsContinuedPastWhatItReservedNotPastWhatItStored() throws Exception {
        Path whileRunning = dir.resolveSibling(dir.getFileName() + "-reserved-while-running");
        try (QuestDbStore store = open()) {
            Numbering numbering = store.reservingNumbering();
            run(store, numbering);
            // the trades asked for more room: the writer thread has written it by now
            await().atMost(WAIT).until(() -> NumberReservationFile.read(dir, CATALOG)[
                    NumberReservations.counter(BTC.id(), NumberReservations.TRADE_SEQ)] >= 1 + NumberReservationFile.AHEAD);
            Files.copy(dir.resolve(RESERVED), whileRunning, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(whileRunning, dir.resolve(RESERVED), StandardCopyOption.REPLACE_EXISTING); // as kill -9 leaves it

        long skippedTo;
        try (QuestDbStore store = open()) {
            skippedTo = store.numbering().lastSeq(BTC.id(), Channel.TRADE);
            assertThat(skippedTo).as("past every number the dead run may have handed out")
                    .isGreaterThanOrEqualTo(1 + NumberReservationFile.AHEAD);
            assertThat(store.numbering().lastTradeId(BTC.id())).isGreaterThanOrEqualTo(1 + NumberReservationFile.AHEAD);
            assertThat(store.numbering().lastSeq(EUR.id(), Channel.TRADE)).as("nothing reserved is skipped too")
                    .isEqualTo(NumberReservationFile.AHEAD);
            Ingest ingest = new Ingest(CATALOG, Clock.system());
            ingest.continueFrom(store.reservingNumbering());
            MarketEvent next = ingest.sequence(new Trade(BTC.id(), 0, DAY + 20, 100_00, 1, Side.BUY, 0));
            assertThat(next.seq()).isEqualTo(skippedTo + 1);
            store.onEvent(next);
            assertThat(store.flush(WAIT)).isTrue();
        } // a clean stop: the exact numbers, the skipped ones included
        try (QuestDbStore store = open()) {
            assertThat(store.numbering().lastSeq(BTC.id(), Channel.TRADE)).isEqualTo(skippedTo + 1);
            assertThat(store.numbering().lastSeq(EUR.id(), Channel.TRADE))
                    .as("a clean stop keeps what an earlier crash skipped").isEqualTo(NumberReservationFile.AHEAD);
        }
    }

    @Test
    void aStandbyForgetsWhatItsDeadRunReservedAndNumbersOnFromWhatItStored() throws Exception {
        Path whileRunning = dir.resolveSibling(dir.getFileName() + "-reserved-standby");
        try (QuestDbStore store = open()) {
            run(store, store.reservingNumbering());
            await().atMost(WAIT).until(() -> NumberReservationFile.read(dir, CATALOG)[
                    NumberReservations.counter(BTC.id(), NumberReservations.TRADE_SEQ)] >= 1 + NumberReservationFile.AHEAD);
            Files.copy(dir.resolve(RESERVED), whileRunning, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(whileRunning, dir.resolve(RESERVED), StandardCopyOption.REPLACE_EXISTING); // as kill -9 leaves it
        try (QuestDbStore store = open()) {
            assertThat(store.numbering().lastSeq(BTC.id(), Channel.TRADE)).isGreaterThan(10);
            store.forgetReservations();
            assertThat(store.numbering().lastSeq(BTC.id(), Channel.TRADE)).isEqualTo(10);
        }
        assertThat(dir.resolve(RESERVED)).doesNotExist();
        try (QuestDbStore store = open()) {
            assertThat(store.numbering().lastSeq(BTC.id(), Channel.TRADE)).as("promoted: on from what it stored").isEqualTo(10);
            assertThat(store.numbering().lastTradeId(BTC.id())).isEqualTo(10);
            store.reservingNumbering();
            assertThatThrownBy(store::forgetReservations).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aReplayOrImportThatNumbersNothingLeavesAReservationAsItFoundIt() throws Exception {
        try (QuestDbStore store = open()) {
            run(store, store.reservingNumbering());
            Files.copy(dir.resolve(RESERVED), dir.resolveSibling(dir.getFileName() + "-crash"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(dir.resolveSibling(dir.getFileName() + "-crash"), dir.resolve(RESERVED), StandardCopyOption.REPLACE_EXISTING);
        String crashed = Files.readString(dir.resolve(RESERVED));
        try (QuestDbStore store = open()) {
            assertThat(store.numbering().lastSeq(BTC.id(), Channel.TRADE)).isGreaterThan(10);
        }
        assertThat(Files.readString(dir.resolve(RESERVED))).isEqualTo(crashed);
    }

    @Test
    void anUnreadableReservationFileStopsTheStartRatherThanRiskReusedNumbers() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RESERVED), "BTCUSDT 12 x 3\n");
        assertThatThrownBy(this::open).isInstanceOf(StoreException.class).hasMessageContaining(NumberReservationFile.FILE)
                .hasMessageContaining("delete it if you accept");
    }
}
