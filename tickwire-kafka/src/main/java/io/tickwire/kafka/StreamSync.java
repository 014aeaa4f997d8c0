package io.tickwire.kafka;

import io.tickwire.model.Channel;
import io.tickwire.model.MarketEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which of the topic's trades and quotes a gateway passes on: the next numbers of each
 * stream. A number not above the stream's last one is a repeat (skipped) when the same ingest node
 * run wrote both — a quote the ingest node appended again for gateways starting later, a record
 * read twice. From a newer run it means that run numbered afresh (it had no store): passed on,
 * counted and logged, since clients that saw the old numbers will take the new ones for repeats.
 * Numbers above the last one always pass, whichever run wrote them: epochs are start times, and a
 * restarted ingest node's clock may be behind the previous one's.
 * Confined to one thread; the counters may be read from any.
 */
final class StreamSync {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSync.class);

    private final long[] lastSeq; // per instrument and channel: the last number passed on
    private final long[] lastEpoch; // ... and the ingest node run that wrote it
    private volatile long repeats;
    private volatile long restarts;

    StreamSync(int instruments) {
        this.lastSeq = new long[instruments * Channel.count()];
        this.lastEpoch = new long[instruments * Channel.count()];
    }

    /**
     * Whether to pass on a trade or quote written by the ingest node run {@code epoch}; a
     * {@code repeat} (state appended again) not above the stream's last number is skipped whichever
     * run wrote it: a restarted ingest node repeats the last quote its store kept, under the old
     * number, which is no new numbering.
     */
    boolean accept(MarketEvent event, long epoch, boolean repeat) {
        int slot = event.instrumentId() * Channel.count() + event.channel().ordinal();
        long last = lastSeq[slot];
        if (event.seq() > last) { // the next numbers, whichever run: epochs are start times, which clocks may skew
            lastSeq[slot] = event.seq();
            lastEpoch[slot] = epoch;
            return true;
        }
        if (repeat || epoch <= lastEpoch[slot]) { // the same run's repeat, or an older run's record after a newer one's
            repeats++;
            return false;
        }
        if (restarts++ % 1_000 == 0) {
            LOG.error("the ingest node's numbering of {} {} went back from {} to {}: an ingest node without its store"
                    + " restarted, and clients that saw the old numbers will take the new ones for repeats",
                    event.channel(), event.instrumentId(), last, event.seq());
        }
        lastSeq[slot] = event.seq();
        lastEpoch[slot] = epoch;
        return true;
    }

    /** Trades and quotes skipped as repeats. */
    long repeats() {
        return repeats;
    }

    /** Times a stream's numbers went back under a newer ingest node run. */
    long restarts() {
        return restarts;
    }
}
