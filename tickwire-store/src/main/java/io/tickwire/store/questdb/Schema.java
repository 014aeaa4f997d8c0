package io.tickwire.store.questdb;

import java.util.List;

/**
 * The tables of the store. Every time-series table has a designated timestamp (microseconds,
 * UTC) and is partitioned by day; the symbol column is indexed because nearly every query picks
 * one instrument. Prices and sizes are {@code LONG}s scaled by the instrument's price and size
 * scales (recorded in {@code instruments}), so stored values are exact: bars read back agree to
 * the last digit with what was streamed. Tables bypass QuestDB's write-ahead log: the store has
 * one writer, and a commit is then visible to queries at once.
 */
final class Schema {

    static final String TRADES = "trades";
    static final String QUOTES = "quotes";
    static final String BARS = "bars";
    static final String BOOK_SNAPSHOTS = "book_snapshots";
    static final String GAPS = "gaps";
    static final String INSTRUMENTS = "instruments";

    private static final String SYMBOL = "symbol SYMBOL CAPACITY 4096 CACHE INDEX";
    private static final String DAILY = " TIMESTAMP(ts) PARTITION BY DAY BYPASS WAL";

    static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS " + TRADES + " (ts TIMESTAMP, " + SYMBOL
                    + ", seq LONG, price LONG, size LONG, side SYMBOL CAPACITY 4, trade_id LONG)" + DAILY,
            "CREATE TABLE IF NOT EXISTS " + QUOTES + " (ts TIMESTAMP, " + SYMBOL
                    + ", seq LONG, bid LONG, bid_size LONG, ask LONG, ask_size LONG, last LONG, volume LONG)" + DAILY,
            "CREATE TABLE IF NOT EXISTS " + BARS + " (ts TIMESTAMP, " + SYMBOL
                    + ", period SYMBOL CAPACITY 16, price_type SYMBOL CAPACITY 4, seq LONG, open LONG, high LONG,"
                    + " low LONG, close LONG, volume LONG, trades LONG, update_time TIMESTAMP)" + DAILY,
            "CREATE TABLE IF NOT EXISTS " + BOOK_SNAPSHOTS + " (ts TIMESTAMP, " + SYMBOL
                    + ", seq LONG, bids VARCHAR, asks VARCHAR)" + DAILY,
            "CREATE TABLE IF NOT EXISTS " + GAPS + " (ts TIMESTAMP, until TIMESTAMP, records LONG,"
                    + " reason SYMBOL CAPACITY 8, recorded TIMESTAMP)" + DAILY,
            "CREATE TABLE IF NOT EXISTS " + INSTRUMENTS + " (symbol SYMBOL CAPACITY 4096 CACHE,"
                    + " price_scale INT, size_scale INT, since TIMESTAMP)");

    private Schema() {
    }
}
