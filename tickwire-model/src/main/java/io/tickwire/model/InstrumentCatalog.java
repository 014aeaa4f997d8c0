package io.tickwire.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The instruments a server carries, indexed densely by id and by symbol.
 *
 * <p>Immutable and thread-safe. Ids are assigned in insertion order from 0, so per-instrument
 * state elsewhere can live in plain arrays. Symbol lookups ignore case.
 */
public final class InstrumentCatalog {

    private final List<Instrument> byId;
    private final Map<String, Instrument> bySymbol;

    private InstrumentCatalog(List<Instrument> instruments) {
        this.byId = List.copyOf(instruments);
        Map<String, Instrument> symbols = new HashMap<>();
        for (Instrument instrument : byId) {
            symbols.put(instrument.symbol().toUpperCase(Locale.ROOT), instrument);
        }
        this.bySymbol = Map.copyOf(symbols);
    }

    /**
     * Builds a catalogue, renumbering ids 0..n-1 in the given order.
     *
     * @throws IllegalArgumentException if two instruments share a symbol (ignoring case)
     */
    public static InstrumentCatalog of(Collection<Instrument> instruments) {
        List<Instrument> numbered = new ArrayList<>(instruments.size());
        Map<String, Instrument> seen = new HashMap<>();
        for (Instrument instrument : instruments) {
            String key = instrument.symbol().toUpperCase(Locale.ROOT);
            if (seen.putIfAbsent(key, instrument) != null) {
                throw new IllegalArgumentException("duplicate symbol in catalogue: " + instrument.symbol());
            }
            numbered.add(instrument.withId(numbered.size()));
        }
        return new InstrumentCatalog(numbered);
    }

    /** The instrument with this symbol, ignoring case, or {@code null}. */
    public Instrument find(String symbol) {
        return symbol == null ? null : bySymbol.get(symbol.toUpperCase(Locale.ROOT));
    }

    /** The instrument with this id. */
    public Instrument get(int id) {
        return byId.get(id);
    }

    /** All instruments in id order. */
    public List<Instrument> all() {
        return byId;
    }

    /** The number of instruments; ids run from 0 to {@code size() - 1}. */
    public int size() {
        return byId.size();
    }
}
