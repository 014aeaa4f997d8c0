package io.tickwire.server.session;

import io.tickwire.engine.StreamKey;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Throttle;
import java.util.ArrayList;
import java.util.List;

/**
 * What a subscription asks for on one channel, whatever protocol it came in: the channel, the
 * book depth (0 for the default), the throttle class and, for bars, the period and price type.
 * Protocol handlers build specs from their own words; the session turns them into stream keys.
 *
 * @param depth    book levels per side; 0 means {@link #DEFAULT_DEPTH} (or the instrument's maximum if smaller)
 * @param throttle a {@link Throttle} class; trades ignore it (they are never conflated)
 */
public record StreamSpec(Channel channel, int depth, int throttle, Periodicity period, PriceType priceType) {

    /** The book depth when a subscription names none. */
    public static final int DEFAULT_DEPTH = 10;

    public StreamSpec {
        Throttle.check(throttle);
        if (channel == Channel.BAR && (period == null || priceType == null)) {
            throw new IllegalArgumentException("a bar spec needs a period and a price type");
        }
    }

    /** Specs for channels with shared options: bars get one spec per period and price type. */
    public static List<StreamSpec> of(List<Channel> channels, int depth, int throttle, List<Periodicity> periods,
                                      List<PriceType> priceTypes) {
        List<StreamSpec> specs = new ArrayList<>();
        for (Channel channel : channels) {
            if (channel == Channel.BAR) {
                for (Periodicity period : periods) {
                    for (PriceType type : priceTypes) {
                        specs.add(new StreamSpec(channel, 0, throttle, period, type));
                    }
                }
            } else {
                specs.add(new StreamSpec(channel, channel == Channel.BOOK ? depth : 0, throttle, null, null));
            }
        }
        return specs;
    }

    /** The book depth this spec gives an instrument, or -1 if the instrument's book is not that deep. */
    int depthFor(Instrument instrument) {
        if (depth == 0) {
            return Math.min(DEFAULT_DEPTH, instrument.maxBookDepth());
        }
        return depth <= instrument.maxBookDepth() ? depth : -1;
    }

    /** The stream key for an instrument; the book depth must be valid for it. */
    long keyFor(Instrument instrument) {
        return switch (channel) {
            case QUOTE -> StreamKey.quote(instrument.id(), throttle);
            case TRADE -> StreamKey.of(instrument.id(), Channel.TRADE);
            case BOOK -> StreamKey.book(instrument.id(), depthFor(instrument), throttle);
            case BAR -> StreamKey.bar(instrument.id(), period, priceType, throttle);
        };
    }
}
