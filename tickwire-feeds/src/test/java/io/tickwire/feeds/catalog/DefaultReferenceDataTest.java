package io.tickwire.feeds.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.reference.CurrencyInfo;
import io.tickwire.model.reference.InterestRate;
import io.tickwire.model.reference.ReferenceData;
import io.tickwire.model.reference.SymbolTerms;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bundled reference data covers the default catalogue: every currency, every symbol, ordered rates. */
class DefaultReferenceDataTest {

    private final InstrumentCatalog catalog = DefaultCatalog.load().instruments();
    private final ReferenceData data = DefaultReferenceData.load(catalog);

    @Test
    void everyBaseAndQuoteCurrencyIsDescribedOnceAndEverySymbolHasTerms() {
        Set<String> expected = new HashSet<>();
        for (Instrument i : catalog.all()) {
            expected.add(i.baseCurrency());
            expected.add(i.quoteCurrency());
        }
        assertThat(data.currencies()).extracting(CurrencyInfo::name).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(data.currencies()).filteredOn(c -> c.name().equals("USD")).singleElement()
                .isEqualTo(new CurrencyInfo("USD", "Default", 2, "United States Dollar"));
        assertThat(data.currencies()).filteredOn(c -> c.name().equals("AAPL")).singleElement()
                .extracting(CurrencyInfo::type).isEqualTo("Share");
        assertThat(data.currencyTypes()).extracting(t -> t.name()).containsExactlyInAnyOrder("Default", "Crypto", "Share");
        assertThat(data.symbols()).extracting(SymbolTerms::instrument).containsExactlyElementsOf(catalog.all());
        SymbolTerms eurusd = data.symbols().stream().filter(s -> s.instrument().symbol().equals("EURUSD")).findFirst().orElseThrow();
        assertThat(eurusd.securityName()).isEqualTo("Forex");
        assertThat(eurusd.marginCurrency().name()).isEqualTo("EUR");
        assertThat(eurusd.profitCurrency().name()).isEqualTo("USD");
        assertThat(eurusd.contractSize()).isEqualByComparingTo("100000");
    }

    @Test
    void interestRatesAreNumberedOldestFirst() {
        List<InterestRate> rates = data.interestRates();
        assertThat(rates).isNotEmpty();
        for (int i = 1; i < rates.size(); i++) {
            assertThat(rates.get(i).id()).isEqualTo(rates.get(i - 1).id() + 1);
            assertThat(rates.get(i).timestampMillis()).isGreaterThanOrEqualTo(rates.get(i - 1).timestampMillis());
        }
        assertThat(rates).extracting(InterestRate::currency).allMatch(c -> data.currencies().stream().anyMatch(x -> x.name().equals(c)));
        assertThat(rates).extracting(InterestRate::rate).allMatch(r -> r.compareTo(BigDecimal.ZERO) >= 0);
    }
}
