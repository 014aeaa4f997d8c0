package io.tickwire.store.questdb;

import io.questdb.griffin.SqlException;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.store.StoreException;
import java.util.HashMap;
import java.util.Map;

/**
 * Guards the meaning of stored prices: they are scaled longs, so an instrument's price and size
 * scales must never change under stored history. The first time the store sees an instrument it
 * records its scales in {@code instruments}; afterwards a catalogue with other scales is refused
 * at start-up rather than misread.
 */
final class InstrumentScales {

    private InstrumentScales() {
    }

    /**
     * Checks the catalogue against the recorded scales and records new instruments.
     *
     * @throws StoreException naming every instrument whose scales changed
     */
    static void check(QuestDatabase db, InstrumentCatalog catalog, long nowMicros) throws SqlException {
        Map<String, int[]> recorded = new HashMap<>();
        db.select("SELECT symbol, price_scale, size_scale FROM " + Schema.INSTRUMENTS, b -> { }, r -> {
            recorded.put(String.valueOf(r.getSymA(0)), new int[] {r.getInt(1), r.getInt(2)});
            return true;
        });
        StringBuilder changed = new StringBuilder();
        for (Instrument instrument : catalog.all()) {
            int[] scales = recorded.get(instrument.symbol());
            if (scales == null) {
                db.execute("INSERT INTO " + Schema.INSTRUMENTS + " VALUES ('" + instrument.symbol().replace("'", "''")
                        + "', " + instrument.priceScale() + ", " + instrument.sizeScale() + ", " + nowMicros + "::timestamp)");
            } else if (scales[0] != instrument.priceScale() || scales[1] != instrument.sizeScale()) {
                changed.append(changed.isEmpty() ? "" : "; ").append(instrument.symbol()).append(": stored with price scale ")
                        .append(scales[0]).append(" and size scale ").append(scales[1]).append(", catalogue has ")
                        .append(instrument.priceScale()).append(" and ").append(instrument.sizeScale());
            }
        }
        if (!changed.isEmpty()) {
            throw new StoreException("the catalogue changed instrument scales under stored history, which would misread"
                    + " stored prices (" + changed + "); use a new data directory for the new catalogue");
        }
    }
}
