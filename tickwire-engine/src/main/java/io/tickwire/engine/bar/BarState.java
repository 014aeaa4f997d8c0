package io.tickwire.engine.bar;

import java.util.Arrays;

/**
 * The whole bar state of one instrument, every period and price type, exactly as its engine holds
 * it: the forming (or last closed) bar, where the last close left off, and the trades waiting for
 * a period's first price. A cluster's ingest node sends it to gateways now and then, and a gateway
 * that starts takes it over once, so its bars of periods longer than what it reads of the topic
 * are whole rather than built from the trades it happened to read. The messages' numbers are not
 * part of it: each engine numbers its own bar messages.
 *
 * <p>{@link #values} holds {@link BarSeries#STATE_FIELDS} longs per series, the series in the
 * engine's order (period, then price type); a series with nothing yet is all {@link #isPristine
 * pristine}. Immutable once made; the array is not copied and must not be changed.
 *
 * @param instrumentId the instrument
 * @param values       {@link #SERIES} × {@link BarSeries#STATE_FIELDS} longs
 */
public record BarState(int instrumentId, long[] values) {

    /** Series per instrument: one per period and price type. */
    public static final int SERIES = BarSeeding.InstrumentSeed.SLOTS;

    public BarState {
        if (values.length != SERIES * BarSeries.STATE_FIELDS) {
            throw new IllegalArgumentException("a bar state has " + SERIES * BarSeries.STATE_FIELDS + " values, not "
                    + values.length);
        }
    }

    /** Whether series {@code slot} has no bar, no close and no waiting trades. */
    public boolean isPristine(int slot) {
        return BarSeries.isPristine(values, slot * BarSeries.STATE_FIELDS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BarState other && other.instrumentId == instrumentId && Arrays.equals(other.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * instrumentId + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "BarState[" + instrumentId + "]";
    }
}
