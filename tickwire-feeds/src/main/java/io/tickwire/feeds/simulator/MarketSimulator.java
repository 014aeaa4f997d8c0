package io.tickwire.feeds.simulator;

import io.tickwire.feeds.catalog.InstrumentProfile;
import io.tickwire.feeds.catalog.SimulationCatalog;
import io.tickwire.model.AssetClass;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A deterministic market: one {@link SimulatedBook} per instrument whose fair value random-walks
 * with its volatility scaled to event time, around which simulated market makers quote a few
 * levels a side; trades take liquidity at the touch, liquidity is added and cancelled, and busy
 * instruments occasionally burst. Each call of {@link #next(long)} returns one event: a
 * {@link Quote} whenever the top of a book changed, or a {@link Trade} (always followed by the
 * quote showing the liquidity it took).
 *
 * <p>Pure and single-threaded: no clock reads, no threads, one {@link java.util.SplittableRandom}
 * from the seed, so the events are a function of the catalogue, the configuration and the times
 * passed in. Not thread-safe; one thread drives it. Events carry {@code seq == 0}, trade id 0 and,
 * on quotes, last price and volume 0: ingest and the engine fill those in. Quotes are never crossed,
 * all prices are positive and on the tick grid (one unit of the instrument's last price decimal).
 *
 * <p>Throughput: about 250 ns per event on one core (3.5-4 million events per second with the
 * default catalogue in a quick unscientific check on a 2-core VM), far above the runner's 100,000
 * events per second; real numbers will come from {@code tickwire-bench}.
 */
public final class MarketSimulator {

    /** Price levels kept per book side. */
    static final int BOOK_LEVELS = 20;
    /** A side refills deeper levels when trades or cancels leave it with fewer than this. */
    private static final int MIN_LEVELS = 3;
    /** The longest event-time gap one random-walk step covers, so a long pause is not a crash. */
    private static final long MAX_STEP_MICROS = 3_600_000_000L;
    private static final long MINUTE_MICROS = 60_000_000L;
    private static final long UNSCHEDULED = Long.MIN_VALUE;
    /** Steps tried for one event before deciding nothing happens; never reached in practice. */
    private static final int MAX_STEPS_PER_EVENT = 10_000;
    private static final double BURST_MIN_FACTOR = 5;
    private static final double BURST_MAX_FACTOR = 20;
    private static final long BURST_MIN_MICROS = 2_000_000;
    private static final long BURST_MAX_MICROS = 30_000_000;

    private final SimulationCatalog catalog;
    private final SimulatorConfig config;
    private final MarketRandom random;
    private final int size;
    private final SimulatedBook[] books;
    private final InstrumentProfile[] profiles;
    private final OrderFlow[] flows;
    /** Volatility of the log price per square root of a microsecond of event time. */
    private final double[] volatility;
    /** Distance between book levels, in ticks. */
    private final long[] levelGap;
    private final double[] minFairValue;
    private final double[] maxFairValue;

    /** The top of book last shown in a quote, per instrument; zeros before the first quote. */
    private final long[] shownBidPrice;
    private final long[] shownBidSize;
    private final long[] shownAskPrice;
    private final long[] shownAskSize;

    private final double[] sessionActivity = new double[AssetClass.values().length];
    private long sessionFrom = Long.MAX_VALUE;
    private long sessionUntil = Long.MIN_VALUE;
    private final double[] burstFactor;
    private final long[] burstUntil;
    private final long meanMicrosBetweenBursts;
    private long nextBurstAt = UNSCHEDULED;
    private long nextBurstEnd = Long.MAX_VALUE;
    private final double[] cumulativeWeight;
    private double totalWeight;
    private boolean weightsStale = true;

    /** Events of the current step not yet returned, in order. */
    private final ArrayDeque<MarketEvent> pending = new ArrayDeque<>();

    /** Book mode: level changes not yet published, per instrument (null when none). */
    private final BookUpdate.Builder[] changes;
    /** Book mode: whether an instrument's full book has been published once. */
    private final boolean[] bookShown;
    /** The event time of the step under way, stamped on the level changes it makes. */
    private long stepTime;

    /** A simulator of every instrument in the catalogue, seeded from {@code config.seed()}. */
    public MarketSimulator(SimulationCatalog catalog, SimulatorConfig config) {
        this(catalog, config, LevelListener.NONE);
    }

    /** As above, reporting every book level change to {@code listener}. */
    MarketSimulator(SimulationCatalog catalog, SimulatorConfig config, LevelListener outside) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(outside, "listener");
        this.changes = new BookUpdate.Builder[catalog.size()];
        this.bookShown = new boolean[catalog.size()];
        LevelListener listener = config.bookEvents() ? (instrumentId, side, price, size) -> {
            outside.level(instrumentId, side, price, size);
            recordChange(instrumentId, side, price, size);
        } : outside;
        this.random = new MarketRandom(config.seed());
        this.size = catalog.size();
        this.books = new SimulatedBook[size];
        this.profiles = catalog.profiles().toArray(new InstrumentProfile[0]);
        this.flows = new OrderFlow[size];
        this.volatility = new double[size];
        this.levelGap = new long[size];
        this.minFairValue = new double[size];
        this.maxFairValue = new double[size];
        this.shownBidPrice = new long[size];
        this.shownBidSize = new long[size];
        this.shownAskPrice = new long[size];
        this.shownAskSize = new long[size];
        this.burstFactor = new double[size];
        this.burstUntil = new long[size];
        this.cumulativeWeight = new double[size];
        this.meanMicrosBetweenBursts = config.meanTimeBetweenBursts().toNanos() / 1_000;
        for (int id = 0; id < size; id++) {
            InstrumentProfile profile = profiles[id];
            AssetClass assetClass = profile.instrument().assetClass();
            flows[id] = OrderFlow.of(assetClass);
            volatility[id] = profile.annualVolatility() / StrictMath.sqrt(tradingYearMicros(assetClass));
            levelGap[id] = Math.max(1, profile.spreadTicks() / 2);
            minFairValue[id] = Math.max(profile.initialPrice() / 50.0,
                    2.0 * profile.spreadTicks() + 2.0 * BOOK_LEVELS * levelGap[id]);
            maxFairValue[id] = profile.initialPrice() * 50.0;
            burstFactor[id] = 1;
            books[id] = new SimulatedBook(profile.instrument(), BOOK_LEVELS, profile.initialPrice(), listener);
            requote(id, books[id], profile.spreadTicks());
        }
    }

    /**
     * The next event at the given time: the rest of the current market step if one is under way,
     * else a new step of an instrument chosen by activity among those whose market is open.
     *
     * @param eventTimeMicros the current time, microseconds since the epoch; new events carry it
     * @return the event, or {@code null} if no instrument's market is open at that time
     */
    public MarketEvent next(long eventTimeMicros) {
        if (pending.isEmpty()) {
            refreshActivity(eventTimeMicros);
            for (int step = 0; step < MAX_STEPS_PER_EVENT && pending.isEmpty() && totalWeight > 0; step++) {
                step(chooseInstrument(), eventTimeMicros);
            }
        }
        return pending.poll();
    }

    /** The instruments this simulator trades; the engine must use the same catalogue. */
    public InstrumentCatalog instruments() {
        return catalog.instruments();
    }

    public SimulatorConfig config() {
        return config;
    }

    /** The live book of an instrument; for inspection on the simulating thread only. */
    SimulatedBook book(int instrumentId) {
        return books[instrumentId];
    }

    /** True while events of the last step are still to be returned by {@link #next(long)}. */
    boolean midStep() {
        return !pending.isEmpty();
    }

    /** The current burst multiplier of an instrument's activity, 1 when not bursting. */
    double burstFactor(int instrumentId) {
        return burstFactor[instrumentId];
    }

    // ---- one market step -------------------------------------------------------------------

    private void step(int id, long now) {
        stepTime = now;
        SimulatedBook book = books[id];
        moveFairValue(id, book, now);
        double fair = book.fairValue();
        if (fair > book.asks().bestPrice() || fair < book.bids().bestPrice()) {
            // The market moved through the quotes: market makers requote before anything else happens.
            requote(id, book, drawSpread(id));
        }
        showTop(id, now);
        OrderFlow flow = flows[id];
        double action = random.uniform();
        if (action < flow.trade()) {
            trade(id, book, now);
        } else if (action < flow.trade() + flow.requote()) {
            requote(id, book, drawSpread(id));
        } else {
            changeLiquidity(id, book);
        }
        showTop(id, now);
    }

    /** A geometric random walk of the fair value over the event time since the book's last step. */
    private void moveFairValue(int id, SimulatedBook book, long now) {
        long last = book.lastStepMicros();
        if (last != Long.MIN_VALUE && now > last && volatility[id] > 0) {
            long elapsed = Math.min(now - last, MAX_STEP_MICROS);
            double step = volatility[id] * StrictMath.sqrt(elapsed) * random.gaussian();
            double moved = book.fairValue() * StrictMath.exp(step);
            book.fairValue(Math.min(maxFairValue[id], Math.max(minFairValue[id], moved)));
        }
        if (last == Long.MIN_VALUE || now > last) {
            book.lastStepMicros(now);
        }
    }

    /**
     * Recentres the book on its fair value: stale levels inside the new quotes are cancelled, the
     * new touch is joined, and holes down to the book's depth are filled at the level gap.
     */
    private void requote(int id, SimulatedBook book, int spread) {
        long targetBid = Math.max(1, (long) Math.floor(book.fairValue() - spread / 2.0));
        long targetAsk = targetBid + spread;
        PriceLadder bids = book.bids();
        PriceLadder asks = book.asks();
        while (!bids.isEmpty() && bids.bestPrice() > targetBid) {
            bids.set(bids.bestPrice(), 0);
        }
        while (!asks.isEmpty() && asks.bestPrice() < targetAsk) {
            asks.set(asks.bestPrice(), 0);
        }
        if (bids.isEmpty() || bids.bestPrice() < targetBid) {
            bids.set(targetBid, levelSize(id, 0));
        }
        if (asks.isEmpty() || asks.bestPrice() > targetAsk) {
            asks.set(targetAsk, levelSize(id, 0));
        }
        fillGaps(id, bids);
        fillGaps(id, asks);
    }

    /** Makes every level at most one level gap behind the one before, down to the full depth. */
    private void fillGaps(int id, PriceLadder ladder) {
        BookSide side = ladder.side();
        for (int level = 0; level < ladder.capacity() - 1 && level < ladder.count(); level++) {
            long expected = side.deeper(ladder.price(level), levelGap[id]);
            if (expected <= 0) {
                return;
            }
            if (level + 1 >= ladder.count() || side.isBetter(expected, ladder.price(level + 1))) {
                ladder.set(expected, levelSize(id, level + 1));
            }
        }
    }

    /**
     * A trade against the touch: leans towards the side the fair value has moved to, takes at most
     * the size resting at the best level, and is followed by the quote showing what it took.
     */
    private void trade(int id, SimulatedBook book, long now) {
        double mid = book.mid();
        double halfSpread = Math.max(1, (book.asks().bestPrice() - book.bids().bestPrice()) / 2.0);
        double lean = Math.max(-0.3, Math.min(0.3, 0.25 * (book.fairValue() - mid) / halfSpread));
        Side aggressor = random.chance(0.5 + lean) ? Side.BUY : Side.SELL;
        PriceLadder touch = aggressor == Side.BUY ? book.asks() : book.bids();
        long price = touch.bestPrice();
        long available = touch.bestSize();
        long size = Math.min(tradeSize(id), available);
        if (size == available && touch.count() == 1 && touch.side().deeper(price, levelGap[id]) <= 0) {
            // Emptying the only bid with no room below would leave the book one-sided.
            if (available == 1) {
                return;
            }
            size = available - 1;
        }
        touch.set(price, available - size);
        keepDepth(id, touch, price);
        pending.add(new Trade(id, 0, now, price, size, aggressor, 0));
        showTop(id, now);
    }

    /** Adds size at, cancels size from, appends or improves one level of one side. */
    private void changeLiquidity(int id, SimulatedBook book) {
        BookSide side = random.chance(0.5) ? BookSide.BID : BookSide.ASK;
        PriceLadder ladder = book.side(side);
        if (random.chance(0.12) && book.asks().bestPrice() - book.bids().bestPrice() > 1) {
            ladder.set(side.better(ladder.bestPrice(), 1), levelSize(id, 0));
            return;
        }
        int level = random.geometric(0.45, ladder.count());
        if (level == ladder.count()) {
            long price = side.deeper(ladder.worstPrice(), levelGap[id]);
            if (ladder.count() < ladder.capacity() && price > 0) {
                ladder.set(price, levelSize(id, level));
            }
            return;
        }
        long price = ladder.price(level);
        long resting = ladder.size(level);
        long change = sized(profiles[id].tradeSize() * 1.5 * random.logNormal(0.8));
        if (random.chance(0.55)) {
            ladder.set(price, resting + change);
            return;
        }
        long left = resting - change;
        if (left <= 0 && ladder.count() == 1) {
            left = Math.max(1, resting / 2);
        }
        ladder.set(price, Math.max(0, left));
        keepDepth(id, ladder, price);
    }

    /** Refills a thinned side with deeper levels so it never runs dry. */
    private void keepDepth(int id, PriceLadder ladder, long lastPrice) {
        while (ladder.count() < MIN_LEVELS) {
            long base = ladder.isEmpty() ? lastPrice : ladder.worstPrice();
            long price = ladder.side().deeper(base, levelGap[id]);
            if (price <= 0) {
                return;
            }
            ladder.set(price, levelSize(id, ladder.count()));
        }
    }

    /** Book mode: remembers a level change until the next point where the simulator shows its book. */
    private void recordChange(int id, BookSide side, long price, long size) {
        if (!bookShown[id]) {
            return; // the first publication is the whole book anyway
        }
        BookUpdate.Builder b = changes[id];
        if (b == null) {
            b = BookUpdate.builder(id, stepTime);
            changes[id] = b;
        }
        b.set(side == BookSide.BID ? io.tickwire.model.BookSide.BID : io.tickwire.model.BookSide.ASK, price, size);
    }

    /**
     * Shows the book where the simulator shows its top: in book mode as the level changes since
     * the last time (the whole book the first time), in quote mode as a quote when the top moved.
     */
    private void showTop(int id, long now) {
        if (config.bookEvents()) {
            showBook(id, now);
        } else {
            showQuote(id, now);
        }
    }

    private void showBook(int id, long now) {
        SimulatedBook book = books[id];
        if (book.isCrossed()) {
            throw new IllegalStateException("simulated book broke its invariants: " + book);
        }
        if (!bookShown[id]) {
            bookShown[id] = true;
            BookUpdate.Builder full = BookUpdate.builder(id, now).replace();
            for (int i = 0; i < book.bids().count(); i++) {
                full.set(io.tickwire.model.BookSide.BID, book.bids().price(i), book.bids().size(i));
            }
            for (int i = 0; i < book.asks().count(); i++) {
                full.set(io.tickwire.model.BookSide.ASK, book.asks().price(i), book.asks().size(i));
            }
            pending.add(full.build());
            changes[id] = null;
            return;
        }
        BookUpdate.Builder b = changes[id];
        if (b != null && b.count() > 0) {
            pending.add(b.build());
        }
        changes[id] = null;
    }

    /** Queues a quote if the top of the book differs from the last one shown. */
    private void showQuote(int id, long now) {
        SimulatedBook book = books[id];
        long bidPrice = book.bids().bestPrice();
        long bidSize = book.bids().bestSize();
        long askPrice = book.asks().bestPrice();
        long askSize = book.asks().bestSize();
        if (bidPrice == shownBidPrice[id] && bidSize == shownBidSize[id]
                && askPrice == shownAskPrice[id] && askSize == shownAskSize[id]) {
            return;
        }
        if (bidPrice <= 0 || askPrice <= 0 || bidPrice >= askPrice) {
            throw new IllegalStateException("simulated book broke its invariants: " + book);
        }
        shownBidPrice[id] = bidPrice;
        shownBidSize[id] = bidSize;
        shownAskPrice[id] = askPrice;
        shownAskSize[id] = askSize;
        pending.add(new Quote(id, 0, now, bidPrice, bidSize, askPrice, askSize, 0, 0));
    }

    // ---- sizes and spreads -----------------------------------------------------------------

    private int drawSpread(int id) {
        int typical = profiles[id].spreadTicks();
        return random.chance(0.75) ? typical : typical + 1 + random.below(Math.max(1, typical / 2));
    }

    private long tradeSize(int id) {
        double typical = profiles[id].tradeSize();
        return sized(Math.min(25 * typical, typical * random.logNormal(0.9)));
    }

    private long levelSize(int id, int level) {
        return sized(profiles[id].tradeSize() * (2.0 + 0.6 * level) * random.logNormal(0.6));
    }

    /** A positive size rounded to two significant digits, as people and algorithms size orders. */
    static long sized(double amount) {
        long units = Math.max(1, Math.round(amount));
        if (units < 100) {
            return units;
        }
        long unit = 1;
        while (units / unit >= 100) {
            unit *= 10;
        }
        return Math.round((double) units / unit) * unit;
    }

    // ---- who is active ---------------------------------------------------------------------

    /** Updates sessions (checked once a minute of event time) and bursts, then the choice weights. */
    private void refreshActivity(long now) {
        if (now < sessionFrom || now >= sessionUntil) {
            sessionFrom = Math.floorDiv(now, MINUTE_MICROS) * MINUTE_MICROS;
            sessionUntil = sessionFrom + MINUTE_MICROS;
            for (AssetClass assetClass : AssetClass.values()) {
                double activity = config.respectMarketHours()
                        ? MarketHours.session(assetClass, now).activity()
                        : TradingSession.REGULAR.activity();
                if (sessionActivity[assetClass.ordinal()] != activity) {
                    sessionActivity[assetClass.ordinal()] = activity;
                    weightsStale = true;
                }
            }
        }
        if (meanMicrosBetweenBursts > 0) {
            if (now >= nextBurstEnd) {
                endBursts(now);
            }
            if (nextBurstAt == UNSCHEDULED) {
                nextBurstAt = now + timeToNextBurst();
            } else if (now >= nextBurstAt) {
                startBurst(now);
                nextBurstAt = now + timeToNextBurst();
            }
        }
        if (weightsStale) {
            double total = 0;
            for (int id = 0; id < size; id++) {
                total += weight(id);
                cumulativeWeight[id] = total;
            }
            totalWeight = total;
            weightsStale = false;
        }
    }

    private double weight(int id) {
        return profiles[id].activityWeight() * burstFactor[id]
                * sessionActivity[profiles[id].instrument().assetClass().ordinal()];
    }

    private long timeToNextBurst() {
        return Math.max(1, (long) random.exponential(meanMicrosBetweenBursts));
    }

    /** One instrument whose market is open, chosen uniformly, trades 5-20 times as often for a while. */
    private void startBurst(long now) {
        int open = 0;
        for (int id = 0; id < size; id++) {
            if (isOpen(id)) {
                open++;
            }
        }
        if (open == 0) {
            return;
        }
        int pick = random.below(open);
        for (int id = 0; id < size; id++) {
            if (isOpen(id) && pick-- == 0) {
                burstFactor[id] = BURST_MIN_FACTOR + (BURST_MAX_FACTOR - BURST_MIN_FACTOR) * random.uniform();
                burstUntil[id] = now + BURST_MIN_MICROS
                        + (long) ((BURST_MAX_MICROS - BURST_MIN_MICROS) * random.uniform());
                nextBurstEnd = Math.min(nextBurstEnd, burstUntil[id]);
                weightsStale = true;
                return;
            }
        }
    }

    private void endBursts(long now) {
        nextBurstEnd = Long.MAX_VALUE;
        for (int id = 0; id < size; id++) {
            if (burstFactor[id] != 1) {
                if (now >= burstUntil[id]) {
                    burstFactor[id] = 1;
                    weightsStale = true;
                } else {
                    nextBurstEnd = Math.min(nextBurstEnd, burstUntil[id]);
                }
            }
        }
    }

    private boolean isOpen(int id) {
        return sessionActivity[profiles[id].instrument().assetClass().ordinal()] > 0;
    }

    /** An instrument with probability proportional to its current weight; requires a positive total. */
    private int chooseInstrument() {
        double target = random.uniform() * totalWeight;
        int low = 0;
        int high = size - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulativeWeight[middle] > target) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        while (low > 0 && weight(low) == 0) {
            low--; // only when rounding put the target on the very top of the range
        }
        return low;
    }

    /**
     * The event time over which an asset class's annual volatility accrues: crypto never stops,
     * FX trades 260 days a year around the clock, equities 252 sessions of 6.5 hours.
     */
    private static double tradingYearMicros(AssetClass assetClass) {
        double hours = switch (assetClass) {
            case CRYPTO -> 365 * 24;
            case FX -> 260 * 24;
            case EQUITY -> 252 * 6.5;
        };
        return hours * 3_600 * 1e6;
    }
}
