package io.tickwire.engine;

import io.tickwire.model.AssetClass;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import java.util.ArrayList;
import java.util.List;

/** A small catalogue for engine tests. */
public final class TestInstruments {

    private TestInstruments() {
    }

    /** {@code n} crypto instruments SYM0..SYM{n-1}, price scale 2, size scale 4. */
    public static InstrumentCatalog catalog(int n) {
        List<Instrument> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Instrument(0, "SYM" + i, AssetClass.CRYPTO, null, "S" + i, "USD", 2, 4, 20));
        }
        return InstrumentCatalog.of(list);
    }
}
