package io.tickwire.feeds.catalog;

import io.tickwire.model.AssetClass;
import io.tickwire.model.Decimals;
import io.tickwire.model.Instrument;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The catalogue Tickwire ships with: about sixty crypto pairs, FX pairs and US equities with
 * simulation profiles, read from the {@code instruments.csv} resource next to this class.
 *
 * <p>The file format is CSV with a header line naming the columns (any order), {@code #} comments
 * and blank lines; fields are plain text without quoting, so no field may contain a comma. Prices
 * and sizes are parsed exactly as decimal text, never through {@code double}. Stateless.
 */
public final class DefaultCatalog {

    static final String RESOURCE = "instruments.csv";

    /** The columns every catalogue file must have, in the order the default file uses. */
    static final List<String> COLUMNS = List.of("symbol", "asset_class", "description", "base_currency",
            "quote_currency", "price_scale", "size_scale", "max_book_depth", "initial_price", "annual_volatility",
            "spread_ticks", "trade_size", "activity_weight");

    private DefaultCatalog() {
    }

    /**
     * Loads the default catalogue.
     *
     * @throws IllegalStateException if the resource is missing or malformed (a packaging bug)
     */
    public static SimulationCatalog load() {
        InputStream in = DefaultCatalog.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("resource " + RESOURCE + " missing next to " + DefaultCatalog.class.getName());
        }
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(reader, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the bundled catalogue is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a catalogue file.
     *
     * @param origin the file's name for error messages
     * @throws IllegalArgumentException naming the origin and line if the content is malformed
     */
    static SimulationCatalog parse(Reader reader, String origin) throws IOException {
        BufferedReader lines = new BufferedReader(reader);
        int[] column = null;
        List<InstrumentProfile> profiles = new ArrayList<>();
        Set<String> symbols = new HashSet<>();
        int lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split(",", -1);
            for (int i = 0; i < fields.length; i++) {
                fields[i] = fields[i].strip();
            }
            String where = origin + " line " + lineNumber + ": ";
            if (column == null) {
                column = header(fields, where);
                continue;
            }
            if (fields.length != column.length) {
                throw new IllegalArgumentException(where + "expected " + column.length + " fields, found "
                        + fields.length);
            }
            InstrumentProfile profile;
            try {
                profile = row(fields, column, profiles.size());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            if (!symbols.add(profile.instrument().symbol())) {
                throw new IllegalArgumentException(where + "duplicate symbol " + profile.instrument().symbol());
            }
            profiles.add(profile);
        }
        if (column == null) {
            throw new IllegalArgumentException(origin + ": no header line; expected " + String.join(",", COLUMNS));
        }
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException(origin + ": no instruments");
        }
        return SimulationCatalog.of(profiles);
    }

    /** Maps each required column to its position in the file; extra columns are not allowed. */
    private static int[] header(String[] names, String where) {
        List<String> given = Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).toList();
        int[] column = new int[COLUMNS.size()];
        for (int i = 0; i < COLUMNS.size(); i++) {
            column[i] = given.indexOf(COLUMNS.get(i));
            if (column[i] < 0) {
                throw new IllegalArgumentException(where + "header lacks column '" + COLUMNS.get(i) + "'; expected "
                        + String.join(",", COLUMNS));
            }
        }
        if (given.size() != COLUMNS.size() || new HashSet<>(given).size() != given.size()) {
            throw new IllegalArgumentException(where + "header must name exactly the columns "
                    + String.join(",", COLUMNS));
        }
        return column;
    }

    private static InstrumentProfile row(String[] fields, int[] column, int id) {
        String symbol = field(fields, column, 0).toUpperCase(Locale.ROOT);
        if (symbol.isEmpty() || !symbol.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == '_')) {
            throw new IllegalArgumentException("symbol must be letters, digits, '.', '-' or '_', was '" + symbol + "'");
        }
        String assetName = field(fields, column, 1);
        AssetClass assetClass = AssetClass.fromWire(assetName);
        if (assetClass == null) {
            throw new IllegalArgumentException("unknown asset class '" + assetName + "' for " + symbol
                    + "; expected crypto, fx or equity");
        }
        int priceScale = integer(fields, column, 5);
        int sizeScale = integer(fields, column, 6);
        Instrument instrument = new Instrument(id, symbol, assetClass, field(fields, column, 2),
                field(fields, column, 3), field(fields, column, 4), priceScale, sizeScale, integer(fields, column, 7));
        return new InstrumentProfile(instrument,
                decimal(fields, column, 8, priceScale),
                real(fields, column, 9),
                integer(fields, column, 10),
                decimal(fields, column, 11, sizeScale),
                real(fields, column, 12));
    }

    private static String field(String[] fields, int[] column, int which) {
        return fields[column[which]];
    }

    private static int integer(String[] fields, int[] column, int which) {
        String text = field(fields, column, which);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(COLUMNS.get(which) + " must be an integer, was '" + text + "'", e);
        }
    }

    private static long decimal(String[] fields, int[] column, int which, int scale) {
        String text = field(fields, column, which);
        try {
            return Decimals.parse(text, scale);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(COLUMNS.get(which) + " '" + text + "' is not a decimal with at most "
                    + scale + " places", e);
        }
    }

    private static double real(String[] fields, int[] column, int which) {
        String text = field(fields, column, which);
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException("not finite");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(COLUMNS.get(which) + " must be a number, was '" + text + "'", e);
        }
    }
}
