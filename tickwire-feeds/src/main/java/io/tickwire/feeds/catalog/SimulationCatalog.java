package io.tickwire.feeds.catalog;

import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The instruments a simulator trades together with each one's {@link InstrumentProfile}.
 *
 * <p>Immutable and thread-safe. {@code profiles().get(id)} belongs to {@code instruments().get(id)}:
 * give the engine {@link #instruments()} and the simulator this whole object, so both agree on ids.
 *
 * @param instruments the catalogue, ids 0..n-1
 * @param profiles    one profile per instrument, in id order
 */
public record SimulationCatalog(InstrumentCatalog instruments, List<InstrumentProfile> profiles) {

    public SimulationCatalog {
        Objects.requireNonNull(instruments, "instruments");
        profiles = List.copyOf(profiles);
        if (profiles.size() != instruments.size()) {
            throw new IllegalArgumentException("need one profile per instrument: " + instruments.size()
                    + " instruments, " + profiles.size() + " profiles");
        }
        for (int id = 0; id < profiles.size(); id++) {
            if (!profiles.get(id).instrument().equals(instruments.get(id))) {
                throw new IllegalArgumentException("profile " + id + " (" + profiles.get(id).instrument().symbol()
                        + ") does not belong to instrument " + id + " (" + instruments.get(id).symbol() + ")");
            }
        }
    }

    /**
     * Builds a catalogue from profiles in the given order, numbering instruments 0..n-1.
     *
     * @throws IllegalArgumentException if two instruments share a symbol (ignoring case)
     */
    public static SimulationCatalog of(Collection<InstrumentProfile> profiles) {
        List<InstrumentProfile> numbered = new ArrayList<>(profiles.size());
        for (InstrumentProfile profile : profiles) {
            numbered.add(profile.withId(numbered.size()));
        }
        List<Instrument> instruments = numbered.stream().map(InstrumentProfile::instrument).toList();
        return new SimulationCatalog(InstrumentCatalog.of(instruments), numbered);
    }

    /** The profile of the instrument with this id. */
    public InstrumentProfile profile(int instrumentId) {
        return profiles.get(instrumentId);
    }

    /** The number of instruments. */
    public int size() {
        return profiles.size();
    }
}
