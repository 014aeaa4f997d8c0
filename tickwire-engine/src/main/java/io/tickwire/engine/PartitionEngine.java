package io.tickwire.engine;

import io.tickwire.engine.bar.BarSeeding;
import io.tickwire.engine.bar.BarSeries;
import io.tickwire.engine.bar.BarState;
import io.tickwire.engine.book.DepthView;
import io.tickwire.engine.book.OrderBook;
import io.tickwire.engine.ingest.Ingest;
import io.tickwire.engine.ingest.Numbering;
import io.tickwire.engine.ingest.Receipt;
import io.tickwire.engine.ingest.Sequencing;
import io.tickwire.engine.resume.RecentMessages;
import io.tickwire.engine.resume.Resume;
import io.tickwire.engine.state.LastValues;
import io.tickwire.model.Bar;
import io.tickwire.model.BookChecksum;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.StreamMessage;
import io.tickwire.model.Throttle;
import io.tickwire.model.Trade;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.LongArrayQueue;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The state and logic of one partition: ingest, order books, last values, bars, and who is
 * subscribed to which stream (at which depth and throttle).
 *
 * <p>Single writer: every method runs on the partition's one thread (the bus guarantees it), so
 * there are no locks and state is plain fields. Events are applied and published in the order
 * they arrive, which is their sequence order per stream. Quotes of instruments with a book are
 * derived from it: a book update that changes the best bid or ask (price or size) produces a quote
 * with the next quote number, so every node deriving from the same updates numbers them alike. A
 * replay derives none: it publishes the stored quotes, the derived ones among them, with their
 * numbers, and its book pictures (a second apart) would derive different ones.
 *
 * <p>Time: throttled streams emit on a grid of wall-clock instants ({@link #onTick}); bars close
 * by the <em>market clock</em> — the latest event time plus the wall time elapsed since it — so a
 * replay of old events closes bars by their own times, and a quiet live market still closes its
 * bars on time. Live, each instrument has its own market clock (its own latest event time), so
 * a source stamping one instrument ahead (publishers may stamp up to a minute ahead) cannot close
 * another instrument's bars early. A replay ({@link Sequencing#KEEP_SOURCE}) merges all its
 * instruments in event-time order, so there the partition's latest event time is every
 * instrument's clock: a quiet instrument's bars close at the replay's pace, not the wall's. A
 * cluster gateway ({@link Sequencing#FOLLOW}) keeps numbers as a replay does but clocks as live. A
 * price or trade behind its clock never reopens a closed period (see {@link BarSeries}). Bar
 * deadlines cost O(1) per event; {@link #onTick} scans the instruments (the bars of due ones only)
 * when the earliest deadline has passed.
 */
public final class PartitionEngine {

    /**
     * Event time between two book snapshots of an instrument handed to the tap (the store keeps
     * them; a cluster's ingest node sends them to gateways). A book that goes quiet after a change
     * too soon for a snapshot gets one of its last state a second of wall time later.
     */
    public static final long BOOK_SNAPSHOT_INTERVAL_MICROS = 1_000_000;
    /** Messages of each full-rate trade and quote stream kept for resuming subscribers. */
    public static final int RECENT_MESSAGES = 4_096;
    /** Default silence after which an instrument's subscribers are told its source is stale. */
    public static final long DEFAULT_STALE_AFTER_MICROS = 30_000_000;
    private static final Periodicity[] PERIODS = Periodicity.values();
    private static final PriceType[] PRICE_TYPES = PriceType.values();

    private final InstrumentCatalog catalog;
    private final Ingest ingest;
    private final LastValues lastValues;
    private final Delivery delivery;
    private final EventTap tap;
    private final BookChecksum checksums = new BookChecksum();
    private final Long2ObjectHashMap<Interest> interests = new Long2ObjectHashMap<>();

    private final OrderBook[] books;
    /** Per instrument: the event time from which the next book update also produces a book snapshot for the tap. */
    private final long[] nextBookSnapshot;
    /** Per instrument, its book's last change not followed by a picture yet (null: pictured), and when (wall) to take one. */
    private final BookUpdate[] unpictured;
    private final long[] trailingPictureAt;
    /**
     * Books that became unpictured, in the order they did, so by deadline (wall time only grows);
     * an entry whose book was pictured since, or that became unpictured again later, is stale and
     * skipped. Amortised O(1) per book that goes unpictured; nothing while none is.
     */
    private final LongArrayQueue trailingPictures = new LongArrayQueue(); // instrument ids
    private final LongArrayQueue trailingDeadlines = new LongArrayQueue(); // ... and each entry's deadline
    /** The deadline of the oldest entry of {@link #trailingPictures} (wall µs), or {@link Long#MAX_VALUE}. */
    private long nextTrailingPicture = Long.MAX_VALUE;
    /** Per instrument: the recent trades and quotes (created with the instrument's first one). */
    private final RecentMessages[] recentTrades;
    private final RecentMessages[] recentQuotes;
    /** Per instrument: the wall time of its last event (0 before any), its last event time, and whether it is stale. */
    private final long[] lastEventWall;
    private final long[] lastEventTimeOf;
    private final boolean[] stale;
    private long staleAfterMicros = DEFAULT_STALE_AFTER_MICROS;
    private long nextStaleCheck;
    /** The wall time the engine started: an instrument with no event since is stale from then plus staleAfter. */
    private final long startWall;
    /** Per instrument: how many streams have subscribers (status messages are only for those). */
    private final int[] streamsWithInterest;
    /** Bar streams with subscribers per instrument: bars are built as messages only when non-zero. */
    private final int[] barSubscriptions;
    private final BarSeries[][] bars;
    /** Depth streams with subscribers, per instrument. */
    private final List<DepthStream>[] depthStreams;
    /** Throttled quote streams with subscribers, per instrument. */
    private final List<ThrottledStream>[] throttledQuotes;
    /** Throttled bar streams with subscribers, per instrument. */
    private final List<ThrottledStream>[] throttledBars;
    /** Every stream with subscribers that needs per-key state, by key. */
    private final Long2ObjectHashMap<Object> streams = new Long2ObjectHashMap<>();
    /** Throttled streams by throttle class, for the emission grid. */
    private final List<List<Throttled>> byThrottle = new ArrayList<>();
    private final long[] nextEmission = new long[Throttle.classes()];

    private long wallNow;
    /** The partition's market clock: the latest event time seen ({@link Long#MIN_VALUE} before any) and the wall time then. */
    private long lastEventTime = Long.MIN_VALUE;
    private long wallAtLastEvent;
    /** Per instrument (live): its own market clock, as above. */
    private final long[] clockTime;
    private final long[] clockWall;
    /** Per instrument: the earliest close time (event time) of its forming bars; a lower bound, exact after a scan. */
    private final long[] nextCloseOf;
    /** Live: the earliest wall time at which some instrument's bar is due by its own clock; a lower bound, exact after a scan. */
    private long nextBarCloseWall = Long.MAX_VALUE;
    /** Replay: the earliest close time (event time) of any forming bar; a lower bound, exact after a scan. */
    private long nextBarClose = Long.MAX_VALUE;
    /** Events numbered elsewhere (a replay, or a cluster gateway): quotes kept as given, none derived. */
    private final boolean replay;
    /** A replay merged in event-time order: the partition's latest event time is every instrument's clock. */
    private final boolean sharedClock;
    /** A cluster gateway: numbers are the ingest node's, which never lose their order (it keeps a store). */
    private final boolean following;
    private long subscribeCommands;

    public PartitionEngine(InstrumentCatalog catalog, Clock clock, Delivery delivery) {
        this(catalog, clock, delivery, EventTap.NONE);
    }

    /** A partition engine that also shows every sequenced event and closed bar to {@code tap}. */
    @SuppressWarnings("unchecked")
    public PartitionEngine(InstrumentCatalog catalog, Clock clock, Delivery delivery, EventTap tap) {
        this(catalog, clock, delivery, tap, Sequencing.ASSIGN);
    }

    /**
     * A partition engine whose ingest numbers events as {@code sequencing} says. With
     * {@link Sequencing#KEEP_SOURCE} (replay) quotes also keep the last price and volume they were
     * stored with, since a replay that starts mid-day has not seen the day's earlier trades.
     */
    @SuppressWarnings("unchecked")
    public PartitionEngine(InstrumentCatalog catalog, Clock clock, Delivery delivery, EventTap tap, Sequencing sequencing) {
        this.catalog = catalog;
        this.ingest = new Ingest(catalog, clock, sequencing);
        this.lastValues = new LastValues(catalog.size());
        this.delivery = delivery;
        this.tap = tap;
        this.replay = sequencing != Sequencing.ASSIGN;
        this.sharedClock = sequencing == Sequencing.KEEP_SOURCE;
        this.following = sequencing == Sequencing.FOLLOW;
        int n = catalog.size();
        this.books = new OrderBook[n];
        this.nextBookSnapshot = new long[n];
        this.unpictured = new BookUpdate[n];
        this.trailingPictureAt = new long[n];
        this.recentTrades = new RecentMessages[n];
        this.recentQuotes = new RecentMessages[n];
        this.lastEventWall = new long[n];
        this.lastEventTimeOf = new long[n];
        this.stale = new boolean[n];
        this.streamsWithInterest = new int[n];
        this.clockTime = new long[n];
        this.clockWall = new long[n];
        this.nextCloseOf = new long[n];
        Arrays.fill(clockTime, Long.MIN_VALUE);
        Arrays.fill(nextCloseOf, Long.MAX_VALUE);
        this.barSubscriptions = new int[n];
        this.bars = new BarSeries[n][];
        this.depthStreams = new List[n];
        this.throttledQuotes = new List[n];
        this.throttledBars = new List[n];
        for (int c = 0; c < Throttle.classes(); c++) {
            byThrottle.add(new ArrayList<>());
        }
        this.wallNow = clock.epochMicros();
        this.wallAtLastEvent = wallNow;
        this.startWall = wallNow;
        this.nextStaleCheck = startWall + staleAfterMicros;
    }

    // ---- events -------------------------------------------------------------------------------

    /**
     * Starts a batch at a wall-clock time: events of the batch count as seen then (for the market
     * clock). The partition's loop calls this once per batch, so events need no clock reads.
     */
    public void beginBatch(long wallNow) {
        this.wallNow = Math.max(this.wallNow, wallNow);
    }

    /** Sequences a raw event from a source, applies it and publishes what it changed. */
    public void onSourceEvent(MarketEvent raw) {
        MarketEvent event = ingest.sequence(raw);
        if (event != null) {
            onSequencedEvent(event);
        }
    }

    /**
     * A source's receipt, after its events before it on this partition: shown to the tap, which
     * holds it while it keeps those events elsewhere. The caller releases its own hold after.
     */
    public void onReceipt(Receipt receipt) {
        tap.onReceipt(receipt);
    }

    /** Applies an already sequenced event (from ingest, or from a bus that sequenced upstream). */
    public void onSequencedEvent(MarketEvent event) {
        if (event.eventTime() > lastEventTime) { // the first event sets the market clock, whatever its time
            lastEventTime = event.eventTime();
            wallAtLastEvent = wallNow;
        }
        int id = event.instrumentId();
        if (event.eventTime() > clockTime[id]) {
            clockTime[id] = event.eventTime();
            clockWall[id] = wallNow;
        }
        noteSourceAlive(event.instrumentId(), event.eventTime());
        switch (event) {
            case Trade trade -> onTrade(trade);
            case Quote quote -> onQuote(replay ? lastValues.onReplayedQuote(quote) : lastValues.onQuote(quote));
            case BookUpdate update -> onBookUpdate(update);
        }
    }

    private void onTrade(Trade trade) {
        lastValues.onTrade(trade);
        recent(recentTrades, trade.instrumentId()).add(trade);
        tap.onEvent(trade);
        publish(StreamKey.of(trade.instrumentId(), Channel.TRADE), trade, -1);
        addTradeToBars(trade);
    }

    private void onQuote(Quote quote) {
        int id = quote.instrumentId();
        recent(recentQuotes, id).add(quote);
        tap.onEvent(quote);
        publish(StreamKey.quote(id, 0), quote, -1);
        List<ThrottledStream> throttled = throttledQuotes[id];
        if (throttled != null) {
            for (int i = 0; i < throttled.size(); i++) {
                throttled.get(i).pending = quote;
            }
        }
        if (quote.bidPrice() > 0) {
            addToBars(id, PriceType.BID, quote.eventTime(), quote.bidPrice());
        }
        if (quote.askPrice() > 0) {
            addToBars(id, PriceType.ASK, quote.eventTime(), quote.askPrice());
        }
    }

    private void onBookUpdate(BookUpdate update) {
        int id = update.instrumentId();
        OrderBook book = book(id);
        book.apply(update);
        tap.onEvent(update);
        if (tap != EventTap.NONE) { // nobody keeps pictures: skip the copies
            if (update.eventTime() >= nextBookSnapshot[id]) {
                nextBookSnapshot[id] = update.eventTime() + BOOK_SNAPSHOT_INTERVAL_MICROS;
                tap.onBookSnapshot(snapshotOf(book, id, update));
                unpictured[id] = null;
            } else {
                // too soon for a picture; if the book goes quiet now, its last state gets one a
                // second later (onTick), so the tap always ends up with the book as it stands
                if (unpictured[id] == null) {
                    trailingPictureAt[id] = wallNow + BOOK_SNAPSHOT_INTERVAL_MICROS;
                    if (trailingPictures.isEmpty()) {
                        nextTrailingPicture = trailingPictureAt[id];
                    }
                    trailingPictures.addLong(id);
                    trailingDeadlines.addLong(trailingPictureAt[id]);
                }
                unpictured[id] = update;
            }
        }
        publishDepth(id, book);
        if (replay) {
            return; // the replay publishes the stored quotes, which include the ones this book's changes made
        }
        long bidPrice = book.bidCount() > 0 ? book.bidPrice(0) : 0;
        long bidSize = book.bidCount() > 0 ? book.bidSize(0) : 0;
        long askPrice = book.askCount() > 0 ? book.askPrice(0) : 0;
        long askSize = book.askCount() > 0 ? book.askSize(0) : 0;
        Quote last = lastValues.quote(id);
        if (last == null || last.bidPrice() != bidPrice || last.bidSize() != bidSize || last.askPrice() != askPrice
                || last.askSize() != askSize) {
            Quote derived = new Quote(id, ingest.nextSeq(id, Channel.QUOTE), update.eventTime(), bidPrice, bidSize,
                    askPrice, askSize, 0, 0);
            onQuote(lastValues.onQuote(derived));
        }
    }

    /** A quote's price on one side: the {@code bid} or {@code ask} bars of every period. */
    private void addToBars(int id, PriceType type, long time, long price) {
        BarSeries[] series = bars(id);
        long now = Math.max(time, marketNow(id)); // where a price or trade of a closed period counts
        boolean closedAny = false;
        for (Periodicity period : PERIODS) {
            BarSeries s = series[period.ordinal() * PRICE_TYPES.length + type.ordinal()];
            if (s.closeIfDue(time)) {
                barChanged(s, true);
                closedAny = true;
            }
            if (s.add(time, now, price, 0, 0) && barSubscriptions[id] > 0) {
                barChanged(s, false);
            }
            nextCloseOf[id] = Math.min(nextCloseOf[id], s.closeTime());
        }
        barsMayCloseSooner(id, closedAny);
    }

    /** A trade: its price builds the {@code last} bars; its size counts in every price type's bars. */
    private void addTradeToBars(Trade trade) {
        int id = trade.instrumentId();
        long time = trade.eventTime();
        BarSeries[] series = bars(id);
        long now = Math.max(time, marketNow(id)); // where a price or trade of a closed period counts
        boolean closedAny = false;
        for (Periodicity period : PERIODS) {
            for (PriceType type : PRICE_TYPES) {
                BarSeries s = series[period.ordinal() * PRICE_TYPES.length + type.ordinal()];
                if (s.closeIfDue(time)) {
                    barChanged(s, true);
                    closedAny = true;
                }
                boolean changed = type == PriceType.LAST ? s.add(time, now, trade.price(), trade.size(), 1)
                        : s.addVolume(time, now, trade.size());
                if (changed && barSubscriptions[id] > 0) {
                    barChanged(s, false);
                }
                if (s.forming()) {
                    nextCloseOf[id] = Math.min(nextCloseOf[id], s.closeTime());
                }
            }
        }
        barsMayCloseSooner(id, closedAny);
    }

    /** The book's depth-limited streams: full-rate ones get what changed in their view, throttled ones are marked. */
    private void publishDepth(int id, OrderBook book) {
        List<DepthStream> depth = depthStreams[id];
        if (depth != null) {
            for (int i = 0; i < depth.size(); i++) {
                DepthStream stream = depth.get(i);
                if (stream.throttle == 0) {
                    DepthUpdate message = stream.view.advance(book, id, checksums);
                    if (message != null) {
                        publish(stream.key, message, message.prevSeq());
                    }
                } else {
                    stream.dirty = true;
                }
            }
        }
    }

    /**
     * The state of an instrument that has gone quiet, sent again by a cluster's ingest node for
     * gateways that started since (a last quote, or a picture of its book, with their old times):
     * it becomes the instrument's last quote or book, and its subscribers get it, but it is not
     * market activity: no bars, no market clock, no change of the instrument's stale status.
     */
    private void onSeed(MarketEvent raw) {
        MarketEvent event = ingest.sequence(raw);
        switch (event) {
            case null -> { }
            case Quote q -> {
                Quote kept = lastValues.onReplayedQuote(q);
                tap.onEvent(kept); // a gateway's store keeps it: promoted, it repeats it for the gateways
                recent(recentQuotes, q.instrumentId()).add(kept);
                publish(StreamKey.quote(q.instrumentId(), 0), kept, -1);
                List<ThrottledStream> throttled = throttledQuotes[q.instrumentId()];
                if (throttled != null) {
                    for (int i = 0; i < throttled.size(); i++) {
                        throttled.get(i).pending = kept;
                    }
                }
            }
            case BookUpdate b -> {
                OrderBook book = book(b.instrumentId());
                book.apply(b);
                publishDepth(b.instrumentId(), book);
            }
            case Trade t -> { } // a trade is an event, never state
        }
    }

    /** An instrument's state, or {@code null} for one with no bars, quote or numbers (or an unknown id). */
    private InstrumentState stateOf(int id) {
        if (id < 0 || id >= bars.length) {
            return null;
        }
        BarSeries[] series = bars[id];
        BarState state = null;
        if (series != null) {
            long[] values = new long[BarState.SERIES * BarSeries.STATE_FIELDS];
            for (int slot = 0; slot < series.length; slot++) {
                series[slot].saveTo(values, slot * BarSeries.STATE_FIELDS);
            }
            state = new BarState(id, values);
        }
        Quote quote = lastValues.quote(id);
        long tradeSeq = ingest.lastSeq(id, Channel.TRADE);
        long quoteSeq = ingest.lastSeq(id, Channel.QUOTE);
        if (state != null || quote != null || tradeSeq > 0 || quoteSeq > 0) {
            return new InstrumentState(id, state, quote, tradeSeq, ingest.lastTradeId(id), quoteSeq);
        }
        return null;
    }

    /**
     * Another engine's bars of an instrument become this one's (see {@link EngineCommand.TakeBarState}).
     * An instrument with no event here yet gets its market clock from the bars' latest update, as
     * a restart seeded from the store does ({@link #seedBars}), so they close on time.
     */
    private void takeBarState(BarState state) {
        int id = state.instrumentId();
        BarSeries[] series = bars(id);
        long close = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        for (int slot = 0; slot < series.length; slot++) {
            BarSeries s = series[slot];
            s.restoreFrom(state.values(), slot * BarSeries.STATE_FIELDS);
            Bar bar = s.bar();
            if (bar != null) {
                latest = Math.max(latest, bar.updateTime());
                if (barSubscriptions[id] > 0) {
                    barChanged(s, false);
                }
            }
            if (s.forming()) {
                close = Math.min(close, s.closeTime());
            }
        }
        if (latest > clockTime[id]) {
            clockTime[id] = latest;
            clockWall[id] = Math.min(latest, wallNow);
        }
        nextCloseOf[id] = close;
        barsMayCloseSooner(id, false);
    }

    /** The market clock of an instrument now: its own live, the partition's in a replay ({@link Long#MIN_VALUE} before any event). */
    private long marketNow(int id) {
        long time = sharedClock ? lastEventTime : clockTime[id];
        return time == Long.MIN_VALUE ? Long.MIN_VALUE : time + Math.max(0, wallNow - (sharedClock ? wallAtLastEvent : clockWall[id]));
    }

    /** The wall time at which an instrument's next bar is due by its clock, or {@link Long#MAX_VALUE}. */
    private long barDeadline(int id) {
        long close = nextCloseOf[id];
        if (close == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        if (!sharedClock && clockTime[id] == Long.MIN_VALUE) {
            return Long.MAX_VALUE; // no clock yet: nothing is due by it
        }
        return sharedClock ? wallAtLastEvent + Math.max(0, close - lastEventTime)
                : clockWall[id] + Math.max(0, close - clockTime[id]);
    }

    /**
     * After an instrument's event: its bars may now be due sooner than the partition's deadline
     * says. If the event closed bars (a period boundary), the instrument's next close is recomputed
     * over its series (27 reads), so its own deadline stays exact. The partition's deadline is only
     * lowered here: when it was this instrument's old one, the next tick comes early and its scan
     * ({@link #closeBars}, a few comparisons per instrument) makes it exact again.
     */
    private void barsMayCloseSooner(int id, boolean closedAny) {
        if (closedAny) {
            long close = Long.MAX_VALUE;
            for (BarSeries s : bars[id]) {
                if (s.forming()) {
                    close = Math.min(close, s.closeTime());
                }
            }
            nextCloseOf[id] = close;
        }
        if (sharedClock) {
            nextBarClose = Math.min(nextBarClose, nextCloseOf[id]);
        } else {
            nextBarCloseWall = Math.min(nextBarCloseWall, barDeadline(id));
        }
    }

    /** A bar series changed: tell the tap about closed bars, and the bar's subscribers. */
    private void barChanged(BarSeries series, boolean closed) {
        int id = series.instrumentId();
        Bar bar = closed || barSubscriptions[id] > 0 ? series.bar() : null;
        if (closed) {
            tap.onClosedBar(bar);
        }
        if (barSubscriptions[id] == 0) {
            return;
        }
        publish(StreamKey.bar(id, series.period(), series.priceType(), 0), bar, -1);
        List<ThrottledStream> throttled = throttledBars[id];
        if (throttled != null) {
            for (int i = 0; i < throttled.size(); i++) {
                ThrottledStream stream = throttled.get(i);
                if (StreamKey.period(stream.key) == series.period() && StreamKey.priceType(stream.key) == series.priceType()) {
                    stream.pending = bar;
                    if (closed) {
                        stream.emit(); // the final bar of a period is never conflated away
                    }
                }
            }
        }
    }

    private void publish(long key, StreamMessage message, long prevSeq) {
        Interest interest = interests.get(key);
        if (interest != null) {
            delivery.publish(key, message, prevSeq, interest);
        }
    }

    // ---- time ---------------------------------------------------------------------------------

    /**
     * Emits what throttled streams owe at this wall-clock time, and closes bars whose period
     * ended by the market clock. Call whenever {@link #nextDeadline()} has passed.
     */
    public void onTick(long wallNow) {
        beginBatch(wallNow);
        if (wallNow >= nextStaleCheck) {
            checkStale();
        }
        if (wallNow >= barDeadline()) {
            closeBars();
        }
        if (wallNow >= nextTrailingPicture) {
            takeTrailingPictures();
        }
        for (int c = 1; c < nextEmission.length; c++) {
            List<Throttled> due = byThrottle.get(c);
            if (due.isEmpty() || wallNow < nextEmission[c]) {
                continue;
            }
            for (int i = 0; i < due.size(); i++) {
                due.get(i).emit();
            }
            long interval = Throttle.micros(c);
            nextEmission[c] = (wallNow / interval + 1) * interval;
        }
    }

    /** Pictures of the books that went quiet after a change too soon for one (at most one per book a second). */
    private void takeTrailingPictures() {
        while (!trailingPictures.isEmpty()) {
            long deadline = trailingDeadlines.peekLong();
            if (deadline > wallNow) {
                nextTrailingPicture = deadline;
                return;
            }
            int id = (int) trailingPictures.pollLong();
            trailingDeadlines.pollLong();
            BookUpdate last = unpictured[id];
            // stale entries: pictured since, or unpictured again later (a newer entry has its deadline)
            if (last != null && trailingPictureAt[id] == deadline) {
                nextBookSnapshot[id] = last.eventTime() + BOOK_SNAPSHOT_INTERVAL_MICROS;
                tap.onBookSnapshot(snapshotOf(books[id], id, last)); // unchanged since: a change would have replaced it
                unpictured[id] = null;
            }
        }
        nextTrailingPicture = Long.MAX_VALUE;
    }

    // ---- resume and staleness ---------------------------------------------------------------------

    /**
     * Sets how long an instrument may go without an event before its subscribers are told its
     * source is stale. The threshold is the engine's view of the source: a market that is closed
     * by its hours is silent too, and reported stale like a lost upstream — including an
     * instrument with no event at all since the engine started, once it has run that long.
     */
    public void staleAfter(long micros) {
        if (micros <= 0) {
            throw new IllegalArgumentException("staleAfter must be positive");
        }
        this.staleAfterMicros = micros;
        nextStaleCheck = wallNow; // the next tick recomputes when each instrument is due
    }

    /** Continues the streams' numbering from a previous run (see {@link Numbering}); before the first event. */
    public void continueNumbering(Numbering numbering) {
        ingest.continueFrom(numbering);
    }

    /**
     * Continues the bars, day values and last quote of the instruments {@code mine} accepts from a
     * previous run (see {@link BarSeeding}); before the first event. Each seeded instrument's market clock
     * starts at its last stored event time, as if that event had been received at its own time
     * (never later than now), so a bar whose period has ended since closes at the next tick and a
     * current one closes on time.
     */
    public void seedBars(BarSeeding seeding, java.util.function.IntPredicate mine) {
        for (int id = 0; id < bars.length; id++) {
            if (!mine.test(id)) {
                continue;
            }
            BarSeeding.InstrumentSeed seed = seeding.instrument(id);
            if (seed == null) {
                continue;
            }
            long time = seed.lastEventTime();
            lastValues.seed(id, time, seed.lastPrice(), seed.dayVolume(), seed.lastQuote());
            lastEventTimeOf[id] = time; // what a stale status names as the last event until a new one comes
            if (time > clockTime[id]) {
                clockTime[id] = time;
                clockWall[id] = Math.min(time, wallNow);
            }
            BarSeries[] series = bars(id);
            long close = Long.MAX_VALUE;
            for (Periodicity period : PERIODS) {
                int p = period.ordinal();
                long waitingStart = seed.periodTrades()[p] > 0 ? period.startOf(time) : Long.MIN_VALUE;
                for (PriceType type : PRICE_TYPES) {
                    int slot = BarSeeding.InstrumentSeed.slot(period, type);
                    BarSeries s = series[slot];
                    s.seed(seed.forming()[slot], seed.closedUntil()[slot], waitingStart, seed.periodVolume()[p],
                            type == PriceType.LAST ? 0 : seed.periodTrades()[p], seed.periodTradeTime()[p]);
                    if (s.forming()) {
                        close = Math.min(close, s.closeTime());
                    }
                }
            }
            nextCloseOf[id] = close;
            barsMayCloseSooner(id, false);
        }
    }

    private static RecentMessages recent(RecentMessages[] byInstrument, int id) {
        RecentMessages r = byInstrument[id];
        if (r == null) {
            r = new RecentMessages(RECENT_MESSAGES);
            byInstrument[id] = r;
        }
        return r;
    }

    /** How a subscription resuming after {@code after} starts: see {@link Resume}. */
    private Resume resume(long key, long after, long since) {
        int id = StreamKey.instrumentId(key);
        Channel channel = StreamKey.channel(key);
        boolean fullRate = StreamKey.throttle(key) == 0 && (channel == Channel.TRADE || channel == Channel.QUOTE);
        if (channel == Channel.BAR && after == EngineCommand.Subscribe.SINCE_TIME) {
            return Resume.snapshot(after, 0); // the forming bar; the closed ones since then are the store's
        }
        if (!fullRate) {
            return Resume.snapshot(after, 0); // books are state; throttled streams and bars are conflated anyway
        }
        RecentMessages recent = channel == Channel.TRADE ? recentTrades[id] : recentQuotes[id];
        // with nothing published since start, the stream's last number is where ingest continues from (the store's)
        long last = recent != null ? recent.lastSeq() : ingest.lastSeq(id, channel);
        StreamMessage[] none = new StreamMessage[0];
        if (after == EngineCommand.Subscribe.SINCE_TIME) {
            if (channel == Channel.QUOTE) {
                return Resume.snapshot(after, last);
            }
            long before = recent == null ? -1 : recent.before(since, m -> ((Trade) m).eventTime());
            if (before >= 0) {
                return Resume.exact(after, last, recent.after(before)); // the window reaches back to the time
            }
            // older than the window: the store has them (from the time up to the window's start)
            return Resume.tooOld(after, last, recent == null ? none : recent.after(recent.firstHeld() - 1));
        }
        if (since > 0 && recent != null && !sameMessage(recent, after, since, channel)) {
            // the client's number is another message here (a restart without a store numbered
            // the stream from 1 again): by number nothing can be vouched for, so no 'exact'
            return channel == Channel.QUOTE ? Resume.snapshot(after, last)
                    : Resume.renumbered(after, last, recent.after(Math.max(recent.firstHeld() - 1,
                            recent.before(since + 1, PartitionEngine::eventTimeOf))));
        }
        if (after == last) {
            return Resume.exact(after, last, none); // missed nothing
        }
        if (after > last) {
            if (following && channel == Channel.TRADE && recent != null && since > 0
                    && since >= recent.timeOf(recent.lastSeq(), PartitionEngine::eventTimeOf)) {
                // a cluster gateway behind the one the client came from (it holds trades, the
                // client's last one is no older than its latest): the numbers are the ingest node's,
                // so the client missed nothing; the ones up to its own come again, repeats. Without
                // trades held, or without the client's time, nothing can be vouched for.
                return Resume.exact(after, last, none);
            }
            // the client saw numbers this stream never reached (a server that lost its numbering):
            // what it holds cannot be trusted against ours
            return channel == Channel.QUOTE ? Resume.snapshot(after, last) : Resume.tooOld(after, last, none);
        }
        if (recent != null && recent.covers(after)) {
            return Resume.exact(after, last, recent.after(after));
        }
        if (channel == Channel.QUOTE) {
            return Resume.snapshot(after, last); // a quote is state: the current one replaces the missed ones
        }
        return Resume.tooOld(after, last, recent == null ? none : recent.after(recent.firstHeld() - 1));
    }

    /**
     * Whether the stream's message {@code seq} is the one a resuming client saw at event time
     * {@code ts}. Checked against the message itself while it is held; just before the window,
     * only that the window does not start earlier than the client's message (a store-backed
     * numbering continues across a restart, and its older messages come from the store by time).
     * Numbers the stream has not reached are checked elsewhere.
     */
    private static boolean sameMessage(RecentMessages recent, long seq, long ts, Channel channel) {
        if (seq > recent.lastSeq() || seq < recent.firstHeld() - 1) {
            return true; // beyond the stream, or older than the window: handled by number and time below
        }
        if (seq == recent.firstHeld() - 1) {
            return recent.timeOf(recent.firstHeld(), PartitionEngine::eventTimeOf) >= ts;
        }
        return recent.timeOf(seq, PartitionEngine::eventTimeOf) == ts;
    }

    private static long eventTimeOf(StreamMessage m) {
        return m instanceof Trade t ? t.eventTime() : m instanceof Quote q ? q.eventTime() : 0;
    }

    private void noteSourceAlive(int id, long eventTime) {
        lastEventWall[id] = wallNow;
        lastEventTimeOf[id] = eventTime;
        if (stale[id]) {
            stale[id] = false;
            announceStatus(id, true);
        }
        if (nextStaleCheck == Long.MAX_VALUE) {
            nextStaleCheck = wallNow + staleAfterMicros;
        }
    }

    /**
     * Marks instruments silent for {@code staleAfter} stale and tells their subscribers. Silent
     * means no event since the last one, or none at all since the engine started (a market closed
     * by its hours when the server started). The catalog is shared by all partitions, so this also
     * marks the instruments of other partitions stale: harmless, nobody subscribes to them here.
     */
    private void checkStale() {
        long next = Long.MAX_VALUE;
        for (int id = 0; id < stale.length; id++) {
            if (stale[id]) {
                continue;
            }
            long due = (lastEventWall[id] == 0 ? startWall : lastEventWall[id]) + staleAfterMicros;
            if (wallNow >= due) {
                stale[id] = true;
                announceStatus(id, false);
            } else {
                next = Math.min(next, due);
            }
        }
        nextStaleCheck = next;
    }

    /** Tells the subscribers of every stream of an instrument that its source went stale or is live again. */
    private void announceStatus(int id, boolean live) {
        if (streamsWithInterest[id] == 0) {
            return; // nobody to tell (a subscription to a stale instrument is told when it starts)
        }
        for (Long2ObjectHashMap<Interest>.KeyIterator it = interests.keySet().iterator(); it.hasNext(); ) {
            long key = it.nextLong();
            if (StreamKey.instrumentId(key) == id) {
                delivery.status(key, live, lastEventTimeOf[id], interests.get(key));
            }
        }
    }

    /** Closes the bars due by their instrument's clock, and makes the deadlines exact again. */
    private void closeBars() {
        long next = Long.MAX_VALUE;
        long nextWall = Long.MAX_VALUE;
        for (int id = 0; id < bars.length; id++) {
            BarSeries[] series = bars[id];
            if (series == null) {
                continue;
            }
            if (barDeadline(id) <= wallNow) {
                long marketNow = marketNow(id);
                long close = Long.MAX_VALUE;
                for (BarSeries s : series) {
                    if (s.closeIfDue(marketNow)) {
                        barChanged(s, true);
                    } else if (s.forming()) {
                        close = Math.min(close, s.closeTime());
                    }
                }
                nextCloseOf[id] = close;
            }
            next = Math.min(next, nextCloseOf[id]);
            nextWall = Math.min(nextWall, barDeadline(id));
        }
        nextBarClose = next;
        nextBarCloseWall = nextWall;
    }

    /** The wall time at which some bar is due (a lower bound), or {@link Long#MAX_VALUE}. */
    private long barDeadline() {
        if (!sharedClock) {
            return nextBarCloseWall;
        }
        return nextBarClose == Long.MAX_VALUE ? Long.MAX_VALUE : wallAtLastEvent + Math.max(0, nextBarClose - lastEventTime);
    }

    /**
     * The earliest wall-clock time at which {@link #onTick} has work: the next emission of a
     * throttle class with streams, or the next bar close (in wall terms), or {@link Long#MAX_VALUE}.
     */
    public long nextDeadline() {
        long deadline = barDeadline();
        for (int c = 1; c < nextEmission.length; c++) {
            if (!byThrottle.get(c).isEmpty()) {
                deadline = Math.min(deadline, nextEmission[c]);
            }
        }
        return Math.min(Math.min(deadline, nextStaleCheck), nextTrailingPicture);
    }

    // ---- commands -----------------------------------------------------------------------------

    /** Applies a session's command. */
    public void onCommand(EngineCommand command) {
        switch (command) {
            case EngineCommand.Subscribe subscribe -> {
                subscribeCommands++;
                long key = subscribe.streamKey();
                Interest interest = interests.get(key);
                if (interest == null) {
                    interest = new Interest();
                    interests.put(key, interest);
                    streamsWithInterest[StreamKey.instrumentId(key)]++;
                    openStream(key);
                    if (StreamKey.channel(key) == Channel.BAR) {
                        barSubscriptions[StreamKey.instrumentId(key)]++;
                    }
                }
                interest.add(subscribe.route());
                if (subscribe.resuming()) {
                    delivery.activate(subscribe, snapshot(key), resume(key, subscribe.resumeAfter(), subscribe.resumeTs()));
                } else {
                    delivery.activate(subscribe, snapshot(key));
                }
                int instrument = StreamKey.instrumentId(key);
                if (stale[instrument]) {
                    Interest only = new Interest();
                    only.add(subscribe.route());
                    delivery.status(key, false, lastEventTimeOf[instrument], only);
                }
            }
            case EngineCommand.Unsubscribe unsubscribe -> {
                long key = unsubscribe.streamKey();
                Interest interest = interests.get(key);
                if (interest != null && interest.remove(unsubscribe.route()) && interest.isEmpty()) {
                    interests.remove(key);
                    streamsWithInterest[StreamKey.instrumentId(key)]--;
                    closeStream(key);
                    if (StreamKey.channel(key) == Channel.BAR) {
                        barSubscriptions[StreamKey.instrumentId(key)]--;
                    }
                }
            }
            case EngineCommand.Snapshot request -> delivery.snapshot(request, snapshot(request.streamKey()));
            case EngineCommand.Seed seed -> onSeed(seed.state());
            case EngineCommand.TapState request -> {
                InstrumentState state = stateOf(request.instrumentId());
                if (request.answer() != null) {
                    request.answer().accept(state);
                } else if (state != null) {
                    tap.onInstrumentState(state);
                }
            }
            case EngineCommand.TakeBarState take -> {
                try {
                    takeBarState(take.state());
                } finally {
                    take.applied().run(); // the gateway's reader waits for it, whatever happened
                }
            }
        }
    }

    private void openStream(long key) {
        int id = StreamKey.instrumentId(key);
        int throttle = StreamKey.throttle(key);
        switch (StreamKey.channel(key)) {
            case BOOK -> {
                Instrument instrument = catalog.get(id);
                DepthStream stream = new DepthStream(key, throttle, new DepthView(book(id), StreamKey.depth(key),
                        instrument.priceScale(), instrument.sizeScale(), checksums));
                streams.put(key, stream);
                listOf(depthStreams, id).add(stream);
                if (throttle != 0) {
                    addThrottled(throttle, stream);
                }
            }
            case QUOTE, BAR -> {
                if (throttle != 0) {
                    ThrottledStream stream = new ThrottledStream(key);
                    Quote current = lastValues.quote(id);
                    if (StreamKey.channel(key) == Channel.QUOTE) {
                        stream.lastSeq = current == null ? 0 : current.seq();
                        listOf(throttledQuotes, id).add(stream);
                    } else {
                        Bar bar = series(key).bar();
                        stream.lastSeq = bar == null ? 0 : bar.seq();
                        listOf(throttledBars, id).add(stream);
                    }
                    streams.put(key, stream);
                    addThrottled(throttle, stream);
                }
            }
            case TRADE -> {
                // no state: trades are never conflated
            }
        }
    }

    private void closeStream(long key) {
        Object stream = streams.remove(key);
        if (stream == null) {
            return;
        }
        int id = StreamKey.instrumentId(key);
        switch (StreamKey.channel(key)) {
            case BOOK -> depthStreams[id].remove(stream);
            case QUOTE -> throttledQuotes[id].remove(stream);
            case BAR -> throttledBars[id].remove(stream);
            case TRADE -> {
            }
        }
        if (stream instanceof Throttled t) {
            byThrottle.get(StreamKey.throttle(key)).remove(t);
        }
    }

    private void addThrottled(int throttle, Throttled stream) {
        List<Throttled> list = byThrottle.get(throttle);
        if (list.isEmpty()) {
            long interval = Throttle.micros(throttle);
            nextEmission[throttle] = (wallNow / interval + 1) * interval;
        }
        list.add(stream);
    }

    /** The current value of a stream, as a new subscriber or a snapshot request gets it; {@code null} if none. */
    private StreamMessage snapshot(long key) {
        int id = StreamKey.instrumentId(key);
        return switch (StreamKey.channel(key)) {
            case QUOTE -> lastValues.quote(id);
            case TRADE -> null;
            case BOOK -> {
                Object stream = streams.get(key);
                yield stream instanceof DepthStream d ? d.view.snapshot(id) : null;
            }
            case BAR -> series(key).bar();
        };
    }

    // ---- state --------------------------------------------------------------------------------

    private static BookSnapshot snapshotOf(OrderBook book, int id, BookUpdate after) {
        long[] bidPrices = new long[book.bidCount()];
        long[] bidSizes = new long[bidPrices.length];
        long[] askPrices = new long[book.askCount()];
        long[] askSizes = new long[askPrices.length];
        book.copyTop(BookSide.BID, bidPrices.length, bidPrices, bidSizes);
        book.copyTop(BookSide.ASK, askPrices.length, askPrices, askSizes);
        return new BookSnapshot(id, after.seq(), after.eventTime(), bidPrices, bidSizes, askPrices, askSizes);
    }

    private OrderBook book(int id) {
        OrderBook book = books[id];
        if (book == null) {
            book = new OrderBook(catalog.get(id).maxBookDepth());
            books[id] = book;
        }
        return book;
    }

    private BarSeries[] bars(int id) {
        BarSeries[] series = bars[id];
        if (series == null) {
            series = new BarSeries[PERIODS.length * PRICE_TYPES.length];
            for (Periodicity p : PERIODS) {
                for (PriceType t : PRICE_TYPES) {
                    series[p.ordinal() * PRICE_TYPES.length + t.ordinal()] = new BarSeries(id, p, t);
                }
            }
            bars[id] = series;
        }
        return series;
    }

    private BarSeries series(long barKey) {
        return bars(StreamKey.instrumentId(barKey))[StreamKey.period(barKey).ordinal() * PRICE_TYPES.length
                + StreamKey.priceType(barKey).ordinal()];
    }

    private static <T> List<T> listOf(List<T>[] lists, int id) {
        if (lists[id] == null) {
            lists[id] = new ArrayList<>(2);
        }
        return lists[id];
    }

    /** The end of a batch of work; lets delivery wake event loops once. */
    public void endOfBatch() {
        delivery.endOfBatch();
    }

    /** Idle time: lets delivery retry what a full queue refused; returns whether work is still pending. */
    public boolean retryDelivery() {
        return delivery.retryPending();
    }

    /** The subscribers of a stream on all routes; for tests and metrics. */
    public int subscriberCount(long streamKey) {
        Interest interest = interests.get(streamKey);
        int total = 0;
        if (interest != null) {
            for (int i = 0; i < interest.routeCount(); i++) {
                total += interest.count(i);
            }
        }
        return total;
    }

    /** The book of an instrument (created empty if it had none); for tests. */
    public OrderBook orderBook(int instrumentId) {
        return book(instrumentId);
    }

    /** The ingest stage, for its counters. */
    public Ingest ingest() {
        return ingest;
    }

    /** Subscribe commands processed; for metrics. */
    public long subscribeCommands() {
        return subscribeCommands;
    }

    // ---- streams with state -------------------------------------------------------------------

    /** A stream that emits on a throttle grid. */
    private interface Throttled {
        void emit();
    }

    /** A depth-limited book stream: its view, and for throttled ones whether the book moved since. */
    private final class DepthStream implements Throttled {
        final long key;
        final int throttle;
        final DepthView view;
        boolean dirty;

        DepthStream(long key, int throttle, DepthView view) {
            this.key = key;
            this.throttle = throttle;
            this.view = view;
        }

        @Override
        public void emit() {
            if (!dirty) {
                return;
            }
            dirty = false;
            int id = StreamKey.instrumentId(key);
            DepthUpdate message = view.advance(book(id), id, checksums);
            if (message != null) {
                publish(key, message, message.prevSeq());
            }
        }
    }

    /** A throttled quote or bar stream: the latest value not yet sent, conflating what came before. */
    private final class ThrottledStream implements Throttled {
        final long key;
        StreamMessage pending;
        long lastSeq;

        ThrottledStream(long key) {
            this.key = key;
        }

        @Override
        public void emit() {
            if (pending == null) {
                return;
            }
            StreamMessage message = pending;
            pending = null;
            publish(key, message, lastSeq);
            lastSeq = message.seq();
        }
    }
}
