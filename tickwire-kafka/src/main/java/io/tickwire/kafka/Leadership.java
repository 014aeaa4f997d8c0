package io.tickwire.kafka;

/**
 * One ingest node's term as the cluster's elected ingest node (automatic failover): what it writes
 * into every partition of the topic before its first event, so that gateways from then on take
 * records of that partition from its run alone and drop a deposed node's (a zombie's) as fenced.
 *
 * <p>Terms are ordered by {@code term}, then by the consumer group's {@code generation}, then by
 * {@code epoch}: a node elected takes the last term the leader topic holds plus one, so two nodes
 * elected in quick succession (both having read the same last term) are still told apart by their
 * generations, a group that was emptied and began its generations again still numbers terms
 * upwards, and two claims without an election (generation 0) from the same last term go to the
 * later run. An elected node's claim is refused by the broker once the group has moved on from it
 * ({@link EventLog}), so a deposed node's late claim never outranks its successor's.
 *
 * @param term       one more than the term before, from 1
 * @param generation the election group's generation that elected it
 * @param epoch      the run epoch (µs) the node's records carry: the only one taken after its mark
 */
public record Leadership(long term, int generation, long epoch) {

    public Leadership {
        if (term < 1 || generation < 0 || epoch <= 0) {
            throw new IllegalArgumentException("a leadership needs term >= 1, generation >= 0 and epoch > 0, was "
                    + term + ", " + generation + ", " + epoch);
        }
    }

    /** Whether this term comes after {@code other} ({@code null}: no term before). */
    public boolean after(Leadership other) {
        if (other == null || term != other.term) {
            return other == null || term > other.term;
        }
        return generation != other.generation ? generation > other.generation : epoch > other.epoch;
    }
}
