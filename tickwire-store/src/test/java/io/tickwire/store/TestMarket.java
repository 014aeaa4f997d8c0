package io.tickwire.store;

import io.tickwire.model.AssetClass;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import java.time.Instant;
import java.util.List;

/** A small catalogue and helpers to make ticks for store tests. */
public final class TestMarket {

    public static final InstrumentCatalog CATALOG = InstrumentCatalog.of(List.of(
            new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, "Bitcoin vs Tether", "BTC", "USDT", 2, 6, 50),
            new Instrument(0, "EURUSD", AssetClass.FX, "Euro vs US Dollar", "EUR", "USD", 5, 0, 20),
            new Instrument(0, "AAPL", AssetClass.EQUITY, "Apple Inc.", "AAPL", "USD", 2, 0, 20)));

    public static final Instrument BTC = CATALOG.find("BTCUSDT");
    public static final Instrument EUR = CATALOG.find("EURUSD");
    public static final Instrument AAPL = CATALOG.find("AAPL");

    /** 2025-11-20T00:00:00Z in microseconds: a Thursday. */
    public static final long DAY = Instant.parse("2025-11-20T00:00:00Z").getEpochSecond() * 1_000_000L;

    private TestMarket() {
    }

    public static Trade trade(Instrument i, long seq, long time, long price, long size) {
        return new Trade(i.id(), seq, time, price, size, seq % 2 == 0 ? Side.SELL : Side.BUY, seq);
    }

    public static Quote quote(Instrument i, long seq, long time, long bid, long ask) {
        return new Quote(i.id(), seq, time, bid, 10 + seq, ask, 20 + seq, bid, seq * 3);
    }

    public static long seconds(long s) {
        return s * 1_000_000L;
    }
}
