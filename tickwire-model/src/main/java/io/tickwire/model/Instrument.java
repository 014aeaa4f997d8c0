package io.tickwire.model;

import java.util.Objects;

/**
 * A tradable instrument as the server knows it.
 *
 * @param id            dense index in its {@link InstrumentCatalog}, 0-based; used for arrays on hot paths
 * @param symbol        the symbol clients subscribe with, upper case, e.g. {@code BTCUSDT}
 * @param assetClass    crypto, FX or equity
 * @param description   a human description, e.g. "Bitcoin vs Tether"
 * @param baseCurrency  what is bought, e.g. {@code BTC}; for equities the ticker
 * @param quoteCurrency what prices are quoted in, e.g. {@code USDT}
 * @param priceScale    decimal places of prices (scaled longs carry price × 10^priceScale)
 * @param sizeScale     decimal places of sizes
 * @param maxBookDepth  the deepest order-book view a client may subscribe to
 */
public record Instrument(
        int id,
        String symbol,
        AssetClass assetClass,
        String description,
        String baseCurrency,
        String quoteCurrency,
        int priceScale,
        int sizeScale,
        int maxBookDepth) {

    public Instrument {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(assetClass, "assetClass");
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0: " + id);
        }
        if (symbol.isBlank()) {
            throw new IllegalArgumentException("symbol must not be blank");
        }
        if (priceScale < 0 || priceScale > Decimals.MAX_SCALE) {
            throw new IllegalArgumentException("priceScale out of range for " + symbol + ": " + priceScale);
        }
        if (sizeScale < 0 || sizeScale > Decimals.MAX_SCALE) {
            throw new IllegalArgumentException("sizeScale out of range for " + symbol + ": " + sizeScale);
        }
        if (maxBookDepth < 1) {
            throw new IllegalArgumentException("maxBookDepth must be >= 1 for " + symbol);
        }
        description = description == null ? symbol : description;
        baseCurrency = baseCurrency == null ? "" : baseCurrency;
        quoteCurrency = quoteCurrency == null ? "" : quoteCurrency;
    }

    /** This instrument with another catalogue index; used when a catalogue is assembled. */
    public Instrument withId(int newId) {
        return new Instrument(newId, symbol, assetClass, description, baseCurrency, quoteCurrency,
                priceScale, sizeScale, maxBookDepth);
    }
}
