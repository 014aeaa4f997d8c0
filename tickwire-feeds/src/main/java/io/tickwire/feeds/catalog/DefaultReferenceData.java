package io.tickwire.feeds.catalog;

import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.reference.CurrencyInfo;
import io.tickwire.model.reference.ReferenceData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference data Tickwire ships with: currency names, types and precisions
 * ({@code currencies.csv}) and interest-rate history ({@code interest-rates.csv}), next to the
 * default catalogue; what they leave out is derived from the catalogue (see
 * {@link ReferenceData#derive}). Stateless.
 */
public final class DefaultReferenceData {

    private DefaultReferenceData() {
    }

    /** The reference data of {@code catalog} with the bundled tables. */
    public static ReferenceData load(InstrumentCatalog catalog) {
        List<CurrencyInfo> currencies = new ArrayList<>();
        for (String[] row : rows("currencies.csv", 4)) {
            currencies.add(new CurrencyInfo(row[0], row[1], Integer.parseInt(row[2]), row[3]));
        }
        List<ReferenceData.RateEntry> rates = new ArrayList<>();
        for (String[] row : rows("interest-rates.csv", 3)) {
            long millis = LocalDate.parse(row[1]).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            rates.add(new ReferenceData.RateEntry(row[0], millis, new BigDecimal(row[2])));
        }
        return ReferenceData.derive(catalog, currencies, rates);
    }

    /** The data rows of a bundled CSV file (header, comments and blank lines skipped). */
    private static List<String[]> rows(String resource, int columns) {
        InputStream in = DefaultReferenceData.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("resource " + resource + " missing next to " + DefaultReferenceData.class.getName());
        }
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean header = true;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] fields = trimmed.split(",", -1);
                if (fields.length != columns) {
                    throw new IllegalStateException(resource + ": expected " + columns + " fields in '" + trimmed + "'");
                }
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = fields[i].strip();
                }
                rows.add(fields);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return rows;
    }
}
