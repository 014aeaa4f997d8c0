package io.tickwire.feeds.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.model.AssetClass;
import io.tickwire.model.Instrument;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultCatalogTest {

    private static final String HEADER = String.join(",", DefaultCatalog.COLUMNS) + "\n";

    private final SimulationCatalog catalog = DefaultCatalog.load();

    @Test
    void shouldCarryAtLeastFiftyInstrumentsOfEveryAssetClass() {
        List<Instrument> all = catalog.instruments().all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(50);
        assertThat(all).extracting(Instrument::assetClass).containsAll(List.of(AssetClass.values()));
        assertThat(all.stream().filter(i -> i.assetClass() == AssetClass.CRYPTO)).hasSizeGreaterThanOrEqualTo(18);
        assertThat(all.stream().filter(i -> i.assetClass() == AssetClass.FX)).hasSizeGreaterThanOrEqualTo(14);
        assertThat(all.stream().filter(i -> i.assetClass() == AssetClass.EQUITY)).hasSizeGreaterThanOrEqualTo(18);
    }

    @Test
    void shouldHaveUniqueSymbolsIncludingTheOnesTheDocsUse() {
        Set<String> symbols = new HashSet<>();
        for (Instrument instrument : catalog.instruments().all()) {
            assertThat(symbols.add(instrument.symbol())).as("duplicate %s", instrument.symbol()).isTrue();
        }
        assertThat(symbols).contains("BTCUSDT", "ETHUSDT", "EURUSD", "AAPL",
                "USDJPY", "GBPUSD", "USDCHF", "AUDUSD", "USDCAD", "NZDUSD", "EURGBP", "EURJPY",
                "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "JPM");
    }

    @Test
    void shouldUseTheScalesOfEachMarket() {
        for (Instrument instrument : catalog.instruments().all()) {
            switch (instrument.assetClass()) {
                case FX -> {
                    assertThat(instrument.priceScale()).as(instrument.symbol())
                            .isEqualTo(instrument.quoteCurrency().equals("JPY") ? 3 : 5);
                    assertThat(instrument.sizeScale()).as(instrument.symbol()).isZero();
                }
                case EQUITY -> {
                    assertThat(instrument.priceScale()).as(instrument.symbol()).isEqualTo(2);
                    assertThat(instrument.sizeScale()).as(instrument.symbol()).isZero();
                    assertThat(instrument.quoteCurrency()).isEqualTo("USD");
                }
                case CRYPTO -> assertThat(instrument.sizeScale()).as(instrument.symbol()).isBetween(4, 8);
            }
            assertThat(instrument.maxBookDepth()).as("the simulated books keep 20 levels a side").isEqualTo(20);
        }
        Instrument btc = catalog.instruments().find("btcusdt");
        assertThat(btc.priceScale()).isEqualTo(2);
        assertThat(btc.description()).isEqualTo("Bitcoin vs Tether");
        assertThat(btc.baseCurrency()).isEqualTo("BTC");
        assertThat(btc.quoteCurrency()).isEqualTo("USDT");
    }

    @Test
    void shouldPairEveryInstrumentWithItsProfile() {
        assertThat(catalog.size()).isEqualTo(catalog.instruments().size());
        for (int id = 0; id < catalog.size(); id++) {
            InstrumentProfile profile = catalog.profile(id);
            assertThat(profile.instrument()).isEqualTo(catalog.instruments().get(id));
            assertThat(profile.instrument().id()).isEqualTo(id);
        }
        InstrumentProfile eurusd = catalog.profile(catalog.instruments().find("EURUSD").id());
        assertThat(eurusd.initialPrice()).isEqualTo(116_200L);
        assertThat(eurusd.tradeSize()).isEqualTo(500_000L);
        assertThat(eurusd.spreadTicks()).isEqualTo(5);
        assertThat(eurusd.annualVolatility()).isEqualTo(0.07);
        InstrumentProfile btc = catalog.profile(catalog.instruments().find("BTCUSDT").id());
        assertThat(btc.initialPrice()).isEqualTo(10_425_000L);
        assertThat(btc.tradeSize()).as("0.012 BTC at size scale 5").isEqualTo(1_200L);
    }

    @Test
    void shouldReadColumnsInAnyOrderAndSkipCommentsAndBlankLines() throws IOException {
        String text = """
                # a comment
                
                price_scale,symbol,asset_class,description,base_currency,quote_currency,size_scale,max_book_depth,initial_price,annual_volatility,spread_ticks,trade_size,activity_weight
                2,abc,EQUITY,ABC Corp,ABC,USD,0,20,12.5,0.3,1,100,2
                """;
        SimulationCatalog parsed = DefaultCatalog.parse(new StringReader(text), "test.csv");
        InstrumentProfile abc = parsed.profile(0);
        assertThat(abc.instrument().symbol()).isEqualTo("ABC");
        assertThat(abc.instrument().assetClass()).isEqualTo(AssetClass.EQUITY);
        assertThat(abc.initialPrice()).isEqualTo(1_250L);
        assertThat(abc.activityWeight()).isEqualTo(2.0);
    }

    @Test
    void shouldRejectMalformedFilesNamingTheLine() {
        assertThatThrownBy(() -> parse("XYZ,stock,X,X,USD,2,0,50,10.00,0.2,1,100,1"))
                .hasMessageContaining("test.csv line 2").hasMessageContaining("unknown asset class 'stock'");
        assertThatThrownBy(() -> parse("XYZ,equity,X,X,USD,2,0,50,10.005,0.2,1,100,1"))
                .hasMessageContaining("line 2").hasMessageContaining("initial_price '10.005'");
        assertThatThrownBy(() -> parse("XYZ,equity,X,X,USD,2,0,50,10.00,0.2,1,100"))
                .hasMessageContaining("line 2").hasMessageContaining("expected 13 fields, found 12");
        assertThatThrownBy(() -> parse("XYZ,equity,X,X,USD,2,0,50,0.50,0.2,1,100,1"))
                .hasMessageContaining("at least 100 ticks");
        assertThatThrownBy(() -> parse("XYZ,equity,X,X,USD,2,0,50,10.00,0.2,0,100,1"))
                .hasMessageContaining("spread of XYZ");
        assertThatThrownBy(() -> parse("XYZ,equity,X,X,USD,2,0,50,10.00,0.2,1,100,0"))
                .hasMessageContaining("activity weight of XYZ");
        assertThatThrownBy(() -> parse("XYZ,equity,X,X,USD,two,0,50,10.00,0.2,1,100,1"))
                .hasMessageContaining("price_scale must be an integer, was 'two'");
        assertThatThrownBy(() -> parse("XYZ,equity,X,X,USD,2,0,50,10.00,0.2,1,100,1\nxyz,equity,X,X,USD,2,0,50,10.00,0.2,1,100,1"))
                .hasMessageContaining("line 3").hasMessageContaining("duplicate symbol XYZ");
        assertThatThrownBy(() -> DefaultCatalog.parse(new StringReader("symbol,asset_class\n"), "test.csv"))
                .hasMessageContaining("header lacks column 'description'");
        assertThatThrownBy(() -> DefaultCatalog.parse(new StringReader("# nothing\n"), "test.csv"))
                .hasMessageContaining("no header line");
        assertThatThrownBy(() -> DefaultCatalog.parse(new StringReader(HEADER), "test.csv"))
                .hasMessageContaining("no instruments");
    }

    private static SimulationCatalog parse(String rows) throws IOException {
        return DefaultCatalog.parse(new StringReader(HEADER + rows + "\n"), "test.csv");
    }
}
