package io.tickwire.store.questdb;

import static io.tickwire.store.TestMarket.BTC;
import static io.tickwire.store.TestMarket.CATALOG;
import static io.tickwire.store.TestMarket.DAY;
import static io.tickwire.store.TestMarket.EUR;
import static io.tickwire.store.TestMarket.quote;
import static io.tickwire.store.TestMarket.seconds;
import static io.tickwire.store.TestMarket.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.model.AssetClass;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.store.InstrumentHistory;
import io.tickwire.store.StoreException;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.TickPage;
import io.tickwire.store.TickQuery;
import io.tickwire.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestDbStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2025-11-23T00:00:00Z"));

    private QuestDbStore open() {
        return QuestDbStore.open(StoreSettings.defaults(dir), CATALOG, clock);
    }

    @Test
    void storesTradesAndQuotesAndReadsThemBackExactly() throws Exception {
        List<Trade> trades = new ArrayList<>();
        List<Quote> quotes = new ArrayList<>();
        try (QuestDbStore store = open()) {
            for (int i = 1; i <= 50; i++) {
                Trade t = trade(BTC, i, DAY + seconds(i), 10_400_000_00L + i * 7, 1_234_567L * i);
                Quote q = quote(BTC, i, DAY + seconds(i) + 1, 10_399_999_00L + i, 10_400_001_00L + i);
                trades.add(t);
                quotes.add(q);
                store.onEvent(t);
                store.onEvent(q);
            }
            store.onEvent(trade(EUR, 1, DAY + seconds(3), 116_203, 1_000_000));
            assertThat(store.flush(WAIT)).isTrue();

            TickPage<Trade> page = store.queries().trades(new TickQuery(BTC, DAY, DAY + seconds(100), 0, 1_000));
            assertThat(page.events()).containsExactlyElementsOf(trades);
            assertThat(page.more()).isFalse();
            assertThat(store.queries().quotes(new TickQuery(BTC, DAY, DAY + seconds(100), 0, 1_000)).events())
                    .containsExactlyElementsOf(quotes);
            assertThat(store.stats().committed()).isEqualTo(101);
            assertThat(store.stats().committedThrough()).isEqualTo(DAY + seconds(50) + 1);
            assertThat(store.stats().dropped()).isZero();
            assertThat(store.stats().status()).isEqualTo("ok");
        }
    }

    @Test
    void pagesThroughTradesThatShareATimestampWithoutLosingOrRepeatingAny() throws Exception {
        List<Trade> written = new ArrayList<>();
        try (QuestDbStore store = open()) {
            long seq = 0;
            for (int second = 0; second < 5; second++) {
                for (int k = 0; k < 7; k++) { // seven trades in the same microsecond
                    Trade t = trade(BTC, ++seq, DAY + seconds(second), 100_00 + seq, 1);
                    written.add(t);
                    store.onEvent(t);
                }
            }
            assertThat(store.flush(WAIT)).isTrue();
            for (int pageSize : new int[] {1, 3, 7, 10}) {
                List<Trade> read = new ArrayList<>();
                long from = DAY;
                int skip = 0;
                while (true) {
                    TickPage<Trade> page = store.queries().trades(new TickQuery(BTC, from, DAY + seconds(10), skip, pageSize));
                    read.addAll(page.events());
                    if (!page.more()) {
                        break;
                    }
                    int nextSkip = page.skipAfter(from, skip);
                    from = page.events().get(page.events().size() - 1).eventTime();
                    skip = nextSkip;
                }
                assertThat(read).as("page size %d", pageSize).containsExactlyElementsOf(written);
            }
        }
    }

    @Test
    void aCleanCloseLosesNothingAndAReopenedStoreKnowsWhatItHolds() throws Exception {
        try (QuestDbStore store = open()) {
            for (int i = 1; i <= 1_000; i++) {
                store.onEvent(trade(BTC, i, DAY + i, 100_00, 1));
            }
            store.onEvent(quote(EUR, 1, DAY + seconds(9), 116_200, 116_210));
            // no flush: close must commit what was received
        }
        try (QuestDbStore store = open()) {
            List<InstrumentHistory> instruments = store.queries().instruments();
            assertThat(instruments).hasSize(CATALOG.size());
            InstrumentHistory btc = instruments.get(BTC.id());
            assertThat(btc.trades()).isEqualTo(new InstrumentHistory.Span(DAY + 1, DAY + 1_000, 1_000));
            assertThat(btc.quotes()).isNull();
            assertThat(instruments.get(EUR.id()).quotes()).isEqualTo(new InstrumentHistory.Span(DAY + seconds(9),
                    DAY + seconds(9), 1));
            assertThat(store.queries().trades(new TickQuery(BTC, DAY, DAY + seconds(1), 990, 1_000)).events())
                    .extracting(Trade::seq).containsExactly(991L, 992L, 993L, 994L, 995L, 996L, 997L, 998L, 999L, 1_000L);
        }
    }

    @Test
    void bookSnapshotsAreStoredAsExactLevels() throws Exception {
        try (QuestDbStore store = open()) {
            store.onBookSnapshot(new BookSnapshot(BTC.id(), 812, DAY + 5,
                    new long[] {104_275_29, 104_275_00}, new long[] {11_000, 2_500_000},
                    new long[] {104_275_31}, new long[] {28_000}));
            assertThat(store.flush(WAIT)).isTrue();
            List<String> rows = new ArrayList<>();
            store.database().select("SELECT ts, symbol, seq, bids, asks FROM book_snapshots", b -> { }, r -> {
                rows.add(r.getTimestamp(0) + " " + r.getSymA(1) + " " + r.getLong(2) + " [" + r.getVarcharA(3) + "] ["
                        + r.getVarcharA(4) + "]");
                return true;
            });
            assertThat(rows).containsExactly((DAY + 5) + " BTCUSDT 812 [104275.29:0.011 104275:2.5] [104275.31:0.028]");
        }
    }

    @Test
    void storedBookPicturesReadBackExactlyAndTheOneBeforeATimeIsFound() throws Exception {
        try (QuestDbStore store = open()) {
            long[] times = {DAY + 5, DAY + seconds(1) + 5, DAY + seconds(2) + 5};
            store.onBookSnapshot(new BookSnapshot(BTC.id(), 812, times[0],
                    new long[] {104_275_29, 104_275_00}, new long[] {11_000, 2_500_000},
                    new long[] {104_275_31}, new long[] {28_000}));
            store.onBookSnapshot(new BookSnapshot(BTC.id(), 813, times[1],
                    new long[] {104_275_30}, new long[] {1}, new long[0], new long[0])); // one side empty
            store.onBookSnapshot(new BookSnapshot(BTC.id(), 900, times[2],
                    new long[0], new long[0], new long[0], new long[0]));
            assertThat(store.flush(WAIT)).isTrue();

            List<BookUpdate> books = store.queries().books(new TickQuery(BTC, DAY, DAY + seconds(3), 0, 2))
                    .events();
            assertThat(books).extracting(BookUpdate::toString).containsExactly(
                    "BookUpdate[" + BTC.id() + " #812 @" + times[0] + " replace bid 10427529x11000 bid 10427500x2500000"
                            + " ask 10427531x28000]",
                    "BookUpdate[" + BTC.id() + " #813 @" + times[1] + " replace bid 10427530x1]");
            assertThat(store.queries().books(new TickQuery(BTC, DAY, DAY + seconds(3), 0, 2)).more()).isTrue();
            assertThat(store.queries().bookBefore(BTC, times[1]).seq()).isEqualTo(812);
            assertThat(store.queries().bookBefore(BTC, times[1] + 1).seq()).isEqualTo(813);
            assertThat(store.queries().bookBefore(BTC, Long.MAX_VALUE).size()).as("an empty book is a picture too").isZero();
            assertThat(store.queries().bookBefore(BTC, times[0])).isNull();
            assertThat(store.queries().bookBefore(EUR, Long.MAX_VALUE)).isNull();
        }
    }

    @Test
    void aFirstStartThatDiedWhileCreatingTheTablesLeavesNothingInTheWay() throws Exception {
        java.nio.file.Path creating = dir.resolve("db.creating"); // what a kill during the first start leaves
        java.nio.file.Files.createDirectories(creating.resolve("gaps"));
        java.nio.file.Files.writeString(creating.resolve("gaps").resolve("_meta"), "half");
        try (QuestDbStore store = open()) {
            store.onEvent(trade(BTC, 1, DAY + 1, 100_00, 1));
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.queries().trades(new TickQuery(BTC, DAY, DAY + seconds(1), 0, 10)).events()).hasSize(1);
        }
        assertThat(creating).doesNotExist();
        assertThat(dir.resolve("db").resolve("gaps")).isDirectory();
    }

    @Test
    void aSecondProcessCannotOpenTheSameDataDirectory() {
        try (QuestDbStore store = open()) {
            assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another Tickwire process")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(store.stats().status()).isEqualTo("ok");
        }
        try (QuestDbStore again = open()) {
            assertThat(again.stats().status()).isEqualTo("ok");
        }
    }

    @Test
    void aCatalogueThatChangedAnInstrumentsScaleIsRefused() {
        try (QuestDbStore store = open()) {
            assertThat(store.stats().status()).isEqualTo("ok");
        }
        InstrumentCatalog rescaled = InstrumentCatalog.of(List.of(
                new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, "Bitcoin", "BTC", "USDT", 3, 6, 50)));
        assertThatThrownBy(() -> QuestDbStore.open(StoreSettings.defaults(dir), rescaled, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("BTCUSDT: stored with price scale 2 and size scale 6, catalogue has 3 and 6");
        try (QuestDbStore store = open()) { // the refusal left the directory usable
            assertThat(store.queries().instruments()).hasSize(CATALOG.size());
        }
    }
}
