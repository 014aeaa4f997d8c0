package io.tickwire.engine.ingest;

import io.tickwire.model.Channel;

/**
 * Where each stream's numbering starts: the last sequence number (and, for trades, the last trade
 * id) a previous run of the server gave out, read from the history store, so that a restarted
 * server continues its streams instead of numbering them from 1 again.
 */
public interface Numbering {

    /** Numbering from scratch. */
    Numbering FRESH = new Numbering() {
        @Override
        public long lastSeq(int instrumentId, Channel channel) {
            return 0;
        }

        @Override
        public long lastTradeId(int instrumentId) {
            return 0;
        }
    };

    /** The last sequence number given out in a stream, 0 if none. */
    long lastSeq(int instrumentId, Channel channel);

    /** The last trade id given out for an instrument, 0 if none. */
    long lastTradeId(int instrumentId);

    /** Where the numbers handed out from here on are reserved; {@link NumberReservations#NONE} if nowhere. */
    default NumberReservations reservations() {
        return NumberReservations.NONE;
    }
}
