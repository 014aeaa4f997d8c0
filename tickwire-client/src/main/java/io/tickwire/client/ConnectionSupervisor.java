package io.tickwire.client;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.client.internal.Backoff;
import io.tickwire.client.internal.SequenceTracker;
import io.tickwire.client.internal.WebSocketLink;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.Command;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.MessageReader;
import io.tickwire.protocol.v1.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's state machine: connects, authenticates, restores the wanted subscriptions, watches
 * the link for silence, reconnects with backoff, correlates requests with answers, checks market
 * data for sequence and hands it to the user's callbacks, and keeps the local books (through
 * {@link LocalBooks}, asking for snapshots when a book must resynchronise).
 *
 * <p>Confined to one event loop, which every connection of this client also runs on: all methods
 * must be called there ({@link TickwireClient} hops onto it). So there are no locks, and callbacks
 * come out in exactly the order the loop produced them.
 *
 * <pre>
 * NEW → CONNECTING → AUTHENTICATING → RESTORING → READY
 *           ↑   (link closed, retryable)   │            │
 *        WAITING ←───────────────────────────┴────────────┘
 * any → CLOSING (user close) → CLOSED;  any → CLOSED (permanent refusal)
 * </pre>
 */
final class ConnectionSupervisor implements WebSocketLink.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSupervisor.class);
    /** How long a connection must last to count as healthy when the server sends no heartbeats. */
    private static final long DEFAULT_HEALTHY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Close codes after which reconnecting cannot help without a change on the user's side. */
    private static final Set<Integer> PERMANENT_CLOSE_CODES = Set.of(
            1000, // from the server: it ended the session, its work done (a replay that finished)
            1002, // protocol error
            1003, // unsupported data
            1007, // invalid payload
            1008, // policy violation
            1009, // message too big: requests are checked (and restores split) against the limit, so a bug here
            4002, // authentication failed
            4003, // replaced by a newer connection of the same account: taking over again would fight it
            4005, // request flood
            4007); // connection limit
    /*
     * Which permanent refusals are one server's own, and which the account's. A cluster's servers
     * share the accounts and their credentials, so a refused credential (4002, auth_failed and the
     * other credential codes, an account that does not exist, a missing second factor, HTTP 401,
     * 403, 407) is refused everywhere, and so is the client's own conduct (4003, 4005, protocol
     * violations, 1000 for a session the server ended as done): those end the client at once. A
     * connection limit is counted per server (a plan's maxConnections is per node), an address's
     * path may be served by one server or proxy and not another (HTTP 404 and the other 4xx of an
     * upgrade), a server's clock may be off (an HMAC timestamp out of its window) or the server
     * faulty (internal_error): another server may take the client, so with alternates it tries the
     * next address and gives up only when every address has refused in a row. (Overload — 1013,
     * HTTP 429, 503 — and the other 5xx are not refusals at all: retried, at the next address.)
     */
    /** Close codes of {@link #PERMANENT_CLOSE_CODES} another server of a cluster may not share. */
    private static final Set<Integer> SERVER_REFUSAL_CLOSE_CODES = Set.of(4007);
    /** Refusals of a login that another server of a cluster may not share. */
    private static final Set<ErrorCode> SERVER_REFUSAL_ERRORS = java.util.EnumSet.of(ErrorCode.CONNECTION_LIMIT,
            ErrorCode.TIMESTAMP_OUT_OF_WINDOW, ErrorCode.INTERNAL_ERROR);
    /** HTTP refusals of an upgrade that concern the credentials, not the address. */
    private static final Set<Integer> CREDENTIAL_HTTP_STATUSES = Set.of(401, 403, 407);
    /**
     * Close codes by which a server says it is going away (1001) or overloaded (1013): with
     * alternates, the client reconnects to the next address rather than back to it.
     */
    private static final Set<Integer> LEAVE_SERVER_CLOSE_CODES = Set.of(1001, 1013);
    private static final int ABNORMAL = ConnectionEvent.ABNORMAL_CLOSURE;
    /** The least wait before a restore batch the server refused for now is sent again. */
    private static final long RETRY_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * Heartbeat intervals reads may stay paused for slow callbacks before the client leaves the
     * connection: well under the server's idle timeout (30 s by default against 5 s heartbeats).
     */
    private static final long PAUSE_LIMIT_HEARTBEATS = 2;
    /** How often books out of sync are checked for a snapshot request that is due. */
    private static final long RESYNC_CHECK_MILLIS = 100;

    private enum Phase { NEW, CONNECTING, AUTHENTICATING, RESTORING, READY, WAITING, CLOSING, CLOSED }

    /** A request waiting for its answer, by request id. */
    private sealed interface Request permits SubscribeRequest, UnsubscribeRequest, PingRequest, SnapshotRequest {
    }

    /**
     * A subscribe on the wire. {@code generations} are the streams a refusal may remove from the
     * wanted set, with the generation they must still have. A restore has no future, and keeps its
     * {@code batch} to send it again if the server asks to retry later.
     */
    private record SubscribeRequest(List<String> symbols, List<Channel> channels, Map<StreamId, Long> generations,
                                    CompletableFuture<SubscriptionResult> future,
                                    DesiredSubscriptions.Batch batch) implements Request {

        SubscribeRequest(List<String> symbols, List<Channel> channels, Map<StreamId, Long> generations,
                         CompletableFuture<SubscriptionResult> future) {
            this(symbols, channels, generations, future, null);
        }

        boolean restore() {
            return future == null;
        }
    }

    private record UnsubscribeRequest(CompletableFuture<SubscriptionResult> future) implements Request {
    }

    private record PingRequest(long sentNanos, CompletableFuture<Duration> future) implements Request {
    }

    /** A snapshot of a book, asked for to resynchronise it. */
    private record SnapshotRequest(String symbol) implements Request {
    }

    /** A subscribe made while no connection was ready; the next restore answers it. */
    private record HeldSubscribe(List<String> symbols, List<Channel> channels,
                                 CompletableFuture<SubscriptionResult> future) {

        SubscriptionResult resultFrom(List<Subscription> accepted, List<Rejection> rejected) {
            List<Subscription> mine = new ArrayList<>();
            for (Subscription s : accepted) {
                if (channels.contains(s.channel()) && symbols.contains(DesiredSubscriptions.normalize(s.symbol()))) {
                    mine.add(s);
                }
            }
            List<Rejection> refused = new ArrayList<>();
            for (Rejection r : rejected) {
                if ((r.channel() == null || channels.contains(r.channel()))
                        && symbols.contains(DesiredSubscriptions.normalize(r.symbol()))) {
                    refused.add(r);
                }
            }
            return new SubscriptionResult(mine, refused);
        }

        /** The whole-request refusal of a restore batch that carried any of this request's streams, or null. */
        ServerErrorException refusedWholeBy(Map<ServerErrorException, List<StreamId>> refusals) {
            for (Map.Entry<ServerErrorException, List<StreamId>> r : refusals.entrySet()) {
                for (StreamId id : r.getValue()) {
                    if (channels.contains(id.channel()) && symbols.contains(DesiredSubscriptions.normalize(id.symbol()))) {
                        return r.getKey();
                    }
                }
            }
            return null;
        }
    }

    /**
     * The restore of a new connection: what is outstanding and what the server said so far.
     *
     * <p>Batches go out one per {@code intervalNanos} (the plan's request rate), not all at once: a
     * plan's burst may be smaller than the number of batches (each depth, throttle or bar shape is
     * a batch of its own), and a refused request counts towards the server's flood limit. A batch
     * the server answers {@code rate_limited} or {@code server_busy} goes back to the front of the
     * queue and is sent again after the delay the server asked for, on the same connection.
     */
    private static final class RestoreRound {
        final List<HeldSubscribe> held;
        final java.util.ArrayDeque<DesiredSubscriptions.Batch> waiting;
        final long intervalNanos;
        final List<Subscription> accepted = new ArrayList<>();
        final List<Rejection> rejected = new ArrayList<>();
        /** Requests the server refused as a whole, with the streams they asked for. */
        final Map<ServerErrorException, List<StreamId>> refusedWhole = new LinkedHashMap<>();
        /** Batches not yet answered: waiting or in flight. */
        int outstanding;
        /** The earliest time the next batch may go (monotonic nanos). */
        long nextSendNanos;
        /** Batches that may still go before {@link #nextSendNanos}: the plan's burst beyond the login and the first batch. */
        int credits;

        RestoreRound(List<HeldSubscribe> held, List<DesiredSubscriptions.Batch> plan, long intervalNanos, int credits) {
            this.held = held;
            this.waiting = new java.util.ArrayDeque<>(plan);
            this.intervalNanos = intervalNanos;
            this.outstanding = plan.size();
            this.credits = credits;
        }
    }

    private final ClientOptions options;
    private final EventLoop loop;
    private final Callbacks callbacks;
    private final Backoff backoff;
    private final Clock clock;
    private final Runnable onTerminated;
    private final WebSocketLink.Settings linkSettings;
    private final MessageReader reader = new MessageReader();
    private final SequenceTracker<StreamId> sequences = new SequenceTracker<>();
    /** Streams a heartbeat found behind the server's position, and that position: confirmed lost at the next one. */
    private final Map<StreamId, Long> behindAtLastHeartbeat = new HashMap<>();
    /** Per bar stream, the open time of the last bar delivered and whether that message closed it. */
    private final Map<StreamId, long[]> lastBars = new HashMap<>();
    /** Bar streams that have had a message on this connection. */
    private final Set<StreamId> barsOnThisConnection = new java.util.HashSet<>();
    private final LocalBooks books;
    private final DesiredSubscriptions desired = new DesiredSubscriptions();
    private final Map<String, Request> inFlight = new LinkedHashMap<>();
    private final List<HeldSubscribe> held = new ArrayList<>();
    /** Price and size scale per symbol as the server spells it, from subscribe answers. */
    private final Map<String, int[]> scales = new HashMap<>();
    private final CompletableFuture<SessionInfo> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private Phase phase = Phase.NEW;
    private WebSocketLink link;
    private int attempts;
    private int failures;
    private long nextId;
    private long generation;
    private ServerMessage.Welcome welcome;
    private String authId;
    private SessionInfo session;
    /** The server refused the credentials or the connection for good; ends the client when the link closes. */
    private ServerErrorException refusal;
    private TickwireException terminalCause;
    private RestoreRound restore;
    private long lastReadNanos;
    private boolean readingPaused;
    /** When reads were paused for slow callbacks (monotonic nanos). */
    private long pausedSinceNanos;
    /** The last connection was left because the callbacks were behind: the next waits until they catch up. */
    private boolean reconnectWhenDrained;
    private ScheduledFuture<?> attemptTimer;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> healthyTimer;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> renewalTimer;
    /** Every scheme's client side: logins, second factors, JWTs per request, renewals. */
    private final Authentication authentication;
    /** The id of the in-session renewal in flight, if any. */
    private String renewId;
    /** The last refusal of this attempt can be cured by a new attempt (a fresh signature, a new session token, after a ban). */
    private boolean retryableRefusal;
    /** The least delay before the next attempt (a ban's retryAfterMs), or 0. */
    private long minDelayMillis;
    private ScheduledFuture<?> resyncTimer;
    private ScheduledFuture<?> restoreTimer;
    /**
     * Where the next attempts go: the {@code url} of the last {@code reconnect} hint, or null for
     * the configured address. Dropped when an attempt there fails before the server's welcome, so
     * a hint to an address that does not answer cannot strand the client.
     */
    private java.net.URI redirect;
    /** Whether the current attempt went to {@link #redirect}. */
    private boolean attemptRedirected;
    /** Which configured address attempts go to: 0 the builder's, then the alternates'. */
    private int addressIndex;
    /** Attempts in a row refused by their server alone ({@link #refusedByThisServerOnly}); any other outcome resets it. */
    private int serverRefusalsInARow;
    /** The link is closing because the server asked us to reconnect: not a refusal, whatever the code. */
    private boolean leavingOnRequest;
    /** The server's start time from the last welcome ({@code epoch}), 0 before any. */
    private long epoch;
    /** This connection's server is not the run the previous connection talked to. */
    private boolean epochChanged;

    /**
     * @param onTerminated runs on the loop once the client has stopped for good (closed or refused)
     */
    ConnectionSupervisor(ClientOptions options, EventLoop loop, Clock clock, Runnable onTerminated) {
        this.options = options;
        this.loop = loop;
        // the low-water signal fires on a callback thread: hand it over to the loop (gone once the
        // client has closed: then there is nothing to resume, and the backlog still runs)
        this.callbacks = new Callbacks(options, () -> {
            try {
                loop.execute(this::resumeReading);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                LOG.debug("not resuming reads: the client's event loop has stopped");
            }
        });
        this.books = new LocalBooks(callbacks);
        this.clock = clock;
        this.onTerminated = onTerminated;
        this.backoff = new Backoff(options.reconnectMin(), options.reconnectMax(), new SplittableRandom());
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set("User-Agent", "tickwire-java");
        this.linkSettings = new WebSocketLink.Settings(options.uri(), options.connectTimeout(), options.maxFrameBytes(),
                headers);
        this.authentication = new Authentication(options.credentials(), clock, options.connectTimeout());
    }

    // ---- the user's calls (on the loop) ---------------------------------------------------------

    /** Messages dropped as duplicates; any thread. */
    long dropped() {
        return sequences.dropped() + books.duplicates();
    }

    /** The latest view of a book, or {@code null}; any thread. */
    BookView book(String symbol) {
        return books.view(symbol);
    }

    /** Starts connecting if not yet started; {@code future} gets the outcome of the first connection. */
    void connect(CompletableFuture<SessionInfo> future) {
        if (terminalCause != null) {
            callbacks.fail(future, terminalCause);
            return;
        }
        if (phase == Phase.NEW) {
            attemptConnect();
        }
        if (connected.isDone()) {
            callbacks.complete(future, connected.join());
            return;
        }
        // 'connected' is completed through the callbacks, so this runs where the callbacks run
        connected.whenComplete((session, failure) -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(session);
            }
        });
    }

    void subscribe(List<String> symbols, List<Channel> channels, SubscribeOptions subscribeOptions,
                   CompletableFuture<SubscriptionResult> future) {
        if (terminalCause != null) {
            callbacks.fail(future, terminalCause);
            return;
        }
        long gen = ++generation;
        String id = authenticated() ? nextId() : null;
        String text = id == null ? null : subscribeText(id, symbols, channels, subscribeOptions);
        if (text != null && tooBig(text, future)) {
            return;
        }
        Map<StreamId, Long> changed = desired.add(symbols, channels, subscribeOptions, gen);
        if (id == null) {
            held.add(new HeldSubscribe(symbols, channels, future));
            return;
        }
        send(new SubscribeRequest(symbols, channels, changed, future), id, text);
    }

    /**
     * A subscribe with only the options that concern its channels, and a fresh JWT when the
     * credentials are JWTs (Coinbase clients send one with every subscribe).
     */
    private String subscribeText(String id, List<String> symbols, List<Channel> channels, SubscribeOptions o) {
        return subscribeText(id, symbols, channels, o, List.of());
    }

    private String subscribeText(String id, List<String> symbols, List<Channel> channels, SubscribeOptions o,
                                 List<Command.ResumePoint> resumeFrom) {
        return subscribeText(id, symbols, channels, o, resumeFrom, 0);
    }

    private String subscribeText(String id, List<String> symbols, List<Channel> channels, SubscribeOptions o,
                                 List<Command.ResumePoint> resumeFrom, long since) {
        boolean bars = channels.contains(Channel.BAR);
        return CommandWriter.subscribe(id, symbols, channels, channels.contains(Channel.BOOK) ? o.depth() : 0,
                o.throttleMillis(), bars ? List.copyOf(o.periods()) : null, bars ? List.copyOf(o.priceTypes()) : null,
                authentication.requestJwt(), resumeFrom, since);
    }

    /**
     * The {@code since} of a restore batch: its trade streams on which no trade has arrived yet
     * have no number to resume after, but every trade from the moment the server last accepted them
     * is one the client has not seen — so they start with the trades from then on (history, then
     * live). One value serves the batch: the earliest such moment, so none is lost (a stream
     * accepted later may get a few trades from just before it was). 0 if there is none.
     */
    private long sinceFor(DesiredSubscriptions.Batch batch) {
        if (!batch.channels().contains(Channel.TRADE)) {
            return 0;
        }
        long since = Long.MAX_VALUE;
        for (String symbol : batch.symbols()) {
            StreamId id = StreamId.of(symbol, Channel.TRADE);
            long confirmedAt = desired.confirmedAt(id);
            if (sequences.position(id) == null && confirmedAt > 0) {
                since = Math.min(since, confirmedAt);
            }
        }
        return since == Long.MAX_VALUE ? 0 : since;
    }

    /**
     * Where the full-rate trade and quote streams of a batch being restored left off, so the
     * server replays what the break missed (books and bars start from a snapshot anyway; bar
     * streams are batches of their own, so a batch's {@code since} never reaches them).
     */
    private List<Command.ResumePoint> resumePoints(DesiredSubscriptions.Batch batch) {
        if (batch.options().throttleMillis() > 0 && !batch.channels().contains(Channel.TRADE)) {
            return List.of();
        }
        List<Command.ResumePoint> points = new ArrayList<>();
        for (String symbol : batch.symbols()) {
            for (Channel channel : batch.channels()) {
                boolean fullRate = channel == Channel.TRADE
                        || (channel == Channel.QUOTE && batch.options().throttleMillis() == 0);
                long[] at = fullRate ? sequences.position(StreamId.of(symbol, channel)) : null;
                if (at != null) {
                    points.add(new Command.ResumePoint(symbol, channel, null, null, at[0], Math.max(0, at[1])));
                }
            }
        }
        return points;
    }

    void unsubscribe(List<String> symbols, List<Channel> channels, CompletableFuture<SubscriptionResult> future) {
        if (terminalCause != null) {
            callbacks.fail(future, terminalCause);
            return;
        }
        if (!authenticated()) {
            // nothing is subscribed on any server now, and what is no longer wanted is not restored
            List<StreamId> removed = desired.remove(symbols, channels);
            List<Rejection> notSubscribed = new ArrayList<>();
            for (String symbol : symbols) {
                for (Channel channel : channels) {
                    forget(symbol, channel);
                    if (removed.stream().noneMatch(id -> id.is(symbol, channel))) {
                        notSubscribed.add(new Rejection(symbol, channel, ErrorCode.NOT_SUBSCRIBED.wire(),
                                symbol + " is not subscribed on channel '" + channel.wireName() + "'"));
                    }
                }
            }
            List<Subscription> unsubscribed = new ArrayList<>();
            for (StreamId id : removed) {
                unsubscribed.add(new Subscription(id.symbol(), id.channel(), 0, Duration.ZERO, id.period(), id.priceType()));
            }
            callbacks.complete(future, new SubscriptionResult(unsubscribed, notSubscribed));
            return;
        }
        String id = nextId();
        String text = CommandWriter.unsubscribe(id, symbols, channels);
        if (tooBig(text, future)) {
            return;
        }
        desired.remove(symbols, channels);
        send(new UnsubscribeRequest(future), id, text);
    }

    void ping(CompletableFuture<Duration> future) {
        if (terminalCause != null) {
            callbacks.fail(future, terminalCause);
            return;
        }
        if (!authenticated()) {
            callbacks.fail(future, new ConnectionException(ABNORMAL, "not connected"));
            return;
        }
        String id = nextId();
        send(new PingRequest(clock.monotonicNanos(), future), id, CommandWriter.ping(id, null));
    }

    /** Closes cleanly; the future completes once the connection is gone. Idempotent. */
    CompletableFuture<Void> close() {
        if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
            return closed;
        }
        phase = Phase.CLOSING;
        cancelTimers();
        cancel(reconnectTimer);
        ConnectionException cause = new ConnectionException(1000, "the client was closed");
        terminalCause = cause;
        failAllRequests(cause);
        if (!connected.isDone()) {
            callbacks.fail(connected, cause);
        }
        if (link != null) {
            link.close(1000, "client closing", options.closeTimeout());
        } else {
            finishClose();
        }
        return closed;
    }

    // ---- connecting -----------------------------------------------------------------------------

    private void attemptConnect() {
        reconnectTimer = null;
        if (reconnectWhenDrained && callbacks.backlogAboveHighWater()) {
            // a new connection would only pause again at once: wait for the low-water signal
            phase = Phase.WAITING;
            callbacks.armResumeSignal();
            return;
        }
        reconnectWhenDrained = false;
        phase = Phase.CONNECTING;
        attemptRedirected = redirect != null;
        attempts++;
        welcome = null;
        authId = null;
        renewId = null;
        refusal = null;
        retryableRefusal = false;
        minDelayMillis = 0;
        session = null;
        readingPaused = false;
        leavingOnRequest = false;
        callbacks.event(new ConnectionEvent.Connecting(target(), attempts));
        sequences.newConnection();
        barsOnThisConnection.clear();
        int attempt = attempts;
        CompletableFuture<Void> prepared = authentication.prepare();
        if (prepared.isDone() && !prepared.isCompletedExceptionally()) {
            openLink();
            return;
        }
        prepared.whenComplete((v, failure) -> loop.execute(() -> {
            if (phase != Phase.CONNECTING || attempts != attempt) {
                return;
            }
            if (failure == null) {
                openLink();
            } else {
                preparationFailed(failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
            }
        }));
    }

    /** The credentials could not be prepared (the OAuth2 exchange failed): give up if refused, else retry later. */
    private void preparationFailed(Throwable failure) {
        String reason = "could not obtain a session token: " + failure.getMessage();
        callbacks.event(new ConnectionEvent.Disconnected(ABNORMAL, reason));
        if (failure instanceof ServerErrorException refused) {
            terminate(refused, ABNORMAL, reason);
            return;
        }
        LOG.info("connection attempt {} to {} failed: {}", attempts, target(), reason);
        Duration delay = backoff.delay(failures++);
        phase = Phase.WAITING;
        callbacks.event(new ConnectionEvent.Reconnecting(delay, attempts + 1));
        reconnectTimer = loop.schedule(this::attemptConnect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void openLink() {
        HttpHeaders headers = new DefaultHttpHeaders().add(linkSettings.headers());
        authentication.handshakeHeaders().forEach(headers::set);
        WebSocketLink l = new WebSocketLink(loop, new WebSocketLink.Settings(target(), linkSettings.connectTimeout(),
                linkSettings.maxFrameBytes(), headers), this);
        link = l;
        long timeout = options.connectTimeout().toMillis();
        attemptTimer = loop.schedule(() -> {
            if (link == l && (phase == Phase.CONNECTING || phase == Phase.AUTHENTICATING)) {
                l.abort("not connected and authenticated within " + timeout + " ms");
            }
        }, timeout, TimeUnit.MILLISECONDS);
        try {
            l.connect();
        } catch (RuntimeException e) { // a setup the client cannot use (TLS unavailable, say): retrying will not help
            link = null;
            cancelTimers();
            String reason = "cannot connect: " + e.getMessage();
            callbacks.event(new ConnectionEvent.Disconnected(ABNORMAL, reason));
            terminate(new ConnectionException(ABNORMAL, reason), ABNORMAL, reason);
        }
    }

    @Override
    public void onText(WebSocketLink l, String text) {
        if (l != link) {
            return;
        }
        lastReadNanos = clock.monotonicNanos();
        if (options.inboundFrames() != null) {
            text = options.inboundFrames().apply(text);
            if (text == null) {
                return; // dropped by the test hook
            }
        }
        ServerMessage message;
        try {
            message = reader.read(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring a message from {} that cannot be read: {}", target(), e.getMessage());
            return;
        }
        switch (message) {
            case ServerMessage.Quote q -> onQuote(q);
            case ServerMessage.Trade t -> onTrade(t);
            case ServerMessage.Book b -> onBook(b);
            case ServerMessage.Bar b -> onBar(b);
            case ServerMessage.Gap g -> onServerGap(g);
            case ServerMessage.Heartbeat h -> onHeartbeat(l, h); // its arrival is the point; its positions check us
            case ServerMessage.Resumed r -> onResumed(r);
            case ServerMessage.Status st -> callbacks.event(new ConnectionEvent.StreamStatus(st.symbol(), st.channel(),
                    "stale".equals(st.state()), st.lastTs()));
            case ServerMessage.Reconnect rc -> onReconnectHint(l, rc);
            case ServerMessage.Welcome w -> onWelcome(l, w);
            case ServerMessage.Authenticated a -> onAuthenticated(a);
            case ServerMessage.Subscribed s -> onSubscribed(s);
            case ServerMessage.Unsubscribed u -> onUnsubscribed(u);
            case ServerMessage.Pong p -> onPong(p);
            case ServerMessage.Error e -> onError(e);
            case ServerMessage.TwoFactorRequired t -> onTwoFactorRequired(l, t);
            case ServerMessage.CredentialExpiring c -> {
                LOG.info("the credential for {} expires soon; renewing it", target());
                renew();
            }
            case ServerMessage.EmailRegistered r -> LOG.debug("support e-mail registered");
            case ServerMessage.Publishing p -> LOG.debug("ignoring a publisher's message on a subscriber's connection");
            case ServerMessage.Taken t -> LOG.debug("ignoring a publisher's message on a subscriber's connection");
            case ServerMessage.Unknown u -> LOG.debug("ignoring a '{}' message (newer server?)", u.type());
        }
    }

    private void onWelcome(WebSocketLink l, ServerMessage.Welcome w) {
        if (phase != Phase.CONNECTING) {
            LOG.debug("ignoring a second welcome");
            return;
        }
        welcome = w;
        epochChanged = epoch != 0 && w.epoch() != 0 && w.epoch() != epoch;
        if (epochChanged) {
            LOG.info("{} is another server run than the last connection's (a restart, or another gateway; epoch {} -> {}):"
                    + " streams it cannot vouch for are reported as gaps", target(), epoch, w.epoch());
        }
        if (w.epoch() != 0) {
            epoch = w.epoch();
        }
        phase = Phase.AUTHENTICATING;
        watch(l, w.heartbeatMs());
        if (w.authenticated()) {
            return; // the handshake authenticated us; 'authenticated' follows
        }
        authId = nextId();
        l.send(authentication.login(authId));
    }

    /**
     * How the server resumed a stream. A {@code gap} without {@code missedFrom}/{@code missedTo}
     * says the server does not know the client's numbering (it restarted without a store, or the
     * number names another message there): the next message is reported as a gap whatever its
     * number, instead of being trusted to follow on — it might by chance.
     */
    private void onResumed(ServerMessage.Resumed r) {
        if ("gap".equals(r.mode()) && r.missedFrom() <= 0 && r.missedTo() <= 0 && r.channel() != null && r.after() > 0) {
            StreamId id = r.channel() == Channel.BAR ? StreamId.bar(r.symbol(), r.period(), r.priceType())
                    : StreamId.of(r.symbol(), r.channel());
            LOG.warn("{} {}: the server cannot resume from {} (its numbering is not the one this client saw{})",
                    r.symbol(), r.channel().wireName(), r.after(), epochChanged ? "; the server restarted" : "");
            sequences.renumbered(id);
        }
        callbacks.event(new ConnectionEvent.Resumed(r.symbol(), r.channel(), r.mode(), r.replayed(),
                Math.max(0, r.missedFrom()), Math.max(0, r.missedTo())));
    }

    private void onTwoFactorRequired(WebSocketLink l, ServerMessage.TwoFactorRequired t) {
        if (phase != Phase.AUTHENTICATING) {
            return;
        }
        authId = nextId();
        String answer = authentication.secondFactor(authId);
        if (answer == null) {
            refusal = new ServerErrorException(ErrorCode.TWO_FACTOR_REQUIRED.wire(),
                    "the server requires a second factor: give Credentials.withTotp(...)", -1, -1);
            l.abort("a second factor is required");
            return;
        }
        l.send(answer);
    }

    /** Renews an expiring credential in the session (a fresh JWT, or a newly exchanged session token). */
    private void renew() {
        if (!authenticated() || renewId != null || !authentication.renews()) {
            return;
        }
        String id = nextId();
        renewId = id;
        WebSocketLink l = link;
        CompletableFuture<String> message = authentication.renewal(id);
        message.whenComplete((text, failure) -> loop.execute(() -> {
            if (failure != null) {
                renewId = null;
                LOG.warn("could not renew the credential for {}: {}", target(), failure.getMessage());
            } else if (link == l && l != null && authenticated()) {
                l.send(text);
            }
        }));
    }

    private void scheduleRenewal(long expiresAtMicros) {
        cancel(renewalTimer);
        renewalTimer = null;
        if (expiresAtMicros < 0 || !authentication.renews()) {
            return;
        }
        long left = expiresAtMicros - clock.epochMicros();
        long delay = Math.max(1_000_000L, left / 4 * 3);
        renewalTimer = loop.schedule(this::renew, delay, TimeUnit.MICROSECONDS);
    }

    private void onAuthenticated(ServerMessage.Authenticated a) {
        if (a.refreshed() && authenticated()) {
            renewId = null;
            LOG.debug("credential for {} renewed", target());
            scheduleRenewal(a.expiresAt());
            return;
        }
        if (phase != Phase.AUTHENTICATING) {
            return;
        }
        authentication.authenticated(a);
        scheduleRenewal(a.expiresAt());
        cancel(attemptTimer);
        ServerMessage.Limits limits = a.limits();
        session = new SessionInfo(a.account(), a.plan(), welcome.session(), welcome.version(),
                Duration.ofMillis(welcome.heartbeatMs()), limits == null ? 0 : limits.maxSymbols(),
                limits == null ? Set.of() : Set.copyOf(limits.channels()));
        phase = Phase.RESTORING;
        int perSecond = limits == null ? 0 : limits.requestsPerSecond();
        // the burst left after the login and the first batch goes at once too (a server that does
        // not say its burst gets one batch at a time)
        int credits = limits == null ? 0 : Math.max(0, limits.requestBurst() - 2);
        restore = new RestoreRound(new ArrayList<>(held), desired.restorePlan(),
                perSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / perSecond : 0, credits);
        held.clear();
        books.onRestoring(clock.monotonicNanos());
        LOG.info("authenticated at {} as {} (plan {}, session {}); restoring {} subscription(s)", target(),
                a.account(), a.plan(), welcome.session(), desired.size());
        if (restore.outstanding == 0) {
            finishRestore();
            return;
        }
        sendRestoreBatches();
    }

    /**
     * Sends the waiting restore batches the pace allows now and schedules itself for the rest. The
     * first goes at once, and as many more as the plan's burst leaves after the login and that
     * first one, the others one per interval, so the restore stays within the plan's rate and burst
     * (a burst of at least one refills every interval).
     */
    private void sendRestoreBatches() {
        restoreTimer = null;
        RestoreRound round = restore;
        while (round != null && round == restore && link != null && !round.waiting.isEmpty()) {
            long now = clock.monotonicNanos();
            boolean onCredit = now < round.nextSendNanos;
            if (onCredit && round.credits == 0) {
                restoreTimer = loop.schedule(this::sendRestoreBatches, round.nextSendNanos - now, TimeUnit.NANOSECONDS);
                return;
            }
            DesiredSubscriptions.Batch batch = desired.stillWanted(round.waiting.poll());
            if (batch == null) { // all of it unsubscribed or changed by the user meanwhile
                restoreAnswered(null, List.of(), List.of());
                continue;
            }
            String id = nextId();
            long since = sinceFor(batch);
            String text = subscribeText(id, batch.symbols(), batch.channels(), batch.options(), resumePoints(batch), since);
            if (overFrameLimit(text)) {
                splitOversized(round, batch);
                continue;
            }
            if (onCredit) {
                round.credits--;
            } else {
                round.nextSendNanos = now + round.intervalNanos;
            }
            send(new SubscribeRequest(batch.symbols(), batch.channels(),
                    desired.generations(batch.symbols(), batch.channels(), batch.options()), null, batch), id, text);
        }
    }

    private void finishRestore() {
        RestoreRound round = restore;
        restore = null;
        phase = Phase.READY;
        serverRefusalsInARow = 0;
        List<Rejection> notRestored = new ArrayList<>(round.rejected);
        for (HeldSubscribe h : round.held) {
            SubscriptionResult result = h.resultFrom(round.accepted, round.rejected);
            notRestored.removeAll(result.rejected()); // reported to the one who asked
            ServerErrorException refusedWhole = h.refusedWholeBy(round.refusedWhole);
            if (refusedWhole != null && result.accepted().isEmpty()) {
                // as when connected: a request the server refused as a whole fails, nothing of it kept.
                // (Restored in several batches, part of a request may be accepted and part refused as
                // a whole: then it completes, the refused streams among its rejections, as it is.)
                callbacks.fail(h.future(), refusedWhole);
            } else {
                callbacks.complete(h.future(), result);
            }
        }
        if (!notRestored.isEmpty()) {
            LOG.warn("the server refused {} subscription(s) it had accepted before: {}", notRestored.size(), notRestored);
        }
        callbacks.event(new ConnectionEvent.Connected(session, notRestored));
        if (!connected.isDone()) {
            callbacks.complete(connected, session);
        }
        long healthyAfter = welcome.heartbeatMs() > 0
                ? TimeUnit.MILLISECONDS.toNanos(welcome.heartbeatMs()) * options.heartbeatTolerance()
                : DEFAULT_HEALTHY_NANOS;
        healthyTimer = loop.schedule(() -> {
            failures = 0;
        }, healthyAfter, TimeUnit.NANOSECONDS);
        resyncTimer = loop.scheduleAtFixedRate(() -> {
            if (phase == Phase.READY) {
                books.requestDue(clock.monotonicNanos(), this::requestSnapshot);
            }
        }, RESYNC_CHECK_MILLIS, RESYNC_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Declares the link dead when nothing at all arrives for heartbeat tolerance × interval. */
    private void watch(WebSocketLink l, long heartbeatMs) {
        if (heartbeatMs <= 0) {
            return; // this server sends no heartbeats: nothing to measure silence against
        }
        long toleranceMs = heartbeatMs * options.heartbeatTolerance();
        long toleranceNanos = TimeUnit.MILLISECONDS.toNanos(toleranceMs);
        long period = Math.max(10, heartbeatMs / 2);
        lastReadNanos = clock.monotonicNanos();
        watchdog = loop.scheduleAtFixedRate(() -> {
            long now = clock.monotonicNanos();
            if (readingPaused) {
                lastReadNanos = now; // we chose not to read; silence says nothing about the link
                long pauseLimitNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMs * PAUSE_LIMIT_HEARTBEATS);
                if (link == l && now - pausedSinceNanos > pauseLimitNanos) {
                    // unread, the server's pings go unanswered and its close frames unseen: it would
                    // take the link for dead (4008) or slow (4004) long before we noticed. Leave
                    // now; the resume fills the break once the callbacks have caught up.
                    reconnectWhenDrained = true;
                    l.abort("callbacks behind: reads paused for more than "
                            + TimeUnit.NANOSECONDS.toMillis(pauseLimitNanos) + " ms; reconnecting once they catch up");
                }
            } else if (link == l && now - lastReadNanos > toleranceNanos) {
                l.abort("heartbeat timeout: nothing received for " + toleranceMs + " ms (heartbeat every "
                        + heartbeatMs + " ms)");
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(WebSocketLink l, int closeCode, String reason) {
        if (l != link) {
            return;
        }
        link = null;
        cancelTimers();
        Phase was = phase;
        ConnectionException lost = new ConnectionException(closeCode,
                "connection closed before the answer (" + closeCode + ": " + reason + ")");
        failInFlight(lost);
        if (restore != null) {
            held.addAll(0, restore.held);
            restore = null;
        }
        if (was == Phase.CLOSING) {
            finishClose();
            return;
        }
        books.onConnectionLost();
        callbacks.event(new ConnectionEvent.Disconnected(closeCode, reason));
        // a hinted address that did not take us (no answer, an HTTP refusal, an unknown account there)
        // is the hint's failure, not the account's: back to the configured address, never give up on it
        boolean failedAtRedirect = attemptRedirected && was != Phase.READY && was != Phase.RESTORING;
        if (failedAtRedirect) {
            LOG.warn("{} (from the server's reconnect hint) did not take this client ({} {}); back to {}", redirect,
                    closeCode, reason, configured());
            redirect = null;
        }
        TickwireException permanent = leavingOnRequest || failedAtRedirect ? null : permanentFailure(l, closeCode, reason);
        if (givesUp(l, permanent, closeCode)) {
            terminate(permanent, closeCode, reason);
            return;
        }
        if (was == Phase.READY || was == Phase.RESTORING) {
            LOG.warn("disconnected from {}: {} {}", target(), closeCode, reason);
            if (LEAVE_SERVER_CLOSE_CODES.contains(closeCode)) {
                leaveServer();
            }
        } else {
            LOG.info("connection attempt {} to {} failed: {} {}", attempts, target(), closeCode, reason);
            // an attempt the server cut short with a reconnect hint goes where the hint said
            if (!failedAtRedirect && !attemptRedirected && !leavingOnRequest) {
                nextAddress();
            }
        }
        Duration delay = backoff.delay(failures++);
        long hinted = retryHintMillis(closeCode, reason); // admission control's spread: honour it, plus the jitter
        if (hinted > 0) {
            delay = Duration.ofMillis(hinted).plus(delay);
        }
        if (minDelayMillis > 0 && delay.toMillis() < minDelayMillis) {
            delay = Duration.ofMillis(minDelayMillis);
        }
        phase = Phase.WAITING;
        callbacks.event(new ConnectionEvent.Reconnecting(delay, attempts + 1));
        reconnectTimer = loop.schedule(this::attemptConnect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * A heartbeat comes after every message the server sent before it on this connection, so a
     * stream whose last number here is still short of where the server said it was one heartbeat
     * earlier lost messages on the way: the stream is stale. (One heartbeat of grace keeps a
     * subscription that is just starting, or a server that is busy, from looking stale.) The
     * client says so and reconnects, and the resume fills the break.
     */
    private void onHeartbeat(WebSocketLink l, ServerMessage.Heartbeat h) {
        if (phase != Phase.READY) {
            behindAtLastHeartbeat.clear();
            return;
        }
        Map<StreamId, Long> behind = new HashMap<>();
        for (ServerMessage.StreamPosition p : h.streams()) {
            if (p.channel() != Channel.TRADE && p.channel() != Channel.QUOTE) {
                continue; // books and bars are chained by prevSeq and resynchronise by snapshot
            }
            StreamId id = StreamId.of(p.symbol(), p.channel());
            long[] at = sequences.position(id);
            if (at == null || p.seq() <= at[0]) {
                continue;
            }
            Long before = behindAtLastHeartbeat.get(id);
            if (before != null && at[0] < before) {
                // still short of where the server was a whole heartbeat ago: not in flight, lost
                LOG.warn("{} {} was at {} on the server a heartbeat ago but is at {} here: stale, reconnecting to"
                        + " resume", p.symbol(), p.channel().wireName(), before, at[0]);
                behindAtLastHeartbeat.clear();
                callbacks.event(new ConnectionEvent.StreamStatus(p.symbol(), p.channel(), true, at[1]));
                l.abort("stream " + p.symbol() + " " + p.channel().wireName() + " behind the server's heartbeat");
                return;
            }
            behind.put(id, p.seq());
        }
        behindAtLastHeartbeat.clear();
        behindAtLastHeartbeat.putAll(behind);
    }

    /**
     * The server is draining or handing over: leave at the moment it gave (spread over its
     * clients) with a clean close (1000, so the server sees a client that left, not a failure),
     * then reconnect as after any break, resuming every stream — to the hint's {@code url} if it
     * carries a usable one ({@code ws} or {@code wss}), else to the next configured address if
     * there are alternates, else to the same address.
     */
    private void onReconnectHint(WebSocketLink l, ServerMessage.Reconnect hint) {
        LOG.info("{} asks to reconnect in {} ms{}: {}", target(), hint.afterMs(),
                hint.url() == null ? "" : " to " + hint.url(), hint.reason());
        java.net.URI to = reconnectTarget(hint.url(), configured());
        loop.schedule(() -> {
            if (link == l) {
                if (to != null) {
                    redirect = to.equals(configured()) ? null : to;
                } else { // no url, or one ignored
                    leaveServer(); // a draining server takes no new connection: back there is a failed attempt
                }
                leavingOnRequest = true;
                l.close(1000, "reconnecting as the server asked", options.closeTimeout());
            }
        }, Math.max(0, hint.afterMs()), TimeUnit.MILLISECONDS);
    }

    /**
     * The address a reconnect hint names, or null if none, not a WebSocket address, or a plain
     * {@code ws://} one while the client was configured with {@code wss://} (then ignored: a hint
     * must not move the credentials off TLS).
     */
    static java.net.URI reconnectTarget(String url, java.net.URI configured) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean tls = "wss".equalsIgnoreCase(configured.getScheme());
            if (scheme.equals("ws") && tls && uri.getHost() != null) {
                LOG.warn("ignoring the reconnect hint's url '{}': it would leave TLS (the client was given {})", url,
                        configured);
                return null;
            }
            if ((scheme.equals("ws") || scheme.equals("wss")) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // fall through
        }
        LOG.warn("ignoring the reconnect hint's url '{}': not a ws:// or wss:// address", url);
        return null;
    }

    /** Where the next attempt connects. */
    private java.net.URI target() {
        return redirect != null ? redirect : configured();
    }

    /** The configured address attempts go to now: the builder's, or after failed attempts an alternate. */
    private java.net.URI configured() {
        return addressIndex == 0 ? options.uri() : options.alternates().get(addressIndex - 1);
    }

    /** After a failed attempt at a configured address, the next attempt goes to the next one (if there are several). */
    private void nextAddress() {
        if (!options.alternates().isEmpty()) {
            addressIndex = (addressIndex + 1) % (options.alternates().size() + 1);
            LOG.info("trying {} next", configured());
        }
    }

    /**
     * The server this client is on is going away or overloaded: with alternates, the next attempt
     * goes to the next configured address (and no longer to a hinted one, which is this server)
     * rather than back to it, which would cost a failed attempt and a backoff. Without alternates
     * the same address is all there is.
     */
    private void leaveServer() {
        if (!options.alternates().isEmpty()) {
            redirect = null;
            nextAddress();
        }
    }

    /**
     * Whether a refusal ends the client: one the account would meet everywhere does at once; one
     * of this server alone only once every configured address has refused so in a row (at once
     * without alternates). Anything else breaks the row.
     */
    private boolean givesUp(WebSocketLink l, TickwireException permanent, int closeCode) {
        if (permanent == null) {
            serverRefusalsInARow = 0;
            return false;
        }
        if (!refusedByThisServerOnly(l, closeCode)) {
            return true;
        }
        if (++serverRefusalsInARow >= options.alternates().size() + 1) {
            return true;
        }
        LOG.warn("{} refused this client ({}); another server of the cluster may take it", target(),
                permanent.getMessage());
        return false;
    }

    /** Whether the attempt's permanent refusal is one another server of the cluster may not share. */
    private boolean refusedByThisServerOnly(WebSocketLink l, int closeCode) {
        if (refusal != null) {
            return SERVER_REFUSAL_ERRORS.contains(refusal.errorCode());
        }
        if (PERMANENT_CLOSE_CODES.contains(closeCode)) {
            return SERVER_REFUSAL_CLOSE_CODES.contains(closeCode);
        }
        return !CREDENTIAL_HTTP_STATUSES.contains(l.refusedStatus()); // an upgrade refused with another 4xx
    }

    /** The delay a 1013 close asks for ("… retry after N ms"), or 0. */
    static long retryHintMillis(int closeCode, String reason) {
        if (closeCode != 1013 || reason == null) {
            return 0;
        }
        java.util.regex.Matcher m = RETRY_HINT.matcher(reason);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static final java.util.regex.Pattern RETRY_HINT = java.util.regex.Pattern.compile("retry after (\\d{1,9}) ms");

    private TickwireException permanentFailure(WebSocketLink l, int closeCode, String reason) {
        if (refusal != null) {
            return refusal;
        }
        if (retryableRefusal) {
            return null;
        }
        if (PERMANENT_CLOSE_CODES.contains(closeCode)) {
            return new ConnectionException(closeCode, "the server closed the connection with " + closeCode + " ("
                    + reason + "); reconnecting would not help");
        }
        int status = l.refusedStatus();
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return new ConnectionException(closeCode, reason);
        }
        return null;
    }

    private void terminate(TickwireException cause, int closeCode, String reason) {
        phase = Phase.CLOSED;
        terminalCause = cause;
        cancel(reconnectTimer);
        failAllRequests(cause);
        LOG.warn("giving up on {}: {}", target(), cause.getMessage());
        if (!connected.isDone()) {
            callbacks.fail(connected, cause);
        }
        callbacks.event(new ConnectionEvent.Closed(closeCode, reason));
        closed.complete(null);
        authentication.close();
        onTerminated.run();
    }

    private void finishClose() {
        phase = Phase.CLOSED;
        callbacks.event(new ConnectionEvent.Closed(1000, "closed by the client"));
        closed.complete(null);
        authentication.close();
        onTerminated.run();
    }

    // ---- answers --------------------------------------------------------------------------------

    private void onError(ServerMessage.Error e) {
        String id = e.id();
        if (id != null && id.equals(authId)) {
            onAuthRefused(e);
            return;
        }
        if (id != null && id.equals(renewId)) {
            renewId = null;
            LOG.warn("{} refused the renewed credential: {} {}", target(), e.code(), e.message());
            return;
        }
        if (e.errorCode() == ErrorCode.CREDENTIAL_EXPIRED || e.errorCode() == ErrorCode.TOO_MANY_FAILURES) {
            authentication.refused(e.errorCode()); // the server closes next; the next attempt starts afresh
            retryableRefusal = true;
            minDelayMillis = Math.max(0, e.retryAfterMs());
        }
        Request request = id == null ? null : inFlight.remove(id);
        if (request == null) {
            LOG.warn("server error from {}: {} {}", target(), e.code(), e.message());
            return;
        }
        ServerErrorException error = ServerErrorException.of(e);
        switch (request) {
            case SubscribeRequest sub when sub.restore() -> onRestoreRefused(sub, e);
            case SubscribeRequest sub -> {
                sub.generations().forEach(desired::revertIfGeneration);
                callbacks.fail(sub.future(), error);
            }
            case UnsubscribeRequest unsub -> callbacks.fail(unsub.future(), error);
            case PingRequest ping -> callbacks.fail(ping.future(), error);
            case SnapshotRequest snap -> books.onRequestRefused(snap.symbol(), e.code(), clock.monotonicNanos());
        }
    }

    private void onAuthRefused(ServerMessage.Error e) {
        ErrorCode code = e.errorCode();
        if (code == ErrorCode.RESUME_INVALID && link != null) {
            authentication.refused(code);
            authId = nextId();
            link.send(authentication.secondFactor(authId)); // the resume lapsed: a fresh code
            return;
        }
        if (authentication.refused(code)) {
            retryableRefusal = true;
            minDelayMillis = Math.max(0, e.retryAfterMs());
            LOG.warn("authentication at {} did not succeed, retrying: {} {}", target(), e.code(), e.message());
            if (code == ErrorCode.TOTP_REUSED && link != null) {
                // the next code comes with the next 30-second step: wait for it instead of hammering
                minDelayMillis = 30_000 - Math.floorMod(clock.epochMillis(), 30_000) + 500;
                link.abort("the one-time password was already used; retrying with the next one");
            }
            return;
        }
        if (code != ErrorCode.AUTH_TIMEOUT && code != null) {
            // every other refusal of a credential: retrying with the same credential cannot help
            // (at this server: whether another of a cluster may take it, see refusedByThisServerOnly)
            refusal = ServerErrorException.of(e);
            LOG.warn("{} refused the client: {} {}", target(), e.code(), e.message());
            if (link != null && code == ErrorCode.TOTP_INVALID) {
                link.abort("second factor refused: " + e.code()); // the server would keep waiting for another code
            }
            return;
        }
        if (code == ErrorCode.AUTH_FAILED || code == ErrorCode.CONNECTION_LIMIT) {
            // the server closes the connection next (4002, 4007); then the client stops
            refusal = ServerErrorException.of(e);
            LOG.warn("{} refused the client: {} {}", target(), e.code(), e.message());
        } else {
            // e.g. auth_timeout: the server closes and the next attempt may do better;
            // anything else is left to the attempt timer
            LOG.warn("authentication at {} did not succeed: {} {}", target(), e.code(), e.message());
        }
    }

    /**
     * A restore batch too big for the server's frame limit (its resume points add to what the
     * user's requests held) would close the connection (1009) and every reconnect would send it
     * again: it goes out in two halves instead. A single symbol that cannot fit is left out.
     */
    private void splitOversized(RestoreRound round, DesiredSubscriptions.Batch batch) {
        List<String> symbols = batch.symbols();
        if (symbols.size() < 2) {
            LOG.error("cannot restore {} {}: the request alone exceeds the server's frame limit of {} bytes", symbols,
                    batch.channels(), welcome.maxFrameBytes());
            restoreAnswered(null, List.of(), List.of());
            return;
        }
        int half = symbols.size() / 2;
        round.waiting.addFirst(new DesiredSubscriptions.Batch(List.copyOf(symbols.subList(half, symbols.size())),
                batch.channels(), batch.options()));
        round.waiting.addFirst(new DesiredSubscriptions.Batch(List.copyOf(symbols.subList(0, half)), batch.channels(),
                batch.options()));
        round.outstanding++;
    }

    /**
     * A restore batch refused. Over the request budget, or a busy server: the request was not
     * processed, so the batch is sent again after the delay asked for, on this connection (a new
     * connection would restore everything again and meet the same budget). An internal error ends
     * the connection and the next restores. Any other refusal is the request's for good: its
     * streams are no longer wanted.
     */
    private void onRestoreRefused(SubscribeRequest sub, ServerMessage.Error e) {
        ErrorCode code = e.errorCode();
        RestoreRound round = restore;
        if ((code == ErrorCode.RATE_LIMITED || code == ErrorCode.SERVER_BUSY) && round != null && sub.batch() != null) {
            long wait = TimeUnit.MILLISECONDS.toNanos(Math.max(e.retryAfterMs(), 0));
            long retryAt = clock.monotonicNanos() + Math.max(wait, Math.max(round.intervalNanos, RETRY_FLOOR_NANOS));
            LOG.debug("restore batch refused with {}; sending it again in {} ms", e.code(),
                    TimeUnit.NANOSECONDS.toMillis(retryAt - clock.monotonicNanos()));
            round.waiting.addFirst(sub.batch());
            round.nextSendNanos = Math.max(round.nextSendNanos, retryAt);
            round.credits = 0; // the burst is spent after all (other requests took it): wait as asked
            cancel(restoreTimer);
            sendRestoreBatches();
            return;
        }
        if (code == ErrorCode.RATE_LIMITED || code == ErrorCode.SERVER_BUSY || code == ErrorCode.INTERNAL_ERROR) {
            if (link != null) {
                link.abort("could not restore subscriptions: " + e.code() + " " + e.message());
            }
            return;
        }
        List<Rejection> refused = new ArrayList<>();
        for (String symbol : sub.symbols()) {
            for (Channel channel : sub.channels()) {
                refused.add(new Rejection(symbol, channel, e.code(), e.message()));
            }
        }
        if (round != null) {
            round.refusedWhole.put(ServerErrorException.of(e), DesiredSubscriptions.streamsOf(sub.symbols(),
                    sub.channels(), sub.batch() != null ? sub.batch().options() : SubscribeOptions.defaults()));
        }
        restoreAnswered(sub, List.of(), refused);
    }

    private void onSubscribed(ServerMessage.Subscribed s) {
        Request request = s.id() == null ? null : inFlight.get(s.id());
        if (!(request instanceof SubscribeRequest sub)) {
            LOG.debug("ignoring an unexpected 'subscribed' answer (id {})", s.id());
            return;
        }
        inFlight.remove(s.id());
        for (ServerMessage.InstrumentInfo info : s.instruments()) {
            scales.put(info.symbol(), new int[] {info.priceScale(), info.sizeScale()});
        }
        List<Subscription> accepted = subscriptions(s.subscriptions());
        List<Rejection> rejected = rejections(s.rejected());
        for (Subscription a : accepted) {
            desired.confirm(streamIdOf(a), clock.epochMicros());
        }
        if (sub.restore()) {
            restoreAnswered(sub, accepted, rejected);
        } else {
            dropRefused(sub, rejected);
            callbacks.complete(sub.future(), new SubscriptionResult(accepted, rejected));
        }
    }

    private void restoreAnswered(SubscribeRequest sub, List<Subscription> accepted, List<Rejection> rejected) {
        if (sub != null) {
            dropRefused(sub, rejected);
        }
        if (restore == null) {
            return;
        }
        restore.accepted.addAll(accepted);
        restore.rejected.addAll(rejected);
        if (--restore.outstanding == 0) {
            finishRestore();
        }
    }

    /**
     * Refused streams are not wanted any more (unless asked for again since), so not restored; a
     * refused change of options falls back to the options the server kept.
     */
    private void dropRefused(SubscribeRequest sub, List<Rejection> rejected) {
        for (Rejection r : rejected) {
            String symbol = DesiredSubscriptions.normalize(r.symbol());
            for (Channel channel : r.channel() != null ? List.of(r.channel()) : sub.channels()) {
                sub.generations().forEach((id, gen) -> {
                    if (id.is(symbol, channel)) {
                        if (sub.restore()) {
                            desired.removeIfGeneration(id, gen);
                        } else {
                            desired.revertIfGeneration(id, gen);
                        }
                    }
                });
                if (!desired.containsAny(symbol, channel)) {
                    forget(symbol, channel);
                }
            }
        }
    }

    /** Forgets what the client tracked of streams no longer subscribed. */
    private void forget(String symbol, Channel channel) {
        String s = DesiredSubscriptions.normalize(symbol);
        sequences.forgetIf(id -> id.is(s, channel));
        lastBars.keySet().removeIf(id -> id.is(s, channel));
        if (channel == Channel.BOOK) {
            books.remove(s);
        }
    }

    private void onUnsubscribed(ServerMessage.Unsubscribed u) {
        Request request = u.id() == null ? null : inFlight.get(u.id());
        if (!(request instanceof UnsubscribeRequest unsub)) {
            LOG.debug("ignoring an unexpected 'unsubscribed' answer (id {})", u.id());
            return;
        }
        inFlight.remove(u.id());
        List<Subscription> accepted = subscriptions(u.subscriptions());
        for (Subscription s : accepted) {
            if (!desired.containsAny(s.symbol(), s.channel())) { // not subscribed again meanwhile
                forget(s.symbol(), s.channel());
            }
        }
        callbacks.complete(unsub.future(), new SubscriptionResult(accepted, rejections(u.rejected())));
    }

    private void onPong(ServerMessage.Pong p) {
        Request request = p.id() == null ? null : inFlight.get(p.id());
        if (request instanceof PingRequest ping) {
            inFlight.remove(p.id());
            callbacks.complete(ping.future(), Duration.ofNanos(clock.monotonicNanos() - ping.sentNanos()));
        }
    }

    // ---- market data ----------------------------------------------------------------------------

    private void onQuote(ServerMessage.Quote q) {
        if (!authenticated() || !inSequence(StreamId.of(q.symbol(), Channel.QUOTE), q.symbol(), q.seq(), q.prevSeq(), q.ts(),
                q.snapshot())) {
            return;
        }
        if (callbacks.wantsQuotes()) {
            int[] scale = scales.get(q.symbol());
            callbacks.quote(scale == null ? Quote.from(q, WireValues.UNKNOWN_SCALE, WireValues.UNKNOWN_SCALE)
                    : Quote.from(q, scale[0], scale[1]));
            pushBackIfBehind();
        }
    }

    private void onTrade(ServerMessage.Trade t) {
        if (!authenticated() || !inSequence(StreamId.of(t.symbol(), Channel.TRADE), t.symbol(), t.seq(), -1, t.ts(), false)) {
            return;
        }
        if (callbacks.wantsTrades()) {
            int[] scale = scales.get(t.symbol());
            callbacks.trade(scale == null ? Trade.from(t, WireValues.UNKNOWN_SCALE, WireValues.UNKNOWN_SCALE)
                    : Trade.from(t, scale[0], scale[1]));
            pushBackIfBehind();
        }
    }

    private void onBook(ServerMessage.Book b) {
        Request request = b.id() == null ? null : inFlight.get(b.id());
        boolean answered = request instanceof SnapshotRequest;
        if (answered) {
            inFlight.remove(b.id());
        }
        if (!authenticated() || !desired.containsAny(b.symbol(), Channel.BOOK)) {
            return; // late, after an unsubscribe
        }
        int[] scale = scales.get(b.symbol());
        if (scale == null) {
            LOG.warn("ignoring a {} book message: the server did not tell the instrument's scales", b.symbol());
            return;
        }
        books.onBook(b, scale[0], scale[1], answered, clock.monotonicNanos(), this::requestSnapshot);
        pushBackIfBehind();
    }

    private void onBar(ServerMessage.Bar b) {
        if (!authenticated() || b.period() == null || b.priceType() == null) {
            return; // a period or price type this client does not know
        }
        StreamId stream = StreamId.bar(b.symbol(), b.period(), b.priceType());
        boolean missedClose = missedBarClose(stream, b);
        if (!inSequence(stream, b.symbol(), b.seq(), b.prevSeq(), b.ts(), b.snapshot())) {
            return;
        }
        if (missedClose) {
            long[] at = sequences.position(stream);
            LOG.info("{} {} {} bar: the bar last seen closed while this client was away", b.symbol(),
                    b.period().wireName(), b.priceType().wireName());
            callbacks.gap(new Gap(b.symbol(), Channel.BAR, b.period(), b.priceType(), at == null ? -1 : at[0], b.seq()));
        }
        if (callbacks.wantsBars()) {
            int[] scale = scales.get(b.symbol());
            callbacks.bar(scale == null ? Bar.from(b, WireValues.UNKNOWN_SCALE, WireValues.UNKNOWN_SCALE)
                    : Bar.from(b, scale[0], scale[1]));
            pushBackIfBehind();
        }
    }

    /**
     * Whether a bar stream's first message on a new connection shows that the bar last seen here
     * closed meanwhile without its final ({@code closed}) message arriving: a restored bar stream
     * starts from the forming bar, so the closed one would be lost without a word. Records the
     * message as the stream's last bar.
     */
    private boolean missedBarClose(StreamId stream, ServerMessage.Bar b) {
        long[] last = lastBars.put(stream, new long[] {b.time(), b.closed() ? 1 : 0});
        boolean first = barsOnThisConnection.add(stream);
        return first && last != null && last[1] == 0 && b.time() > last[0];
    }

    /** The server lost updates on the way: say so, and for a book wait for the snapshot it sends. */
    private void onServerGap(ServerMessage.Gap g) {
        if (!authenticated() || g.symbol() == null || g.channel() == null) {
            return;
        }
        LOG.warn("the server lost updates of {} {} on the way to this client: {}", g.symbol(), g.channel().wireName(),
                g.reason());
        callbacks.gap(Gap.announced(g.symbol(), g.channel(), g.period(), g.priceType()));
        if (g.channel() == Channel.TRADE) {
            // the trades after the loss follow with a jump in their numbers: the same loss, reported once
            sequences.lossAnnounced(StreamId.of(g.symbol(), Channel.TRADE));
        }
        if (g.channel() == Channel.BOOK) {
            books.onAnnouncedGap(g.symbol(), clock.monotonicNanos());
        }
        pushBackIfBehind();
    }

    /** Sends a snapshot request for a book; false when not connected. */
    private boolean requestSnapshot(String symbol) {
        if (!authenticated() || link == null) {
            return false;
        }
        String id = nextId();
        send(new SnapshotRequest(symbol), id, CommandWriter.snapshot(id, symbol, Channel.BOOK, null, null));
        return true;
    }

    /** Checks the sequence; reports a gap if there is one; false if the message must be dropped. */
    private boolean inSequence(StreamId stream, String symbol, long seq, long prevSeq, long eventTime, boolean snapshot) {
        switch (sequences.track(stream, seq, prevSeq, eventTime, snapshot)) {
            case DROP -> {
                LOG.debug("dropped {} seq {}: already seen", stream, seq);
                return false;
            }
            case GAP -> {
                SequenceTracker.Gap g = sequences.gap();
                callbacks.gap(new Gap(symbol, stream.channel(), stream.period(), stream.priceType(), g.expected(),
                        g.received()));
                pushBackIfBehind();
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    /** Stops reading while the user's executor is far behind; the low-water signal resumes. */
    private void pushBackIfBehind() {
        if (!readingPaused && link != null && callbacks.backlogAboveHighWater()) {
            readingPaused = true;
            pausedSinceNanos = clock.monotonicNanos();
            link.setReading(false);
            LOG.debug("callbacks are behind; pausing reads from {}", target());
            callbacks.armResumeSignal();
        }
    }

    /** The low-water signal, on the loop. */
    private void resumeReading() {
        if (reconnectWhenDrained && phase == Phase.WAITING) {
            reconnectWhenDrained = false;
            cancel(reconnectTimer);
            attemptConnect();
            return;
        }
        if (readingPaused) {
            readingPaused = false;
            lastReadNanos = clock.monotonicNanos();
            if (link != null) {
                link.setReading(true);
            }
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private boolean authenticated() {
        return phase == Phase.RESTORING || phase == Phase.READY;
    }

    private String nextId() {
        return Long.toString(++nextId);
    }

    private void send(Request request, String id, String text) {
        inFlight.put(id, request);
        if (!link.send(text)) {
            LOG.debug("request {} not sent: the link is closing; it fails when the link has closed", id);
        }
    }

    /** Whether the server's frame limit (if it said one) refuses this text. */
    private boolean overFrameLimit(String text) {
        int limit = welcome == null ? 0 : welcome.maxFrameBytes();
        return limit > 0 && text.length() * 3L > limit && text.getBytes(StandardCharsets.UTF_8).length > limit;
    }

    /** Fails a request the server would refuse for its size, before it costs the connection. */
    private boolean tooBig(String text, CompletableFuture<?> future) {
        if (!overFrameLimit(text)) {
            return false;
        }
        int limit = welcome.maxFrameBytes();
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        callbacks.fail(future, new IllegalArgumentException("the request is " + bytes
                + " bytes, more than the server accepts (" + limit + "); send it in smaller parts"));
        return true;
    }

    private static List<Subscription> subscriptions(List<ServerMessage.StreamRef> refs) {
        List<Subscription> out = new ArrayList<>(refs.size());
        for (ServerMessage.StreamRef ref : refs) {
            if (ref.symbol() != null && ref.channel() != null) { // a channel this client does not know is skipped
                out.add(new Subscription(ref.symbol(), ref.channel(), ref.depth(), Duration.ofMillis(ref.throttleMs()),
                        ref.period(), ref.priceType()));
            }
        }
        return out;
    }

    private static StreamId streamIdOf(Subscription s) {
        return s.channel() == Channel.BAR ? StreamId.bar(s.symbol(), s.period(), s.priceType())
                : StreamId.of(s.symbol(), s.channel());
    }

    private static List<Rejection> rejections(List<ServerMessage.Rejection> refs) {
        List<Rejection> out = new ArrayList<>(refs.size());
        for (ServerMessage.Rejection r : refs) {
            out.add(new Rejection(r.symbol(), r.channel(), r.code(), r.message()));
        }
        return out;
    }

    private void failInFlight(TickwireException cause) {
        for (Request request : inFlight.values()) {
            switch (request) {
                case SubscribeRequest sub -> callbacks.fail(sub.future(), cause); // no-op for a restore
                case UnsubscribeRequest unsub -> callbacks.fail(unsub.future(), cause);
                case PingRequest ping -> callbacks.fail(ping.future(), cause);
                case SnapshotRequest snap -> {
                    // the books resynchronise from the resubscription's snapshots
                }
            }
        }
        inFlight.clear();
    }

    private void failAllRequests(TickwireException cause) {
        failInFlight(cause);
        if (restore != null) {
            held.addAll(0, restore.held);
            restore = null;
        }
        for (HeldSubscribe h : held) {
            callbacks.fail(h.future(), cause);
        }
        held.clear();
    }

    private void cancelTimers() {
        cancel(renewalTimer);
        renewalTimer = null;
        cancel(attemptTimer);
        cancel(watchdog);
        cancel(healthyTimer);
        cancel(resyncTimer);
        cancel(restoreTimer);
        restoreTimer = null;
        attemptTimer = null;
        watchdog = null;
        healthyTimer = null;
        resyncTimer = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
