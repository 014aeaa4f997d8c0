package io.tickwire.engine.bar;

import io.tickwire.model.Bar;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;

/**
 * Where each instrument's bars and day values stand when the engine starts: what a previous run
 * of the server left in the history store, so that a restarted server continues the bars being
 * formed (and a quote's day volume and last price, and the last quote itself) instead of starting
 * them from the events received since the restart. Handed to the bus before it starts, like
 * {@link io.tickwire.engine.ingest.Numbering}.
 */
public interface BarSeeding {

    /** Nothing stored: every bar starts with the first event. */
    BarSeeding NONE = instrumentId -> null;

    /** What is stored of an instrument's current periods, or {@code null} if nothing is. */
    InstrumentSeed instrument(int instrumentId);

    /**
     * The stored state of one instrument as of its last stored event (the same definition as the
     * live bars, see {@link BarSeries}).
     *
     * @param lastEventTime   the instrument's last stored event time (trade or quote): its market clock starts there
     * @param lastPrice       the last stored trade's price, 0 if none
     * @param dayVolume       the volume traded in the UTC day of {@code lastEventTime}, up to it
     * @param forming         per {@link #slot}: the bar of the period containing {@code lastEventTime}, not
     *                        closed, or {@code null} (no price in that period, or the previous run closed it)
     * @param closedUntil     per {@link #slot}: the end of the last closed bar the store holds,
     *                        {@link Long#MIN_VALUE} if none; no bar opens before it
     * @param periodVolume    per {@link Periodicity#ordinal}: the volume of the trades of the period containing
     *                        {@code lastEventTime} (a {@code bid} or {@code ask} bar with no price yet adds it
     *                        when a price opens it)
     * @param periodTrades    likewise, their count
     * @param periodTradeTime likewise, the latest trade's time ({@link Long#MIN_VALUE} if none)
     * @param lastQuote       the last stored quote, with its time and number, or {@code null} if none: a new
     *                        subscriber's first quote until the source sends one (a market closed over a
     *                        restart otherwise has no quote to show until it opens)
     */
    record InstrumentSeed(long lastEventTime, long lastPrice, long dayVolume, Bar[] forming, long[] closedUntil,
                          long[] periodVolume, long[] periodTrades, long[] periodTradeTime, Quote lastQuote) {

        /** Slots: one per period and price type. */
        public static final int SLOTS = Periodicity.values().length * PriceType.values().length;

        public InstrumentSeed {
            if (forming.length != SLOTS || closedUntil.length != SLOTS) {
                throw new IllegalArgumentException("one bar and one close per period and price type");
            }
            int periods = Periodicity.values().length;
            if (periodVolume.length != periods || periodTrades.length != periods || periodTradeTime.length != periods) {
                throw new IllegalArgumentException("one volume, count and time per period");
            }
            forming = forming.clone();
            closedUntil = closedUntil.clone();
            periodVolume = periodVolume.clone();
            periodTrades = periodTrades.clone();
            periodTradeTime = periodTradeTime.clone();
        }

        /** The index of a period and price type in {@link #forming} and {@link #closedUntil}. */
        public static int slot(Periodicity period, PriceType type) {
            return period.ordinal() * PriceType.values().length + type.ordinal();
        }
    }
}
