package io.tickwire.store.imports;

import io.tickwire.engine.ingest.Numbering;
import io.tickwire.model.Channel;
import io.tickwire.model.Decimals;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Side;
import io.tickwire.model.TimeText;
import io.tickwire.model.Trade;
import io.tickwire.store.HistoryStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports recorded trades from a CSV file into the store.
 *
 * <p>The file: UTF-8, a header row naming the columns (any order, case-insensitive; unknown
 * columns are ignored), then one trade per row. Required: {@code time} (microseconds since the
 * epoch or ISO-8601, see below), {@code symbol} (an instrument of the catalogue), {@code price}
 * and {@code size} (plain decimals with at most the instrument's places, both positive),
 * {@code side} ({@code buy}/{@code sell}, the aggressor). Optional: {@code trade_id} and
 * {@code seq} (positive integers up to 2^52 and 2^53 - 1; replay keeps a stored {@code seq}). A
 * {@code seq} must be above the last one stored in the symbol's trade stream and above every
 * earlier one of the symbol in the file (so seqs increase per symbol): two trades with one number
 * would make a resuming client skip one, and live numbering continues after the largest imported.
 * Fields may be quoted
 * ({@code "…"}, {@code ""} for a quote). Times: an integer is microseconds; otherwise an ISO-8601
 * instant ({@code 2025-11-23T12:25:47.695519Z}) or a date ({@code 2025-11-23}).
 *
 * <p>Bad rows are reported with their line numbers. With {@link BadRows#REFUSE} (the default) any
 * bad row refuses the whole file and nothing is stored: the file is checked completely before
 * the first row is written. With {@link BadRows#SKIP} the good rows are stored and the bad ones
 * reported. Importing a file twice stores its trades twice. Single-threaded.
 */
public final class TradeCsvImport {

    /** What to do with bad rows. */
    public enum BadRows {
        /** Store nothing if any row is bad. */
        REFUSE,
        /** Store the good rows, report the bad ones. */
        SKIP
    }

    /** A bad row: its line number (1 is the header) and what is wrong. */
    public record Problem(long line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /**
     * How an import went.
     *
     * @param rows     data rows read
     * @param imported trades stored
     * @param badRows  rows refused
     * @param problems the first {@value #MAX_PROBLEMS} problems, in line order
     * @param refused  whether the import was refused as a whole (nothing stored)
     */
    public record Report(long rows, long imported, long badRows, List<Problem> problems, boolean refused) {
    }

    /** Called now and then with progress: bytes read of the file's total, rows read. */
    @FunctionalInterface
    public interface Progress {
        void update(long bytesRead, long totalBytes, long rows);
    }

    /** Problems listed in a report; more are counted only. */
    public static final int MAX_PROBLEMS = 50;

    private static final List<String> REQUIRED = List.of("time", "symbol", "price", "size", "side");

    /** The largest {@code seq} (exact in every JSON reader: 2^53 - 1). */
    static final long MAX_SEQ = (1L << 53) - 1;
    /** The largest {@code trade_id}: 2^52, as a publisher's, so the ids assigned after it stay within 2^53 - 1. */
    static final long MAX_TRADE_ID = 1L << 52;

    private final InstrumentCatalog catalog;
    private final HistoryStore store;
    /** Per instrument, the last trade {@code seq} stored: at open, then raised by every file imported. */
    private final long[] lastSeq;

    /** An importer for a store that holds no numbered trades (or whose numbering is not known). */
    public TradeCsvImport(InstrumentCatalog catalog, HistoryStore store) {
        this(catalog, store, Numbering.FRESH);
    }

    /**
     * @param stored where the store's trade streams left off ({@code QuestDbStore.numbering()}): an
     *               imported {@code seq} must be above it
     */
    public TradeCsvImport(InstrumentCatalog catalog, HistoryStore store, Numbering stored) {
        this.catalog = catalog;
        this.store = store;
        this.lastSeq = new long[catalog.size()];
        for (int id = 0; id < lastSeq.length; id++) {
            lastSeq[id] = stored.lastSeq(id, Channel.TRADE);
        }
    }

    /** Imports a file; waits until what was stored is committed. */
    public Report run(Path file, BadRows policy, Progress progress) throws IOException, InterruptedException {
        long total = Files.size(file);
        if (policy == BadRows.REFUSE) {
            Report check = pass(file, total, false, progress);
            if (check.badRows() > 0) {
                return new Report(check.rows(), 0, check.badRows(), check.problems(), true);
            }
        }
        Report done = pass(file, total, true, progress);
        if (!store.flush(Duration.ofMinutes(5))) {
            throw new IOException("the store did not commit the imported trades: " + store.stats());
        }
        return done;
    }

    /** One pass over the file: checks every row, and stores the good ones if {@code write}. */
    private Report pass(Path file, long total, boolean write, Progress progress) throws IOException, InterruptedException {
        try (CountingInput counting = new CountingInput(Files.newInputStream(file));
             BufferedReader in = new BufferedReader(new InputStreamReader(counting, StandardCharsets.UTF_8), 1 << 16)) {
            List<Problem> problems = new ArrayList<>();
            String headerLine = in.readLine();
            if (headerLine == null) {
                return new Report(0, 0, 1, List.of(new Problem(1, "the file is empty; expected a header row")), true);
            }
            Map<String, Integer> columns;
            try {
                columns = header(CsvLine.split(stripBom(headerLine)));
            } catch (IllegalArgumentException e) {
                return new Report(0, 0, 1, List.of(new Problem(1, "the header row cannot be read (" + e.getMessage()
                        + "): " + NOT_CSV)), true);
            }
            List<String> missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                return new Report(0, 0, 1, List.of(new Problem(1, "the header lacks column(s) " + String.join(", ", missing)
                        + "; required: " + String.join(",", REQUIRED) + " (optional: trade_id, seq)"
                        + headerHint(headerLine))), true);
            }
            long[] fileLast = lastSeq.clone();
            long line = 1;
            long rows = 0;
            long bad = 0;
            long imported = 0;
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                rows++;
                try {
                    Trade trade = parse(CsvLine.split(text), columns);
                    if (trade.seq() > 0) {
                        long last = fileLast[trade.instrumentId()];
                        if (trade.seq() <= last) {
                            throw new IllegalArgumentException("seq " + trade.seq() + " is not above " + last + ", the "
                                    + catalog.get(trade.instrumentId()).symbol() + " trade stream's last seq (stored, or"
                                    + " earlier in the file): seqs must increase per symbol");
                        }
                        fileLast[trade.instrumentId()] = trade.seq();
                    }
                    if (write) {
                        store.append(trade);
                        imported++;
                    }
                } catch (IllegalArgumentException e) {
                    bad++;
                    if (problems.size() < MAX_PROBLEMS) {
                        problems.add(new Problem(line, e.getMessage()));
                    }
                }
                if ((rows & 0x3FFF) == 0) {
                    progress.update(counting.count(), total, rows);
                }
            }
            progress.update(total, total, rows);
            if (write) {
                System.arraycopy(fileLast, 0, lastSeq, 0, lastSeq.length); // the next file continues after this one
            }
            return new Report(rows, imported, bad, problems, false);
        }
    }

    private Trade parse(List<String> fields, Map<String, Integer> columns) {
        String symbol = field(fields, columns, "symbol");
        Instrument instrument = catalog.find(symbol);
        if (instrument == null) {
            throw new IllegalArgumentException("unknown symbol '" + shown(symbol) + "'");
        }
        long time;
        try {
            time = TimeText.parseMicros(field(fields, columns, "time"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("time: " + e.getMessage());
        }
        long price = decimal(field(fields, columns, "price"), instrument.priceScale(), "price", instrument);
        long size = decimal(field(fields, columns, "size"), instrument.sizeScale(), "size", instrument);
        Side side = Side.fromWire(field(fields, columns, "side").toLowerCase(Locale.ROOT));
        if (side == null) {
            throw new IllegalArgumentException("side must be buy or sell, not '" + shown(field(fields, columns, "side")) + "'");
        }
        long tradeId = optionalLong(fields, columns, "trade_id", MAX_TRADE_ID);
        long seq = optionalLong(fields, columns, "seq", MAX_SEQ);
        return new Trade(instrument.id(), seq, time, price, size, side, tradeId);
    }

    private static long decimal(String text, int scale, String name, Instrument instrument) {
        long value;
        try {
            value = Decimals.parse(text, scale);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + shown(text) + "' is not a decimal with at most " + scale
                    + " places (" + instrument.symbol() + ")");
        }
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + shown(text));
        }
        return value;
    }

    private static long optionalLong(List<String> fields, Map<String, Integer> columns, String name, long max) {
        Integer index = columns.get(name);
        if (index == null || index >= fields.size() || fields.get(index).isBlank()) {
            return 0;
        }
        String text = fields.get(index).trim();
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            if (value > max) {
                throw new IllegalArgumentException(name + " " + value + " is above the largest allowed, " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative integer, not '" + shown(text) + "'");
        }
    }

    private static String field(List<String> fields, Map<String, Integer> columns, String name) {
        int index = columns.get(name);
        if (index >= fields.size()) {
            throw new IllegalArgumentException("the row has " + fields.size() + " field(s); column '" + name + "' is missing");
        }
        String value = fields.get(index).trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        return value;
    }

    private static Map<String, Integer> header(List<String> names) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            columns.putIfAbsent(names.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        return columns;
    }

    private static final String NOT_CSV = "is this a CSV file (UTF-8 text, comma-separated)?";

    /**
     * Why a header may lack columns it seems to have: another encoding or separator. Every row
     * would fail alike, so skipping bad rows cannot help.
     */
    private static String headerHint(String header) {
        if (header.indexOf('\u0000') >= 0 || header.indexOf('\uFFFD') >= 0 || header.startsWith("\uFFFE")) {
            return "; the header is not UTF-8 text (UTF-16?): save the file as UTF-8";
        }
        for (char separator : new char[] {';', '\t', '|'}) {
            if (header.indexOf(separator) >= 0 && header.indexOf(',') < 0) {
                return "; the header is separated by '" + (separator == '\t' ? "\\t" : String.valueOf(separator))
                        + "', not ',': save the file comma-separated";
            }
        }
        return "; " + NOT_CSV;
    }

    private static String stripBom(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }

    private static String shown(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** Counts the bytes read, for progress. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
