package io.tickwire.feeds.simulator;

/**
 * The part of the trading day a market is in, and how busy it is then relative to its regular
 * session. Immutable.
 */
enum TradingSession {
    /** The market is shut: its instruments emit nothing. */
    CLOSED(0.0),
    /** US equities 04:00-09:30 New York time: a thin electronic market. */
    PRE_MARKET(0.05),
    /** The main session; for crypto all the time, for FX the whole trading week. */
    REGULAR(1.0),
    /** US equities 16:00-20:00 New York time: a thin electronic market. */
    AFTER_HOURS(0.05);

    private final double activity;

    TradingSession(double activity) {
        this.activity = activity;
    }

    /** The factor applied to an instrument's activity weight in this session; 0 when closed. */
    double activity() {
        return activity;
    }

    boolean isOpen() {
        return this != CLOSED;
    }
}
