package io.tickwire.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.auth.Account;
import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Credential;
import io.tickwire.auth.Plan;
import io.tickwire.auth.Scheme;
import io.tickwire.auth.SlowConsumerPolicy;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.totp.TwoFactor;
import io.tickwire.server.session.auth.AuthGate;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.Route;
import io.tickwire.engine.StreamKey;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.protocol.v1.Command;
import io.tickwire.server.history.HistoryService;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.fanout.LoopOutbox;
import io.tickwire.server.fanout.Subscriber;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's state, whatever protocol it speaks: {@code CONNECTED → (TWO_FACTOR) →
 * AUTHENTICATED → CLOSED}, the account and plan, the credential and its expiry, the subscriptions,
 * the request budget, and the connection's side of fan-out.
 *
 * <p>Confined to the connection's event loop: every method except {@link #closeFromAnyThread} and
 * {@link #send} must be called there. Protocol handlers turn frames into calls here and {@link SessionOutcome}s back
 * into frames; this class owns no wire format.
 */
public final class Session implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final long NONE = Long.MIN_VALUE;
    /** Where a session is in its life. */
    public enum State { CONNECTED, TWO_FACTOR, AUTHENTICATED, CLOSED }

    /** What a protocol handler supplies to the session: its own words for session-initiated messages. */
    public interface Protocol {
        /** A heartbeat frame in this protocol, or {@code null} if it has none. */
        ByteBuf heartbeat(long nowMicros);

        /** An error frame in this protocol sent just before the session closes itself, or {@code null}. */
        ByteBuf closingError(ErrorCode code, String message);

        /** A frame telling the client that updates of a stream were lost, or {@code null} if the protocol has none. */
        ByteBuf gap(String symbol, Channel channel, long streamKey, String reason);

        /** An error frame answering a request, or {@code null}. */
        ByteBuf error(String rawRequestId, ErrorCode code, String message);

        /**
         * A warning that the session's credential expires at {@code expiresAtMicros} and the
         * connection will be closed with 4006 unless the client authenticates again, or {@code null}.
         */
        default ByteBuf credentialExpiring(long expiresAtMicros, String message) {
            return null;
        }

        /**
         * A frame of a stream on its way to the client: the protocol may pass it on (return it),
         * or take it (return {@code null}, and own the reference) to answer a request with it or
         * to hold it until such an answer is out. {@code activation} marks a subscription's first
         * frame, its snapshot; that one may be {@code null} when the stream has no value yet.
         */
        default ByteBuf outgoing(long streamKey, ByteBuf frame, boolean activation) {
            return frame;
        }
    }

    private final io.netty.channel.Channel channel;
    private final SessionServices services;
    private final Protocol protocol;
    private final String id;
    private final int route;
    private final int format;
    private final LoopOutbox outbox;
    private final OutboundFrames outbound;
    private final RequestRateLimiter limiter;
    /** Wanted streams and the generation of their latest subscribe. */
    private final Long2LongHashMap subscriptions = new Long2LongHashMap(-1);
    /** Streams that lost updates and wait for their resynchronising snapshot: their updates are dropped until it comes. */
    private final LongHashSet resyncing = new LongHashSet();
    /** Streams whose subscription reached this connection's loop (heartbeats report only these). */
    private final LongHashSet activated = new LongHashSet();
    /** Conflating sessions: streams whose updates were dropped while the connection was behind. */
    private final LongHashSet behind = new LongHashSet();
    /** The stream held in each slot (a stream key without depth and throttle): one per slot. */
    private final Long2LongHashMap slots = new Long2LongHashMap(NONE);
    /** Per instrument, how many of its streams are subscribed; the size is the symbol count. */
    private final Int2IntHashMap streamsPerInstrument = new Int2IntHashMap(0);
    private final List<EngineCommand> pendingCommands = new ArrayList<>();
    /** Resumes beyond the engine's window, filled from the history store. */
    private final StoreResume storeResume;

    private State state = State.CONNECTED;
    private Account account;
    private long nextGeneration;
    private long authDeadlineMicros;
    private ScheduledFuture<?> deadlineTimer;
    private ScheduledFuture<?> heartbeatTimer;
    private ScheduledFuture<?> retryTimer;
    private boolean dirty;
    private long flushedAt = Long.MIN_VALUE / 2;
    private long behindSinceNanos;
    private long lastInboundNanos;
    /** Whether anything came from the client since the last heartbeat tick. */
    private boolean heardSinceBeat;
    /** Heartbeat ticks in a row with nothing from the client in between (see {@link #heartbeat}). */
    private int silentBeats;
    private boolean released;
    private boolean slotReleased; // the connection slot, given back by close() before the rest of release()
    /** The credential the session holds now: scheme, stored id (for revocation) and expiry. */
    private final SessionCredential held = new SessionCredential();

    public Session(io.netty.channel.Channel channel, SessionServices services, int format, Protocol protocol) {
        this.channel = channel;
        this.services = services;
        this.protocol = protocol;
        this.format = format;
        this.id = newId();
        int loop = services.fanOut().loopIndex(channel.eventLoop());
        this.route = Route.of(loop, format);
        this.outbox = services.fanOut().outbox(loop);
        this.outbound = new OutboundFrames(channel);
        this.storeResume = new StoreResume(this, channel, services, format);
        int rate = services.config().unauthenticatedRequestsPerSecond();
        this.limiter = new RequestRateLimiter(rate, rate * 2, services.config().floodLimit(),
                services.config().floodWindow().toNanos(), services.clock().monotonicNanos());
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The scope of the plan's connection limit for this session, e.g. an iTick cluster: connections
     * of one account in different scopes do not count against each other. Empty for the native
     * protocol. Set before authenticating.
     */
    private String connectionScope = "";

    /** Limits this session's connection count to {@code scope} (see {@link #connectionScope}); call before authenticating. */
    public void connectionScope(String scope) {
        this.connectionScope = scope;
    }

    /** The scope of the plan's connection limit; empty if the account's connections count together. */
    public String connectionScope() {
        return connectionScope;
    }

    /** A short random id for logs and the welcome message. */
    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    /** The authenticated account, or {@code null}. */
    public Account account() {
        return account;
    }

    /** The auth deadline as configured, in milliseconds. */
    public long authDeadlineMillis() {
        return services.config().authDeadline().toMillis();
    }

    /** Starts the auth deadline and heartbeats; call once the handshake is complete. */
    public void start() {
        lastInboundNanos = services.clock().monotonicNanos();
        long deadline = services.config().authDeadline().toNanos();
        authDeadlineMicros = services.clock().epochMicros() + deadline / 1_000;
        deadlineTimer = channel.eventLoop().schedule(this::authDeadlinePassed, deadline, TimeUnit.NANOSECONDS);
        long beat = services.config().heartbeatInterval().toNanos();
        heartbeatTimer = channel.eventLoop().scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.NANOSECONDS);
    }

    // ---- requests -----------------------------------------------------------------------------

    /**
     * Charges one request against the budget.
     *
     * @return -1 if the request may go ahead, else the milliseconds after which to retry (the
     *         session has already closed itself if the client keeps flooding)
     */
    public long chargeRequest() {
        checkCredential();
        long now = services.clock().monotonicNanos();
        if (limiter.tryAcquire(now)) {
            return -1;
        }
        if (limiter.flooding()) {
            closeWithError(CloseCode.REQUEST_FLOOD, ErrorCode.RATE_LIMITED,
                    "too many requests: " + services.config().floodLimit() + " refused within "
                            + services.config().floodWindow().toSeconds() + " s");
        }
        return limiter.retryAfterMillis();
    }

    /** Authenticates with a credential from the handshake or a message; on an authenticated session, refreshes it. */
    public SessionOutcome authenticate(Credential credential) {
        if (state == State.AUTHENTICATED) {
            return refresh(credential, false);
        }
        if (state == State.TWO_FACTOR) {
            return new SessionOutcome.Refused(ErrorCode.TWO_FACTOR_REQUIRED, "give the second factor (twoFactor) first");
        }
        if (state == State.CLOSED) {
            return new SessionOutcome.Refused(ErrorCode.AUTH_FAILED, "session closed");
        }
        if (services.clock().epochMicros() > authDeadlineMicros) {
            return new SessionOutcome.Refused(ErrorCode.AUTH_TIMEOUT, "authentication deadline of "
                    + services.config().authDeadline().toMillis() + " ms passed", -1, -1, CloseCode.AUTH_TIMEOUT);
        }
        switch (services.gate().firstFactor(credential, remoteAddress())) {
            case AuthGate.Decision.Refused r -> {
                return new SessionOutcome.Refused(r.code(), r.message(), -1, r.retryAfterMs(), r.close());
            }
            case AuthGate.Decision.Accepted a when a.secondFactor() -> {
                pendingLogin = a.success();
                held.set(credentialScheme(credential), a.success());
                state = State.TWO_FACTOR;
                long deadline = services.gate().auth().settings().twoFactorDeadline().toNanos();
                authDeadlineMicros = services.clock().epochMicros() + deadline / 1_000;
                if (deadlineTimer != null) {
                    deadlineTimer.cancel(false);
                }
                deadlineTimer = channel.eventLoop().schedule(this::authDeadlinePassed, deadline, TimeUnit.NANOSECONDS);
                LOG.info("session {} from {}: first factor accepted for {}, awaiting the second", id, channel.remoteAddress(),
                        a.success().account().name());
                return new SessionOutcome.TwoFactorRequired(List.of("totp"), deadline / 1_000_000);
            }
            case AuthGate.Decision.Accepted a -> {
                held.set(credentialScheme(credential), a.success());
                return admit(a.success().account(), null);
            }
            case AuthGate.Decision.SecondFactorAccepted unexpected -> throw new IllegalStateException("not a first factor");
        }
    }

    /** The second factor: a one-time password ({@code code}) or a resume token ({@code resume}). */
    public SessionOutcome twoFactor(String code, String resume) {
        if (state != State.TWO_FACTOR) {
            return new SessionOutcome.Refused(ErrorCode.TWO_FACTOR_NOT_PENDING, state == State.AUTHENTICATED
                    ? "this session is already authenticated" : "authenticate with a first factor before twoFactor");
        }
        if (services.clock().epochMicros() > authDeadlineMicros) {
            return new SessionOutcome.Refused(ErrorCode.AUTH_TIMEOUT, "the second factor came too late", -1, -1,
                    CloseCode.AUTH_TIMEOUT);
        }
        Account pending = pendingLogin.account();
        AuthGate.Decision decision = code != null ? services.gate().secondFactor(pending, code, remoteAddress())
                : services.gate().resume(pending, resume, remoteAddress());
        if (decision instanceof AuthGate.Decision.Refused r) {
            return new SessionOutcome.Refused(r.code(), r.message(), -1, r.retryAfterMs(), r.close());
        }
        TwoFactor.Grant grant = ((AuthGate.Decision.SecondFactorAccepted) decision).grant();
        pendingLogin = null;
        return admit(pending, grant);
    }

    /**
     * A credential given on an authenticated session: renews the session's credential (a fresh JWT
     * before the old one expires, say) without touching subscriptions. Refusals keep the session.
     *
     * @param withRequest the credential came with another request (a JWT on subscribe)
     */
    SessionOutcome refresh(Credential given, boolean withRequest) {
        AuthGate.Decision decision = services.gate().firstFactor(given, remoteAddress());
        if (decision instanceof AuthGate.Decision.Refused r) {
            return new SessionOutcome.Refused(r.code(), r.message(), -1, r.retryAfterMs(), null);
        }
        AuthResult.Success success = ((AuthGate.Decision.Accepted) decision).success();
        if (!success.account().name().equals(account.name())) {
            return new SessionOutcome.Refused(withRequest ? ErrorCode.ACCOUNT_MISMATCH : ErrorCode.ALREADY_AUTHENTICATED,
                    "this session is already authenticated as " + account.name() + "; the credential is of another account");
        }
        held.set(credentialScheme(given), success);
        scheduleCredentialCheck();
        return new SessionOutcome.Authenticated(account, held.scheme, held.expiresAtMicros, null, true);
    }

    /**
     * A JWT that came with another request (as Coinbase clients send one with each subscribe): it
     * authenticates a new session, or refreshes an authenticated one. The request runs only if this
     * answers {@link SessionOutcome.Authenticated}.
     */
    SessionOutcome presentJwt(String jwt) {
        Credential token = new Credential.Jwt(jwt);
        return state == State.AUTHENTICATED ? refresh(token, true) : authenticate(token);
    }

    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /**
     * Stores the account's support e-mail (seed 003). The store may write a file, so this runs on
     * the auth executor; {@code answer} is called back on this session's event loop.
     */
    public void registerEmail(String email, java.util.function.Consumer<SessionOutcome> answer) {
        if (state != State.AUTHENTICATED) {
            answer.accept(new SessionOutcome.Refused(ErrorCode.NOT_AUTHENTICATED, "authenticate before registering an e-mail"));
            return;
        }
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            answer.accept(new SessionOutcome.Refused(ErrorCode.INVALID_FIELD, "field 'email' is not an e-mail address"));
            return;
        }
        String name = account.name();
        var directory = services.gate().auth().directory();
        if (directory != null && email.equals(directory.get().supportEmail(name))) {
            answer.accept(new SessionOutcome.EmailRegistered(email)); // already so: nothing to rewrite
            return;
        }
        EmailRegistrations places = services.emailRegistrations();
        if (!places.tryStart()) {
            answer.accept(new SessionOutcome.Refused(ErrorCode.SERVER_BUSY, "too busy to store the e-mail now; retry"));
            return;
        }
        try {
            services.gate().blocking().execute(() -> {
                SessionOutcome outcome;
                try {
                    services.gate().registerEmail(name, email);
                    LOG.info("session {} ({}): support e-mail registered", id, name);
                    outcome = new SessionOutcome.EmailRegistered(email);
                } catch (RuntimeException e) {
                    LOG.warn("session {} ({}): cannot store the support e-mail: {}", id, name, e.toString());
                    outcome = new SessionOutcome.Refused(ErrorCode.INTERNAL_ERROR, "the e-mail could not be stored");
                } finally {
                    places.done();
                }
                SessionOutcome done = outcome;
                channel.eventLoop().execute(() -> answer.accept(done));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            places.done();
            answer.accept(new SessionOutcome.Refused(ErrorCode.SERVER_BUSY, "too busy to store the e-mail now; retry"));
        }
    }

    /** Admits an authenticated account into its plan's connection limit and makes the session AUTHENTICATED. */
    private SessionOutcome admit(Account acc, TwoFactor.Grant grant) {
        switch (services.registry().admit(acc, this)) {
            case ConnectionRegistry.Admission.Refused refused -> {
                return new SessionOutcome.Refused(ErrorCode.CONNECTION_LIMIT, "account " + acc.name() + " already has "
                        + refused.limit() + " connection(s), the most its plan '" + acc.plan().name() + "' allows",
                        refused.limit(), -1, CloseCode.CONNECTION_LIMIT);
            }
            case ConnectionRegistry.Admission.Replacing replacing ->
                    replacing.replaced().closeFromAnyThread(CloseCode.REPLACED, CloseCode.REPLACED.reason());
            case ConnectionRegistry.Admission.Admitted admitted -> {
                // nothing else to do
            }
        }
        account = acc;
        state = State.AUTHENTICATED;
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        Plan plan = acc.plan();
        limiter.reconfigure(plan.requestsPerSecond(), plan.requestBurst(), services.clock().monotonicNanos());
        scheduleCredentialCheck();
        LOG.info("session {} from {}: authenticated as {} ({})", id, channel.remoteAddress(), acc.name(),
                held.scheme == null ? "token" : held.scheme.wireName());
        return new SessionOutcome.Authenticated(acc, held.scheme, held.expiresAtMicros, grant, false);
    }

    /**
     * Subscribes every known symbol to every stream spec. Idempotent; a spec for a stream the
     * session already has in another variant (another depth or throttle) replaces it. A book depth
     * beyond an instrument's maximum is refused for that symbol, not for the request.
     */
    public SessionOutcome subscribe(List<String> symbols, List<StreamSpec> specs) {
        return subscribe(symbols, specs, List.of());
    }

    /**
     * Subscribes as {@link #subscribe(List, List)}; a new stream that matches an entry of
     * {@code resumeFrom} resumes after that entry's sequence number (see {@code Resume}).
     */
    public SessionOutcome subscribe(List<String> symbols, List<StreamSpec> specs,
                                    List<Command.ResumePoint> resumeFrom) {
        if (state == State.TWO_FACTOR) {
            return new SessionOutcome.Refused(ErrorCode.TWO_FACTOR_REQUIRED, "give the second factor (twoFactor) first");
        }
        if (state != State.AUTHENTICATED) {
            return new SessionOutcome.Refused(ErrorCode.NOT_AUTHENTICATED, "authenticate before subscribing");
        }
        Plan plan = account.plan();
        for (StreamSpec spec : specs) {
            if (!plan.allows(spec.channel())) {
                return new SessionOutcome.Refused(ErrorCode.CHANNEL_NOT_ALLOWED,
                        "plan '" + plan.name() + "' does not include channel '" + spec.channel().wireName() + "'");
            }
        }
        List<SessionOutcome.Rejected> rejected = new ArrayList<>();
        Map<Integer, Instrument> instruments = resolve(symbols, rejected);
        keepEntitled(plan, instruments, rejected);
        int after = streamsPerInstrument.size();
        for (Instrument instrument : instruments.values()) {
            if (!streamsPerInstrument.containsKey(instrument.id())) {
                after++;
            }
        }
        if (after > plan.maxSymbols()) {
            return new SessionOutcome.Refused(ErrorCode.SYMBOL_LIMIT, "plan '" + plan.name() + "' allows "
                    + plan.maxSymbols() + " symbols per connection; this request would make " + after, plan.maxSymbols());
        }
        List<SessionOutcome.Stream> streams = new ArrayList<>();
        for (Instrument instrument : instruments.values()) {
            for (StreamSpec spec : specs) {
                if (spec.channel() == Channel.BOOK && spec.depthFor(instrument) < 0) {
                    rejected.add(new SessionOutcome.Rejected(instrument.symbol(), Channel.BOOK, ErrorCode.INVALID_DEPTH,
                            "depth " + spec.depth() + " is beyond " + instrument.symbol() + "'s maximum of "
                                    + instrument.maxBookDepth()));
                    continue;
                }
                long key = spec.keyFor(instrument);
                long slot = StreamKey.slot(key);
                long existing = slots.get(slot);
                if (existing != key) {
                    if (existing != NONE) {
                        drop(existing); // the same stream in another variant: replaced
                    }
                    long generation = ++nextGeneration;
                    subscriptions.put(key, generation);
                    slots.put(slot, key);
                    streamsPerInstrument.put(instrument.id(), streamsPerInstrument.get(instrument.id()) + 1);
                    Command.ResumePoint from = resumePoint(resumeFrom, instrument, key);
                    submit(from == null ? new EngineCommand.Subscribe(key, route, this, generation)
                            : new EngineCommand.Subscribe(key, route, this, generation,
                                    from.seq() == Command.ResumePoint.SINCE_TIME ? EngineCommand.Subscribe.SINCE_TIME
                                            : from.seq(), from.ts()));
                }
                streams.add(new SessionOutcome.Stream(instrument, spec.channel(), key));
            }
        }
        return new SessionOutcome.Applied(streams, List.copyOf(instruments.values()), rejected);
    }

    private static Command.ResumePoint resumePoint(List<Command.ResumePoint> points, Instrument instrument, long key) {
        Channel channel = StreamKey.channel(key);
        for (Command.ResumePoint p : points) {
            if (p.channel() == channel && p.symbol().equalsIgnoreCase(instrument.symbol())
                    && (channel != Channel.BAR || ((p.period() == null || p.period() == StreamKey.period(key))
                    && (p.priceType() == null || p.priceType() == StreamKey.priceType(key))))) {
                return p;
            }
        }
        return null;
    }

    /**
     * Where each subscribed stream is on this connection: {@code {streamKey, lastSeq, lastTs}}
     * (0, 0 before its first message), for heartbeats. Must be called on the loop.
     */
    List<long[]> streamPositions() {
        List<long[]> out = new ArrayList<>(subscriptions.size());
        for (Long2LongHashMap.KeyIterator it = subscriptions.keySet().iterator(); it.hasNext(); ) {
            long key = it.nextValue();
            if (!activated.contains(key) || resyncing.contains(key) || behind.contains(key) || storeResume.waiting(key)) {
                continue; // not started here yet, or knowingly behind (the client hears of it otherwise)
            }
            long[] at = outbox.position(key, format);
            out.add(new long[] {key, at == null ? 0 : at[0], at == null ? 0 : at[1]});
        }
        return out;
    }

    /** Lets resumes beyond the engine's window read the history store. */
    void history(HistoryService history) {
        storeResume.history(history);
    }

    /** Fills the break from the store when it can (see {@link StoreResume}); else the gap notice says what is missing. */
    @Override
    public void resumeFromHistory(long key, long fromSeq, long toSeq, long fromTs, ByteBuf gapNotice, List<ByteBuf> held) {
        if (!storeResume.start(key, fromSeq, toSeq, fromTs, gapNotice, held)) {
            Subscriber.super.resumeFromHistory(key, fromSeq, toSeq, fromTs, gapNotice, held);
        }
    }

    /** The generation of the stream's latest subscribe, or -1 if it is not subscribed. */
    long generationOf(long key) {
        return subscriptions.get(key);
    }

    /**
     * Unsubscribes channels of symbols; for bars, {@code periods} and {@code priceTypes} narrow it
     * ({@code null}: all). What was not subscribed is reported, not an error for the rest.
     */
    public SessionOutcome unsubscribe(List<String> symbols, List<Channel> channels, List<Periodicity> periods,
                               List<PriceType> priceTypes) {
        if (state != State.AUTHENTICATED) {
            return new SessionOutcome.Refused(ErrorCode.NOT_AUTHENTICATED, "authenticate before unsubscribing");
        }
        List<SessionOutcome.Rejected> rejected = new ArrayList<>();
        Map<Integer, Instrument> instruments = resolve(symbols, rejected);
        List<SessionOutcome.Stream> streams = new ArrayList<>();
        for (Instrument instrument : instruments.values()) {
            for (Channel c : channels) {
                List<Long> keys = keysOf(instrument.id(), c, periods, priceTypes);
                if (keys.isEmpty()) {
                    rejected.add(new SessionOutcome.Rejected(instrument.symbol(), c, ErrorCode.NOT_SUBSCRIBED,
                            instrument.symbol() + " is not subscribed on channel '" + c.wireName() + "'"));
                    continue;
                }
                for (long key : keys) {
                    drop(key);
                    streams.add(new SessionOutcome.Stream(instrument, c, key));
                }
            }
        }
        return new SessionOutcome.Applied(streams, List.copyOf(instruments.values()), rejected);
    }

    /**
     * Asks the engine for the current value of a subscribed stream; it arrives in the stream,
     * marked as a snapshot and carrying {@code rawRequestId}.
     */
    SessionOutcome snapshot(String symbol, Channel channel, Periodicity period, PriceType priceType, String rawRequestId) {
        if (state != State.AUTHENTICATED) {
            return new SessionOutcome.Refused(ErrorCode.NOT_AUTHENTICATED, "authenticate before asking for snapshots");
        }
        Instrument instrument = symbol.length() <= 32 ? services.catalog().find(symbol) : null;
        if (instrument == null) {
            return new SessionOutcome.Refused(ErrorCode.UNKNOWN_SYMBOL, "no instrument '" + abbreviate(symbol) + "'");
        }
        long slot = channel == Channel.BAR ? StreamKey.slot(StreamKey.bar(instrument.id(), period, priceType, 0))
                : StreamKey.slot(StreamKey.of(instrument.id(), channel));
        long key = slots.get(slot);
        if (key == NONE) {
            return new SessionOutcome.Refused(ErrorCode.NOT_SUBSCRIBED, instrument.symbol() + " is not subscribed on channel '"
                    + channel.wireName() + "'" + (channel == Channel.BAR ? " for " + period.wireName() + " " + priceType.wireName() : ""));
        }
        submit(new EngineCommand.Snapshot(key, route, this, subscriptions.get(key), rawRequestId, false));
        return new SessionOutcome.Applied(List.of(new SessionOutcome.Stream(instrument, channel, key)), List.of(instrument), List.of());
    }

    /** The session's keys of an instrument's channel, bar keys filtered by period and price type. */
    private List<Long> keysOf(int instrumentId, Channel channel, List<Periodicity> periods, List<PriceType> priceTypes) {
        List<Long> keys = new ArrayList<>();
        if (channel != Channel.BAR) {
            long key = slots.get(StreamKey.slot(StreamKey.of(instrumentId, channel)));
            if (key != NONE) {
                keys.add(key);
            }
            return keys;
        }
        for (Periodicity p : periods == null ? List.of(Periodicity.values()) : periods) {
            for (PriceType t : priceTypes == null ? List.of(PriceType.values()) : priceTypes) {
                long key = slots.get(StreamKey.slot(StreamKey.bar(instrumentId, p, t, 0)));
                if (key != NONE) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private static String abbreviate(String symbol) {
        return symbol.length() <= 32 ? symbol : symbol.substring(0, 32) + "…";
    }

    /** Moves instruments outside the plan's instrument sets to {@code rejected} ({@code not_entitled}). */
    private static void keepEntitled(Plan plan, Map<Integer, Instrument> instruments, List<SessionOutcome.Rejected> rejected) {
        instruments.values().removeIf(instrument -> {
            if (plan.entitles(instrument.assetClass())) {
                return false;
            }
            rejected.add(new SessionOutcome.Rejected(instrument.symbol(), null, ErrorCode.NOT_ENTITLED, "plan '" + plan.name()
                    + "' does not include " + instrument.assetClass().wireName() + " instruments"));
            return true;
        });
    }

    private Map<Integer, Instrument> resolve(List<String> symbols, List<SessionOutcome.Rejected> rejected) {
        Map<Integer, Instrument> instruments = new LinkedHashMap<>();
        for (String symbol : symbols) {
            Instrument instrument = symbol.length() <= 32 ? services.catalog().find(symbol) : null;
            if (instrument == null) {
                String shown = symbol.length() <= 32 ? symbol : symbol.substring(0, 32) + "…";
                rejected.add(new SessionOutcome.Rejected(shown, null, ErrorCode.UNKNOWN_SYMBOL, "no instrument '" + shown + "'"));
            } else {
                instruments.putIfAbsent(instrument.id(), instrument);
            }
        }
        return instruments;
    }

    @Override
    public void activated(long streamKey) {
        activated.add(streamKey);
    }

    private void drop(long key) {
        subscriptions.remove(key);
        activated.remove(key);
        storeResume.cancel(key);
        resyncing.remove(key);
        behind.remove(key);
        slots.remove(StreamKey.slot(key));
        int instrumentId = StreamKey.instrumentId(key);
        int left = streamsPerInstrument.get(instrumentId) - 1;
        if (left <= 0) {
            streamsPerInstrument.remove(instrumentId);
        } else {
            streamsPerInstrument.put(instrumentId, left);
        }
        outbox.remove(this, key, format);
        submit(new EngineCommand.Unsubscribe(key, route));
    }

    /**
     * Hands a command to the engine. A full command queue is rare (the engine is far behind); the
     * command is then retried from this loop every millisecond so interest never leaks.
     */
    private void submit(EngineCommand command) {
        if (pendingCommands.isEmpty() && services.bus().submit(command)) {
            return;
        }
        pendingCommands.add(command);
        if (retryTimer == null) {
            retryTimer = channel.eventLoop().scheduleAtFixedRate(this::retryCommands, 1, 1, TimeUnit.MILLISECONDS);
        }
    }

    private void retryCommands() {
        while (!pendingCommands.isEmpty() && services.bus().submit(pendingCommands.get(0))) {
            pendingCommands.remove(0);
        }
        if (pendingCommands.isEmpty() && retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    /** Distinct symbols subscribed. */
    public int symbolCount() {
        return streamsPerInstrument.size();
    }

    /** Whether any stream of the instrument is subscribed (it counts against the plan's symbols). */
    public boolean subscribes(int instrumentId) {
        return streamsPerInstrument.containsKey(instrumentId);
    }

    // ---- outbound -------------------------------------------------------------------------------

    /**
     * Writes and flushes a frame now (an answer, an error, a welcome), after whatever this batch
     * already holds for the connection; takes ownership of {@code frame}. The one method here that
     * may be called from any thread: off the loop it hands the frame to the loop.
     */
    public void send(ByteBuf frame) {
        if (!channel.eventLoop().inEventLoop()) {
            // the batch buffer is the loop's alone; an answer completed elsewhere takes its turn there
            try {
                channel.eventLoop().execute(() -> send(frame));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                frame.release(); // the loop is shutting down with the connection
            }
            return;
        }
        if (state == State.CLOSED) {
            frame.release();
            return;
        }
        outbound.add(frame);
        frame.release();
        outbound.flush();
        // answers count against the same bound as data: a client that sends requests (pings, say)
        // but never reads the answers must not make the server hold them without limit
        overOutboundLimit();
    }

    @Override
    public boolean wants(long streamKey, long generation) {
        return state != State.CLOSED && subscriptions.get(streamKey) == generation;
    }

    @Override
    public boolean activate(long streamKey, ByteBuf snapshot) {
        if (state == State.CLOSED) {
            if (snapshot != null) {
                snapshot.release();
            }
            return false;
        }
        ByteBuf frame = protocol.outgoing(streamKey, snapshot, true);
        return frame != null && write(streamKey, frame, true);
    }

    @Override
    public boolean deliver(long streamKey, ByteBuf frame, boolean snapshot) {
        if (state == State.CLOSED) {
            frame.release();
            return false;
        }
        if (storeResume.hold(streamKey, frame)) {
            return false;
        }
        frame = protocol.outgoing(streamKey, frame, false);
        return frame != null && write(streamKey, frame, snapshot);
    }

    private boolean write(long streamKey, ByteBuf frame, boolean snapshot) {
        if (!resyncing.isEmpty() && resyncing.contains(streamKey)) {
            if (!snapshot) {
                frame.release(); // the client is waiting for the snapshot; updates before it are no use
                return false;
            }
            resyncing.remove(streamKey);
        }
        if (!channel.isWritable() && slowConsumerPolicy() == SlowConsumerPolicy.CONFLATE) {
            // Behind: keep nothing for this client but the names of the streams it missed. When it
            // catches up, each gets a gap message and a fresh snapshot (resync), so memory stays at
            // the water mark however slow the client is.
            frame.release();
            behind.add(streamKey);
            return false;
        }
        outbound.add(frame);
        frame.release();
        checkBacklog();
        boolean first = !dirty;
        dirty = true;
        return first;
    }

    @Override
    public long flushedAt() {
        return flushedAt;
    }

    @Override
    public void flushedAt(long nanos) {
        flushedAt = nanos;
    }

    @Override
    public void flush() {
        dirty = false;
        if (state != State.CLOSED) {
            outbound.flush();
        }
    }

    /**
     * Updates of a stream were lost on the way to this connection: the client is told with a gap
     * message, and streams with state (quote, book, bar) are resynchronised with a fresh snapshot,
     * which follows the gap in the stream. Never a silently wrong book.
     */
    @Override
    public void lost(long streamKey) {
        resync(streamKey, "updates were lost on the way to this connection");
    }

    /** Tells the client a stream skipped updates and, for streams with state, sends it a fresh snapshot. */
    void resync(long streamKey, String reason) {
        long generation = subscriptions.get(streamKey);
        if (generation < 0 || state == State.CLOSED) {
            return;
        }
        Channel channel = StreamKey.channel(streamKey);
        ByteBuf gap = protocol.gap(services.catalog().get(StreamKey.instrumentId(streamKey)).symbol(), channel, streamKey,
                reason);
        if (gap != null) {
            send(gap);
        }
        if (channel != Channel.TRADE) {
            resyncing.add(streamKey);
            submit(new EngineCommand.Snapshot(streamKey, route, this, generation, null, true));
        }
    }

    @Override
    public void activationLost(long streamKey) {
        closeWithError(CloseCode.TRY_AGAIN_LATER, ErrorCode.SERVER_BUSY, "the server could not start the subscription to "
                + StreamKey.toString(streamKey) + "; reconnect and subscribe again");
    }

    @Override
    public void noSnapshot(long streamKey, String rawRequestId) {
        if (rawRequestId == null && resyncing.remove(streamKey)) {
            return; // our own resynchronisation found the stream empty: its next message is its first value
        }
        // the client asked (with an id or without one): it hears that there is nothing yet, in order
        ByteBuf error = protocol.error(rawRequestId, ErrorCode.NO_DATA, "the stream has no value yet");
        if (error != null) {
            send(error);
        }
    }

    @Override
    public void snapshotOfGoneStream(long streamKey, String rawRequestId) {
        if (state == State.CLOSED) {
            return;
        }
        Channel kind = StreamKey.channel(streamKey);
        String stream = services.catalog().get(StreamKey.instrumentId(streamKey)).symbol() + " " + kind.wireName()
                + (kind == Channel.BAR ? " " + StreamKey.period(streamKey).wireName() + " "
                        + StreamKey.priceType(streamKey).wireName() : "");
        ByteBuf error = protocol.error(rawRequestId, ErrorCode.NOT_SUBSCRIBED, stream
                + " was unsubscribed before its snapshot could be sent");
        if (error != null) {
            send(error);
        }
    }

    private void checkBacklog() {
        if (overOutboundLimit()) {
            return;
        }
        if (!channel.isWritable() && slowConsumerPolicy() == SlowConsumerPolicy.DISCONNECT) {
            long now = services.clock().monotonicNanos();
            if (behindSinceNanos == 0) {
                behindSinceNanos = now;
            } else if (now - behindSinceNanos > services.config().slowConsumerGrace().toNanos()) {
                closeSlowConsumer("behind for more than " + services.config().slowConsumerGrace().toMillis() + " ms");
            }
        }
    }

    /** Closes the session as a slow consumer if more than {@code server.maxOutboundBytes} wait for it; says whether it did. */
    private boolean overOutboundLimit() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        long pending = (out == null ? 0 : out.totalPendingWriteBytes()) + outbound.gathered();
        if (pending > services.config().maxOutboundBytes()) {
            closeSlowConsumer(pending + " bytes queued, the most allowed is " + services.config().maxOutboundBytes());
            return true;
        }
        return false;
    }

    /**
     * The channel's writability changed: a slow consumer caught up, or fell behind. A conflating
     * session that caught up resynchronises every stream it skipped.
     */
    public void onWritabilityChanged() {
        if (channel.isWritable()) {
            behindSinceNanos = 0;
            if (!behind.isEmpty()) {
                long[] skipped = new long[behind.size()];
                int n = 0;
                for (LongHashSet.LongIterator it = behind.iterator(); it.hasNext(); ) {
                    skipped[n++] = it.nextValue();
                }
                behind.clear();
                for (int i = 0; i < n; i++) {
                    resync(skipped[i], "slow consumer: updates were conflated while this connection was behind");
                }
            }
        }
    }

    private void closeSlowConsumer(String detail) {
        LOG.warn("session {} ({}): slow consumer, {}", id, account == null ? "-" : account.name(), detail);
        close(CloseCode.SLOW_CONSUMER, CloseCode.SLOW_CONSUMER.reason());
    }

    /** Something arrived from the client (any frame, a pong included): the link is alive. */
    public void onInbound() {
        lastInboundNanos = services.clock().monotonicNanos();
        heardSinceBeat = true;
    }

    private void heartbeat() {
        if (state == State.CLOSED) {
            return;
        }
        long now = services.clock().monotonicNanos();
        // Dead: silent for the idle timeout AND through two ticks in a row, each of which sent a
        // ping. Time alone would close healthy clients after a stall of the server itself (a
        // SIGSTOP, a long GC pause, a suspended VM): it sent no pings meanwhile, and the answer to
        // the one before may still wait unread behind this tick. The next tick has read it.
        silentBeats = heardSinceBeat ? 0 : silentBeats + 1;
        heardSinceBeat = false;
        if (silentBeats >= 2 && now - lastInboundNanos > services.config().idleTimeout().toNanos()) {
            LOG.info("session {} ({}): nothing received for {} ms, closing as dead", id,
                    account == null ? "-" : account.name(), services.config().idleTimeout().toMillis());
            close(CloseCode.IDLE_TIMEOUT, CloseCode.IDLE_TIMEOUT.reason());
            return;
        }
        checkCredential();
        if (state == State.CLOSED) {
            return;
        }
        if (behindSinceNanos != 0) {
            checkBacklog(); // a stalled reader gets no data writes, so check here too
            if (state == State.CLOSED) {
                return;
            }
        }
        ByteBuf beat = protocol.heartbeat(services.clock().epochMicros());
        if (beat != null) {
            send(beat);
        }
        // A WebSocket ping: every client stack answers it with a pong, so a silent client is still
        // heard from, and a dead link is noticed within the idle timeout.
        channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
    }

    private void authDeadlinePassed() {
        if (state == State.TWO_FACTOR && services.clock().epochMicros() > authDeadlineMicros) {
            closeWithError(CloseCode.AUTH_TIMEOUT, ErrorCode.AUTH_TIMEOUT, "no second factor within "
                    + services.gate().auth().settings().twoFactorDeadline().toMillis() + " ms");
            return;
        }
        if (state == State.CONNECTED) {
            closeWithError(CloseCode.AUTH_TIMEOUT, ErrorCode.AUTH_TIMEOUT, "not authenticated within "
                    + services.config().authDeadline().toMillis() + " ms");
        }
    }

    // ---- credentials ----------------------------------------------------------------------------

    private ScheduledFuture<?> credentialTimer;
    /** The first factor of a session awaiting its second. */
    private AuthResult.Success pendingLogin;

    /** The credential a session holds: which scheme, which stored credential, until when. Loop-confined. */
    private static final class SessionCredential {
        Scheme scheme;
        String id;
        long expiresAtMicros = AuthResult.Success.NEVER;
        boolean warned;

        void set(Scheme newScheme, AuthResult.Success success) {
            scheme = newScheme;
            id = success.credentialId();
            expiresAtMicros = success.expiresAtMicros();
            warned = false;
        }
    }

    private static Scheme credentialScheme(Credential c) {
        return c.scheme();
    }

    /** The scheme the session authenticated with, or {@code null} before. */
    public Scheme scheme() {
        return held.scheme;
    }

    /** When the session's credential expires (epoch microseconds), or {@code AuthResult.Success.NEVER}. */
    public long credentialExpiresAtMicros() {
        return held.expiresAtMicros;
    }

    /** What happens to this session if it cannot keep up: its plan's policy ({@code DISCONNECT} before authentication). */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return account == null ? SlowConsumerPolicy.DISCONNECT : account.plan().slowConsumer();
    }

    /** The client's IP address, for throttling and logs. */
    public String remoteAddress() {
        return AuthGate.addressOf(channel);
    }

    /**
     * Warns once when the credential comes within {@code auth.expiryWarning} of its expiry, and
     * closes with 4006 once it has expired. Called on every request, every heartbeat and by a timer.
     */
    void checkCredential() {
        if (state != State.AUTHENTICATED || held.expiresAtMicros == AuthResult.Success.NEVER) {
            return;
        }
        long now = services.clock().epochMicros();
        if (now >= held.expiresAtMicros) {
            LOG.info("session {} ({}): credential expired", id, account.name());
            closeWithError(CloseCode.CREDENTIAL_EXPIRED, ErrorCode.CREDENTIAL_EXPIRED,
                    "the session's credential expired; authenticate again with a fresh one");
            return;
        }
        long warning = services.gate().auth().settings().expiryWarning().toNanos() / 1_000;
        if (!held.warned && now >= held.expiresAtMicros - warning) {
            held.warned = true;
            ByteBuf frame = protocol.credentialExpiring(held.expiresAtMicros, "the credential expires in "
                    + (held.expiresAtMicros - now) / 1_000 + " ms; authenticate again in this session to keep it");
            if (frame != null) {
                send(frame);
            }
        }
    }

    /** Arms a timer for the next credential event (warning or expiry) by the wall clock. */
    private void scheduleCredentialCheck() {
        if (credentialTimer != null) {
            credentialTimer.cancel(false);
            credentialTimer = null;
        }
        if (held.expiresAtMicros == AuthResult.Success.NEVER || state == State.CLOSED) {
            return;
        }
        long now = services.clock().epochMicros();
        long warnAt = held.expiresAtMicros - services.gate().auth().settings().expiryWarning().toNanos() / 1_000;
        long next = held.warned || now >= warnAt ? held.expiresAtMicros : warnAt;
        long delayMicros = Math.max(0, next - now);
        credentialTimer = channel.eventLoop().schedule(() -> {
            credentialTimer = null;
            checkCredential();
            if (state == State.AUTHENTICATED) {
                scheduleCredentialCheck();
            }
        }, Math.min(delayMicros, TimeUnit.DAYS.toMicros(1)), TimeUnit.MICROSECONDS);
    }

    /**
     * Closes the session if its credential was revoked (or its account removed) in {@code book}, or
     * if the account's plan changed there: a session keeps the limits it was admitted with, so a
     * downgrade (fewer symbols or channels, other instruments, a lower rate) would never reach a
     * connection that stays; closed with 4010, the client reconnects under the new plan. Any thread.
     */
    void recheckFromAnyThread(AccountBook book) {
        channel.eventLoop().execute(() -> {
            if (state != State.AUTHENTICATED) {
                return;
            }
            if (!book.holds(account.name(), held.id)) {
                LOG.info("session {} ({}): credential {} revoked, closing", id, account.name(), held.id);
                closeWithError(CloseCode.AUTH_FAILED, ErrorCode.CREDENTIAL_REVOKED,
                        "the credential of this session was revoked");
                return;
            }
            Account now = book.account(account.name());
            if (now != null && !now.plan().equals(account.plan())) {
                LOG.info("session {} ({}): plan changed from '{}' to '{}', closing so the new limits apply", id,
                        account.name(), account.plan().name(), now.plan().name());
                // the same name with other limits (a plan edited in the file) is a change too: say which it was
                String change = now.plan().name().equals(account.plan().name())
                        ? "the limits of the account's plan '" + now.plan().name() + "' changed"
                        : "the account's plan changed from '" + account.plan().name() + "' to '" + now.plan().name() + "'";
                closeWithError(CloseCode.PLAN_CHANGED, ErrorCode.PLAN_CHANGED, change + "; reconnect to continue under it");
            }
        });
    }

    // ---- closing ------------------------------------------------------------------------------

    /** Sends the protocol's error message, then closes. */
    public void closeWithError(CloseCode code, ErrorCode error, String message) {
        if (state == State.CLOSED) {
            return;
        }
        ByteBuf frame = protocol.closingError(error, message);
        if (frame != null) {
            send(frame);
        }
        close(code, code.reason());
    }

    /**
     * Starts the WebSocket close handshake: sends a close frame with the code and reason, then
     * keeps reading (and ignoring) input until the client answers with its own close frame, when
     * Netty's protocol handler closes the socket, or until the {@link CloseHandshake}'s grace ends.
     * Idempotent.
     */
    public void close(CloseCode code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        // the connection slot goes back before the close frame leaves: a client that reconnects as
        // soon as it reads the close (or tries the next cluster of the same scope) must find it free
        releaseSlot();
        if (channel.isActive()) {
            outbound.write(); // what the batch holds goes before the close frame
            CloseHandshake.start(channel, new CloseWebSocketFrame(code.code(), reason));
        }
        outbound.discard();
        release();
    }

    /** Closes from any thread (for example when a newer connection replaces this one). */
    public void closeFromAnyThread(CloseCode code, String reason) {
        channel.eventLoop().execute(() -> close(code, reason));
    }

    /** The connection is gone: give back the connection slot and every subscription. Idempotent. */
    public void onChannelClosed() {
        state = State.CLOSED;
        outbound.discard();
        release();
    }

    private void release() {
        if (released) {
            return;
        }
        released = true;
        storeResume.cancelAll();
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel(false);
        }
        if (credentialTimer != null) {
            credentialTimer.cancel(false);
        }
        releaseSlot();
        long[] keys = new long[subscriptions.size()];
        int n = 0;
        for (Long2LongHashMap.KeyIterator it = subscriptions.keySet().iterator(); it.hasNext(); ) {
            keys[n++] = it.nextValue();
        }
        for (int i = 0; i < n; i++) {
            drop(keys[i]);
        }
    }

    private void releaseSlot() {
        if (account != null && !slotReleased) {
            slotReleased = true;
            services.registry().release(account, this);
        }
    }

    @Override
    public String toString() {
        return "Session[" + id + ", " + state + (account == null ? "" : ", " + account.name()) + "]";
    }
}
