package io.tickwire.store.imports;

import static io.tickwire.store.TestMarket.BTC;
import static io.tickwire.store.TestMarket.CATALOG;
import static io.tickwire.store.TestMarket.EUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.TickQuery;
import io.tickwire.store.questdb.QuestDbStore;
import io.tickwire.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradeCsvImportTest {

    private static final long T = Instant.parse("2025-11-20T10:00:00Z").getEpochSecond() * 1_000_000L;

    @TempDir
    Path dir;

    private QuestDbStore store;
    private final List<long[]> progress = new ArrayList<>();

    @BeforeEach
    void open() {
        store = QuestDbStore.open(StoreSettings.defaults(dir.resolve("data")),
                CATALOG, new ManualClock(Instant.parse("2025-11-23T00:00:00Z")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private TradeCsvImport.Report run(String csv, TradeCsvImport.BadRows policy) throws Exception {
        Path file = dir.resolve("trades.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return new TradeCsvImport(CATALOG, store).run(file, policy, (bytes, total, rows) -> progress.add(new long[] {bytes, total, rows}));
    }

    private List<Trade> stored(io.tickwire.model.Instrument i) {
        return store.queries().trades(new TickQuery(i, 0, Long.MAX_VALUE - 1, 0, 1_000)).events();
    }

    @Test
    void importsAGoodFileExactly() throws Exception {
        TradeCsvImport.Report report = run("\uFEFFTime,Symbol,Price,Size,Side,trade_id,seq,venue\n"
                + "2025-11-20T10:00:00Z,BTCUSDT,104275.29,0.011,buy,77,5,\"Binance, spot\"\n"
                + (T + 1) + ",btcusdt,\"104275.3\",2,SELL,,,x\n"
                + "\n"
                + "2025-11-20T11:00:00.000001+01:00,EURUSD,1.16203,1200000,buy,1,,\n", TradeCsvImport.BadRows.REFUSE);
        assertThat(report).isEqualTo(new TradeCsvImport.Report(3, 3, 0, List.of(), false));
        assertThat(stored(BTC)).containsExactly(
                new Trade(BTC.id(), 5, T, 104_275_29, 11_000, Side.BUY, 77),
                new Trade(BTC.id(), 0, T + 1, 104_275_30, 2_000_000, Side.SELL, 0));
        assertThat(stored(EUR)).containsExactly(new Trade(EUR.id(), 0, T + 1, 116_203, 1_200_000, Side.BUY, 1));
        assertThat(progress).isNotEmpty();
        long[] last = progress.get(progress.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]);
        assertThat(last[2]).isEqualTo(3);
    }

    private static final String MIXED = "time,symbol,price,size,side\n"
            + "2025-11-20T10:00:00Z,BTCUSDT,100.5,1,buy\n"              // 2 good
            + "2025-11-20T10:00:01Z,NOPE,100.5,1,buy\n"                 // 3 unknown symbol
            + "2025-11-20T10:00:02Z,BTCUSDT,100.555,1,buy\n"            // 4 too many places
            + "yesterday,BTCUSDT,100.5,1,buy\n"                         // 5 bad time
            + "2025-11-20T10:00:04Z,BTCUSDT,100.5,1,hold\n"             // 6 bad side
            + "2025-11-20T10:00:05Z,BTCUSDT,100.5\n"                    // 7 short row
            + "2025-11-20T10:00:06Z,BTCUSDT,-1,1,sell\n"                // 8 negative price
            + "2025-11-20T10:00:07Z,BTCUSDT,\"100.5,1,sell\n"           // 9 open quote
            + "2025-11-20T10:00:08Z,BTCUSDT,101,3,sell\n";             // 10 good

    @Test
    void aFileWithBadRowsIsRefusedAsAWholeByDefaultWithEveryLineNamed() throws Exception {
        TradeCsvImport.Report report = run(MIXED, TradeCsvImport.BadRows.REFUSE);
        assertThat(report.refused()).isTrue();
        assertThat(report.imported()).isZero();
        assertThat(report.rows()).isEqualTo(9);
        assertThat(report.badRows()).isEqualTo(7);
        assertThat(report.problems()).extracting(TradeCsvImport.Problem::line).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(report.problems().get(0).message()).contains("unknown symbol 'NOPE'");
        assertThat(report.problems().get(1).message()).contains("at most 2 places");
        assertThat(report.problems().get(2).message()).startsWith("time:");
        assertThat(report.problems().get(3).message()).contains("buy or sell");
        assertThat(report.problems().get(4).message()).contains("column 'size' is missing");
        assertThat(report.problems().get(5).message()).contains("must be positive");
        assertThat(report.problems().get(6).message()).contains("quoted field is not closed");
        assertThat(stored(BTC)).isEmpty();
    }

    @Test
    void skippingKeepsTheGoodRowsAndReportsTheBadOnes() throws Exception {
        TradeCsvImport.Report report = run(MIXED, TradeCsvImport.BadRows.SKIP);
        assertThat(report.refused()).isFalse();
        assertThat(report.imported()).isEqualTo(2);
        assertThat(report.badRows()).isEqualTo(7);
        assertThat(stored(BTC)).extracting(Trade::price).containsExactly(100_50L, 101_00L);
    }

    @Test
    void aHeaderWithoutTheRequiredColumnsIsRefused() throws Exception {
        TradeCsvImport.Report report = run("timestamp,symbol,price,qty\n1,BTCUSDT,1,1\n", TradeCsvImport.BadRows.SKIP);
        assertThat(report.refused()).isTrue();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).contains("time, size, side");
        });
        assertThat(run("", TradeCsvImport.BadRows.SKIP).refused()).isTrue();
    }

    @Test
    void aHeaderInAnotherEncodingOrSeparatorOrABinaryFileSaysSoWithItsLine() throws Exception {
        assertThat(run("time;symbol;price;size;side\n", TradeCsvImport.BadRows.SKIP).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("separated by ';'"));
        Path utf16 = dir.resolve("utf16.csv");
        Files.writeString(utf16, "time,symbol,price,size,side\n", StandardCharsets.UTF_16LE);
        assertThat(new TradeCsvImport(CATALOG, store).run(utf16, TradeCsvImport.BadRows.SKIP, (b, t, r) -> { })
                .problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("UTF-16"));
        Path binary = dir.resolve("binary.csv");
        Files.write(binary, new byte[] {0x1f, (byte) 0x8b, 8, 0, '"', 0, (byte) 0xff, '\n', 1, 2});
        TradeCsvImport.Report report = new TradeCsvImport(CATALOG, store).run(binary, TradeCsvImport.BadRows.REFUSE,
                (b, t, r) -> { });
        assertThat(report.refused()).isTrue();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).contains("a quoted field is not closed").contains("is this a CSV file");
        });
    }

    /** Stores BTCUSDT trades numbered 1..6 and reopens the store, as a later {@code tickwire import} finds it. */
    private void storeSixNumberedTrades() throws Exception {
        for (int seq = 1; seq <= 6; seq++) {
            store.append(new Trade(BTC.id(), seq, T + seq, 100_00, 1_000, Side.BUY, seq));
        }
        assertThat(store.flush(java.time.Duration.ofSeconds(30))).isTrue();
        store.close();
        open();
    }

    private TradeCsvImport.Report run(TradeCsvImport importer, String csv, TradeCsvImport.BadRows policy) throws Exception {
        Path file = dir.resolve("numbered.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return importer.run(file, policy, (b, t, r) -> { });
    }

    @Test
    void seqsAtOrBelowTheStoredOnesOrRepeatedInTheFileAreBadRows() throws Exception {
        storeSixNumberedTrades();
        String csv = "time,symbol,price,size,side,seq\n"
                + "2025-11-20T10:00:00Z,BTCUSDT,100,1,buy,1\n"    // 2: stored already
                + "2025-11-20T10:00:01Z,BTCUSDT,100,1,buy,7\n"    // 3: good
                + "2025-11-20T10:00:02Z,BTCUSDT,100,1,buy,7\n"    // 4: twice in the file
                + "2025-11-20T10:00:03Z,EURUSD,1.1,1,buy,1\n"     // 5: good, another stream
                + "2025-11-20T10:00:04Z,BTCUSDT,100,1,buy,8\n"    // 6: good
                + "2025-11-20T10:00:05Z,BTCUSDT,100,1,buy,9007199254740992\n"; // 7: beyond 2^53 - 1
        TradeCsvImport importer = new TradeCsvImport(CATALOG, store, store.numbering());
        TradeCsvImport.Report refused = run(importer, csv, TradeCsvImport.BadRows.REFUSE);
        assertThat(refused.refused()).isTrue();
        assertThat(refused.problems()).extracting(TradeCsvImport.Problem::line).containsExactly(2L, 4L, 7L);
        assertThat(refused.problems().get(0).message()).contains("seq 1 is not above 6");
        assertThat(stored(BTC)).hasSize(6);

        TradeCsvImport.Report skipped = run(importer, csv, TradeCsvImport.BadRows.SKIP);
        assertThat(skipped.imported()).isEqualTo(3);
        assertThat(skipped.badRows()).isEqualTo(3);
        assertThat(stored(BTC)).extracting(Trade::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        // the same importer, a second file: it continues after the first, not after the store at open
        assertThat(run(importer, "time,symbol,price,size,side,seq\n2025-11-20T11:00:00Z,BTCUSDT,100,1,buy,8\n",
                TradeCsvImport.BadRows.REFUSE).refused()).isTrue();
    }
}
