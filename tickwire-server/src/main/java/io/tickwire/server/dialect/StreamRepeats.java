package io.tickwire.server.dialect;

import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * What each stream of an encoder last put on the wire, so a frame that would only repeat it can
 * be skipped. Dialects whose messages carry fewer fields than the engine's (an iTick quote has no
 * bid or ask; a TickTrader bar no volume) would otherwise send the same frame again on every
 * change of a field they do not show.
 *
 * <p>A snapshot always goes out and restarts its stream's record: it is what a new subscriber
 * starts from, and the stream may not have been fed while it had no subscribers in the format.
 * The subscribers already there lose nothing, as the snapshot is the stream's current value,
 * which they were sent or which repeated what they were sent.
 *
 * <p>Owned by one encoder (one partition thread). Bounded by the number of streams the partition
 * ever served in this format.
 */
public final class StreamRepeats {

    private final Long2ObjectHashMap<long[]> last = new Long2ObjectHashMap<>();

    /**
     * Whether a frame of the stream showing {@code values} (every field it shows but the time) goes
     * out: a snapshot always, any other frame when the values differ from the last the stream sent.
     * Records the values either way.
     */
    public boolean changed(long streamKey, boolean snapshot, long... values) {
        long[] previous = last.get(streamKey);
        if (previous != null && !snapshot && Arrays.equals(previous, values)) {
            return false;
        }
        last.put(streamKey, values.clone());
        return true;
    }
}
