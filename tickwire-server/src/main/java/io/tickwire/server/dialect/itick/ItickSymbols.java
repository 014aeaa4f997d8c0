package io.tickwire.server.dialect.itick;

import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;

/**
 * iTick's spelling of symbols: clients subscribe with {@code ETHUSDT} (or {@code ETH_USDT}) and
 * data names the pair {@code ETH_USDT}, base and quote currency joined by an underscore. An
 * instrument whose symbol is not its base followed by its quote currency (equities, say) keeps its
 * symbol. The one mapping; stateless.
 */
final class ItickSymbols {

    private ItickSymbols() {
    }

    /** The symbol as iTick data writes it: {@code ETH_USDT} for {@code ETHUSDT}. */
    static String data(Instrument instrument) {
        String base = instrument.baseCurrency();
        String quote = instrument.quoteCurrency();
        if (!base.isEmpty() && !quote.isEmpty() && instrument.symbol().equals(base + quote)) {
            return base + "_" + quote;
        }
        return instrument.symbol();
    }

    /** The instrument a client names, in either spelling, or {@code null}. */
    static Instrument resolve(InstrumentCatalog catalog, String name) {
        if (name.isEmpty() || name.length() > 32) {
            return null;
        }
        Instrument instrument = catalog.find(name);
        if (instrument == null && name.indexOf('_') > 0) {
            instrument = catalog.find(name.replace("_", ""));
            if (instrument != null && !data(instrument).equalsIgnoreCase(name)) {
                return null; // only the underscore iTick itself would write
            }
        }
        return instrument;
    }
}
