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
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.Route;
import io.tickwire.engine.StreamKey;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's state, whatever protocol it speaks: {@code CONNECTED → AUTHENTICATED →
 * CLOSED}, the account and plan, the subscriptions, the request budget, and the connection's side
 * of fan-out.
 *
 * <p>Confined to the connection's event loop: every method except {@link #closeFromAnyThread} must
 * be called there. Protocol handlers turn frames into calls here and {@link SessionOutcome}s back
 * into frames; this class owns no wire format.
 */
public final class Session implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** How long a closing connection waits for the client's close frame once ours is sent. */
    static final long CLOSE_GRACE_MILLIS = 2_000;
    private static final long NONE = Long.MIN_VALUE;

    /** Where a session is in its life. */
    public enum State { CONNECTED, AUTHENTICATED, CLOSED }

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
    }

    private final io.netty.channel.Channel channel;
    private final SessionServices services;
    private final Protocol protocol;
    private final String id;
    private final int route;
    private final int format;
    private final LoopOutbox outbox;
    private final RequestRateLimiter limiter;
    /** Wanted streams and the generation of their latest subscribe. */
    private final Long2LongHashMap subscriptions = new Long2LongHashMap(-1);
    /** The stream held in each slot (a stream key without depth and throttle): one per slot. */
    private final Long2LongHashMap slots = new Long2LongHashMap(NONE);
    /** Per instrument, how many of its streams are subscribed; the size is the symbol count. */
    private final Int2IntHashMap streamsPerInstrument = new Int2IntHashMap(0);
    private final List<EngineCommand> pendingCommands = new ArrayList<>();

    private State state = State.CONNECTED;
    private Account account;
    private long nextGeneration;
    private long authDeadlineMicros;
    private ScheduledFuture<?> deadlineTimer;
    private ScheduledFuture<?> heartbeatTimer;
    private ScheduledFuture<?> retryTimer;
    private boolean dirty;
    private long behindSinceNanos;
    private long lastInboundNanos;
    private boolean released;

    Session(io.netty.channel.Channel channel, SessionServices services, int format, Protocol protocol) {
        this.channel = channel;
        this.services = services;
        this.protocol = protocol;
        this.format = format;
        this.id = newId();
        int loop = services.fanOut().loopIndex(channel.eventLoop());
        this.route = Route.of(loop, format);
        this.outbox = services.fanOut().outbox(loop);
        int rate = services.config().unauthenticatedRequestsPerSecond();
        this.limiter = new RequestRateLimiter(rate, rate * 2, services.config().floodLimit(),
                services.config().floodWindow().toNanos(), services.clock().monotonicNanos());
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
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
    void start() {
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
    long chargeRequest() {
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

    /** Authenticates with a credential from the handshake or a message. */
    SessionOutcome authenticate(Credential credential) {
        if (state == State.AUTHENTICATED) {
            return new SessionOutcome.Refused(ErrorCode.ALREADY_AUTHENTICATED, "this session is already authenticated as " + account.name());
        }
        if (state == State.CLOSED) {
            return new SessionOutcome.Refused(ErrorCode.AUTH_FAILED, "session closed");
        }
        if (services.clock().epochMicros() > authDeadlineMicros) {
            return new SessionOutcome.Refused(ErrorCode.AUTH_TIMEOUT, "authentication deadline of "
                    + services.config().authDeadline().toMillis() + " ms passed");
        }
        AuthResult result = services.authenticator().authenticate(credential);
        if (result instanceof AuthResult.Failure failure) {
            LOG.info("session {} from {}: authentication failed ({})", id, channel.remoteAddress(), failure.reason());
            return new SessionOutcome.Refused(ErrorCode.AUTH_FAILED, failure.message());
        }
        Account acc = ((AuthResult.Success) result).account();
        switch (services.registry().admit(acc, this)) {
            case ConnectionRegistry.Admission.Refused refused -> {
                return new SessionOutcome.Refused(ErrorCode.CONNECTION_LIMIT, "account " + acc.name() + " already has "
                        + refused.limit() + " connection(s), the most its plan '" + acc.plan().name() + "' allows",
                        refused.limit());
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
        LOG.info("session {} from {}: authenticated as {}", id, channel.remoteAddress(), acc.name());
        return new SessionOutcome.Authenticated(acc);
    }

    /**
     * Subscribes every known symbol to every stream spec. Idempotent; a spec for a stream the
     * session already has in another variant (another depth or throttle) replaces it. A book depth
     * beyond an instrument's maximum is refused for that symbol, not for the request.
     */
    SessionOutcome subscribe(List<String> symbols, List<StreamSpec> specs) {
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
                    submit(new EngineCommand.Subscribe(key, route, this, generation));
                }
                streams.add(new SessionOutcome.Stream(instrument, spec.channel(), key));
            }
        }
        return new SessionOutcome.Applied(streams, List.copyOf(instruments.values()), rejected);
    }

    /**
     * Unsubscribes channels of symbols; for bars, {@code periods} and {@code priceTypes} narrow it
     * ({@code null}: all). What was not subscribed is reported, not an error for the rest.
     */
    SessionOutcome unsubscribe(List<String> symbols, List<Channel> channels, List<Periodicity> periods,
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
        submit(new EngineCommand.Snapshot(key, route, this, subscriptions.get(key), rawRequestId));
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

    private void drop(long key) {
        subscriptions.remove(key);
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

    // ---- outbound -------------------------------------------------------------------------------

    /** Writes and flushes a control frame (an answer, an error, a welcome). */
    void send(ByteBuf frame) {
        if (state == State.CLOSED) {
            frame.release();
            return;
        }
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    @Override
    public boolean wants(long streamKey, long generation) {
        return state != State.CLOSED && subscriptions.get(streamKey) == generation;
    }

    @Override
    public boolean deliver(ByteBuf frame) {
        if (state == State.CLOSED) {
            frame.release();
            return false;
        }
        channel.write(frame, channel.voidPromise());
        checkBacklog();
        boolean first = !dirty;
        dirty = true;
        return first;
    }

    @Override
    public void flush() {
        dirty = false;
        if (state != State.CLOSED) {
            channel.flush();
        }
    }

    /**
     * Updates of a stream were lost on the way to this connection: the client is told with a gap
     * message, and streams with state (quote, book, bar) are resynchronised with a fresh snapshot,
     * which follows the gap in the stream. Never a silently wrong book.
     */
    @Override
    public void lost(long streamKey) {
        long generation = subscriptions.get(streamKey);
        if (generation < 0 || state == State.CLOSED) {
            return;
        }
        Channel channel = StreamKey.channel(streamKey);
        ByteBuf gap = protocol.gap(services.catalog().get(StreamKey.instrumentId(streamKey)).symbol(), channel, streamKey,
                "updates were lost on the way to this connection");
        if (gap != null) {
            send(gap);
        }
        if (channel != Channel.TRADE) {
            submit(new EngineCommand.Snapshot(streamKey, route, this, generation, null));
        }
    }

    @Override
    public void activationLost(long streamKey) {
        closeWithError(CloseCode.TRY_AGAIN_LATER, ErrorCode.SERVER_BUSY, "the server could not start the subscription to "
                + StreamKey.toString(streamKey) + "; reconnect and subscribe again");
    }

    @Override
    public void noSnapshot(long streamKey, String rawRequestId) {
        if (rawRequestId != null) {
            ByteBuf error = protocol.error(rawRequestId, ErrorCode.NO_DATA, "the stream has no value yet");
            if (error != null) {
                send(error);
            }
        }
    }

    private void checkBacklog() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        if (pending > services.config().maxOutboundBytes()) {
            closeSlowConsumer(pending + " bytes queued, the most allowed is " + services.config().maxOutboundBytes());
            return;
        }
        if (!channel.isWritable()) {
            long now = services.clock().monotonicNanos();
            if (behindSinceNanos == 0) {
                behindSinceNanos = now;
            } else if (now - behindSinceNanos > services.config().slowConsumerGrace().toNanos()) {
                closeSlowConsumer("behind for more than " + services.config().slowConsumerGrace().toMillis() + " ms");
            }
        }
    }

    /** The channel's writability changed: a slow consumer caught up, or fell behind. */
    void onWritabilityChanged() {
        if (channel.isWritable()) {
            behindSinceNanos = 0;
        }
    }

    private void closeSlowConsumer(String detail) {
        LOG.warn("session {} ({}): slow consumer, {}", id, account == null ? "-" : account.name(), detail);
        close(CloseCode.SLOW_CONSUMER, CloseCode.SLOW_CONSUMER.reason());
    }

    /** Something arrived from the client (any frame, a pong included): the link is alive. */
    void onInbound() {
        lastInboundNanos = services.clock().monotonicNanos();
    }

    private void heartbeat() {
        if (state == State.CLOSED) {
            return;
        }
        if (services.clock().monotonicNanos() - lastInboundNanos > services.config().idleTimeout().toNanos()) {
            LOG.info("session {} ({}): nothing received for {} ms, closing as dead", id,
                    account == null ? "-" : account.name(), services.config().idleTimeout().toMillis());
            close(CloseCode.IDLE_TIMEOUT, CloseCode.IDLE_TIMEOUT.reason());
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
        if (state == State.CONNECTED) {
            closeWithError(CloseCode.AUTH_TIMEOUT, ErrorCode.AUTH_TIMEOUT, "not authenticated within "
                    + services.config().authDeadline().toMillis() + " ms");
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    /** Sends the protocol's error message, then closes. */
    void closeWithError(CloseCode code, ErrorCode error, String message) {
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
     * Netty's protocol handler closes the socket, or until {@link #CLOSE_GRACE_MILLIS} after the
     * frame went out. Closing the socket at once while the client's requests are still unread
     * would make the kernel reset the connection and the client lose the close frame and whatever
     * preceded it. Idempotent.
     */
    void close(CloseCode code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code.code(), reason)).addListener(sent ->
                    channel.eventLoop().schedule(() -> {
                        channel.close();
                    }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS));
        }
        release();
    }

    /** Closes from any thread (for example when a newer connection replaces this one). */
    public void closeFromAnyThread(CloseCode code, String reason) {
        channel.eventLoop().execute(() -> close(code, reason));
    }

    /** The connection is gone: give back the connection slot and every subscription. Idempotent. */
    void onChannelClosed() {
        state = State.CLOSED;
        release();
    }

    private void release() {
        if (released) {
            return;
        }
        released = true;
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel(false);
        }
        if (account != null) {
            services.registry().release(account, this);
        }
        long[] keys = new long[subscriptions.size()];
        int n = 0;
        for (Long2LongHashMap.KeyIterator it = subscriptions.keySet().iterator(); it.hasNext(); ) {
            keys[n++] = it.nextValue();
        }
        for (int i = 0; i < n; i++) {
            drop(keys[i]);
        }
    }

    @Override
    public String toString() {
        return "Session[" + id + ", " + state + (account == null ? "" : ", " + account.name()) + "]";
    }
}
