package io.tickwire.model.reference;

import io.tickwire.model.AssetClass;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference data of a catalogue: its currencies (every base and quote currency of its
 * instruments), their types, each instrument's {@link SymbolTerms} and the interest-rate history.
 *
 * <p>{@link #derive} fills what a given currency table does not name, by the instrument's asset
 * class: FX currencies are {@code Default} with 2 places, crypto coins {@code Crypto} with the
 * instrument's size scale, equity tickers {@code Share} with 0. Terms follow the asset class too:
 * FX contracts of 100 000 units in lots of 1 000, crypto and shares of 1 unit in steps of the
 * size scale. Immutable and thread-safe.
 */
public final class ReferenceData {

    private static final Map<String, String> TYPE_DESCRIPTIONS = Map.of(
            "Default", "Default currency type", "Share", "Share", "Crypto", "Crypto currency");

    private final List<CurrencyType> types;
    private final List<CurrencyInfo> currencies;
    private final List<SymbolTerms> symbols;
    private final List<InterestRate> rates;

    private ReferenceData(List<CurrencyType> types, List<CurrencyInfo> currencies, List<SymbolTerms> symbols,
                          List<InterestRate> rates) {
        this.types = List.copyOf(types);
        this.currencies = List.copyOf(currencies);
        this.symbols = List.copyOf(symbols);
        this.rates = List.copyOf(rates);
    }

    /**
     * The reference data of a catalogue.
     *
     * @param known currencies described by configuration; they win over derived ones
     * @param rates interest-rate records in any order; ids are assigned oldest first
     */
    public static ReferenceData derive(InstrumentCatalog catalog, List<CurrencyInfo> known, List<RateEntry> rates) {
        Map<String, CurrencyInfo> byName = new LinkedHashMap<>();
        Map<String, CurrencyInfo> given = new LinkedHashMap<>();
        known.forEach(c -> given.put(c.name(), c));
        for (Instrument i : catalog.all()) {
            for (String name : List.of(i.baseCurrency(), i.quoteCurrency())) {
                if (name.isEmpty() || byName.containsKey(name)) {
                    continue;
                }
                boolean base = name.equals(i.baseCurrency());
                CurrencyInfo info = given.get(name);
                if (info == null) {
                    info = switch (i.assetClass()) {
                        case FX -> new CurrencyInfo(name, "Default", 2, name);
                        case CRYPTO -> new CurrencyInfo(name, "Crypto", base ? i.sizeScale() : i.priceScale(), name);
                        case EQUITY -> base ? new CurrencyInfo(name, "Share", 0, i.description())
                                : new CurrencyInfo(name, "Default", 2, name);
                    };
                }
                byName.put(name, info);
            }
        }
        List<CurrencyType> types = byName.values().stream().map(CurrencyInfo::type).distinct()
                .map(t -> new CurrencyType(t, TYPE_DESCRIPTIONS.getOrDefault(t, t))).toList();
        List<SymbolTerms> symbols = catalog.all().stream().map(i -> terms(i, byName)).toList();
        List<RateEntry> sorted = new ArrayList<>(rates);
        sorted.sort(Comparator.comparingLong(RateEntry::timestampMillis).thenComparing(RateEntry::currency));
        List<InterestRate> numbered = new ArrayList<>();
        for (RateEntry r : sorted) {
            numbered.add(new InterestRate(numbered.size() + 1, r.currency(), r.timestampMillis(), r.rate()));
        }
        return new ReferenceData(types, new ArrayList<>(byName.values()), symbols, numbered);
    }

    /** An interest rate as configured: from when a currency's rate is what. */
    public record RateEntry(String currency, long timestampMillis, BigDecimal rate) {
    }

    private static SymbolTerms terms(Instrument i, Map<String, CurrencyInfo> currencies) {
        CurrencyInfo margin = currencies.getOrDefault(i.baseCurrency(), new CurrencyInfo(i.symbol(), "Default", 2, i.symbol()));
        CurrencyInfo profit = currencies.getOrDefault(i.quoteCurrency(), new CurrencyInfo("USD", "Default", 2, "USD"));
        BigDecimal step = BigDecimal.ONE.movePointLeft(i.sizeScale());
        return switch (i.assetClass()) {
            case FX -> new SymbolTerms(i, "Forex", "Forex", "Forex", BigDecimal.valueOf(100_000), new BigDecimal("0.5"),
                    BigDecimal.ONE, margin, profit, true, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.valueOf(1_000),
                    BigDecimal.valueOf(10_000_000), BigDecimal.valueOf(1_000), BigDecimal.ZERO, BigDecimal.ZERO,
                    BigDecimal.ZERO);
            case CRYPTO -> new SymbolTerms(i, "Crypto", "Crypto currencies", "Cfd", BigDecimal.ONE, new BigDecimal("0.5"),
                    BigDecimal.ONE, margin, profit, false, BigDecimal.ZERO, BigDecimal.ZERO, step,
                    BigDecimal.valueOf(1_000_000), step, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
            case EQUITY -> new SymbolTerms(i, "Stocks", "US equities", "Cfd", BigDecimal.ONE, new BigDecimal("0.5"),
                    BigDecimal.ONE, margin, profit, false, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE,
                    BigDecimal.valueOf(1_000_000), BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
        };
    }

    /** Currency types in first-use order. */
    public List<CurrencyType> currencyTypes() {
        return types;
    }

    /** Currencies in first-use order. */
    public List<CurrencyInfo> currencies() {
        return currencies;
    }

    /** Every instrument's terms, in catalogue order. */
    public List<SymbolTerms> symbols() {
        return symbols;
    }

    /** Interest-rate records, oldest first; ids ascending. */
    public List<InterestRate> interestRates() {
        return rates;
    }

    /** Whether any instrument of the asset class is in the catalogue; for completeness of listings. */
    public boolean carries(AssetClass assetClass) {
        return symbols.stream().anyMatch(s -> s.instrument().assetClass() == assetClass);
    }
}
