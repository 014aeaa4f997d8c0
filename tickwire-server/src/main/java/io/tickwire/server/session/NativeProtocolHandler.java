package io.tickwire.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.tickwire.auth.Account;
import io.tickwire.auth.Credential;
import io.tickwire.auth.Plan;
import io.tickwire.engine.StreamKey;
import io.tickwire.model.Channel;
import io.tickwire.model.Throttle;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import io.tickwire.protocol.v1.Command;
import io.tickwire.protocol.v1.CommandReader;
import io.tickwire.protocol.v1.MessageWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.server.fanout.WebSocketFrames;
import io.tickwire.server.fanout.NativeWireFormat;
import io.tickwire.server.history.HistoryService;
import io.tickwire.server.history.ServerHistory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native protocol ({@code /v1/ws}) on one connection: decodes requests, asks the
 * {@link Session} to carry them out, and writes the answers.
 *
 * <p>Sits last in the pipeline, after Netty's WebSocket protocol handler and frame aggregator.
 * Confined to the connection's event loop. Every request is charged against the session's rate
 * budget, malformed ones included.
 */
public final class NativeProtocolHandler extends SessionHandler implements Session.Protocol {

    private static final Logger LOG = LoggerFactory.getLogger(NativeProtocolHandler.class);
    private static final CommandReader READER = new CommandReader();
    /** One writer per event loop: encoding answers is confined to the loop's thread. */
    private static final FastThreadLocal<MessageWriter> WRITER = new FastThreadLocal<>() {
        @Override
        protected MessageWriter initialValue() {
            return new MessageWriter();
        }
    };

    private final SessionServices services;
    private final int format;
    private final NativeHistoryRequests history;
    private ChannelHandlerContext ctx;

    /**
     * @param format the native wire format's index in fan-out
     */
    public NativeProtocolHandler(SessionServices services, int format) {
        this(services, format, new HistoryService(ServerHistory.NONE, services.catalog(), services.clock()));
    }

    /**
     * @param format  the native wire format's index in fan-out
     * @param history answers {@code history} and {@code instruments} requests
     */
    public NativeProtocolHandler(SessionServices services, int format, HistoryService history) {
        this.services = services;
        this.format = format;
        this.history = new NativeHistoryRequests(history);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            session = new Session(context.channel(), services, format, this);
            session.history(history.service());
            session.start();
            Credential credential = HandshakeCredentials.find(handshake.requestHeaders(), handshake.requestUri(),
                    services.gate().auth().settings().sessionHeader());
            if (credential == null) {
                sendWelcome(null);
            } else {
                SessionOutcome outcome = session.authenticate(credential);
                if (outcome instanceof SessionOutcome.Authenticated authenticated) {
                    sendWelcome(authenticated.account());
                    sendAuthenticated(null, authenticated);
                } else {
                    sendWelcome(null);
                    answerAuth(null, outcome);
                }
            }
        } else if (evt instanceof io.tickwire.server.TickwireServer.DrainRequest drain && session != null
                && session.state() != Session.State.CLOSED) {
            send(writer().reconnect(drain.afterMs(), drain.url(), drain.reason()));
            return;
        }
        super.userEventTriggered(context, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (session == null || session.state() == Session.State.CLOSED) {
                return;
            }
            session.onInbound();
            if (msg instanceof TextWebSocketFrame text) {
                onText(text.content());
            } else if (msg instanceof BinaryWebSocketFrame) {
                session.close(CloseCode.UNSUPPORTED_DATA, CloseCode.UNSUPPORTED_DATA.reason());
            } else if (msg instanceof PongWebSocketFrame) {
                // an answer to the server's ping: counted as inbound above, nothing else to do
            } else if (!(msg instanceof WebSocketFrame)) {
                LOG.debug("unexpected message of type {}", msg.getClass().getName()); // its text may be the client's
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(ByteBuf content) {
        Command command;
        try {
            byte[] bytes;
            int offset;
            int length = content.readableBytes();
            if (content.hasArray()) {
                bytes = content.array();
                offset = content.arrayOffset() + content.readerIndex();
            } else {
                bytes = ByteBufUtil.getBytes(content);
                offset = 0;
            }
            command = READER.read(bytes, offset, length);
        } catch (ProtocolException e) {
            if (charge(e.requestId())) {
                send(writer().error(e.requestId(), e.code(), e.getMessage()));
            }
            return;
        }
        if (charge(command.id())) {
            execute(command);
        }
    }

    /** Charges a request; answers rate_limited and returns false when over budget. */
    private boolean charge(String rawId) {
        long retryAfter = session.chargeRequest();
        if (retryAfter < 0) {
            return true;
        }
        if (session.state() != Session.State.CLOSED) {
            send(writer().error(rawId, ErrorCode.RATE_LIMITED, "too many requests; retry after " + retryAfter + " ms",
                    -1, retryAfter));
        }
        return false;
    }

    private void execute(Command command) {
        switch (command) {
            case Command.Auth auth -> answerAuth(auth.id(), session.authenticate(new Credential.ApiToken(auth.token())));
            case Command.HmacAuth login -> answerAuth(login.id(), session.authenticate(new Credential.HmacSignature(
                    login.webApiId(), login.webApiKey(), login.timestamp(), login.signature())));
            case Command.JwtAuth jwt -> answerAuth(jwt.id(), session.authenticate(new Credential.Jwt(jwt.jwt())));
            case Command.SessionAuth token -> answerAuth(token.id(), session.authenticate(new Credential.SessionToken(token.token())));
            case Command.TwoFactor second -> answerAuth(second.id(), session.twoFactor(second.code(), second.resume()));
            case Command.RegisterEmail email -> session.registerEmail(email.email(), outcome -> {
                if (outcome instanceof SessionOutcome.EmailRegistered registered) {
                    send(writer().emailRegistered(email.id(), registered.email()));
                } else {
                    sendRefused(email.id(), (SessionOutcome.Refused) outcome);
                }
            });
            case Command.WithJwt carrying -> {
                boolean wasAuthenticated = session.state() == Session.State.AUTHENTICATED;
                SessionOutcome outcome = session.presentJwt(carrying.jwt());
                if (outcome instanceof SessionOutcome.Authenticated authenticated) {
                    if (!wasAuthenticated) {
                        sendAuthenticated(null, authenticated); // the JWT logged the session in
                    }
                    execute(carrying.command());
                } else if (wasAuthenticated) {
                    sendRefused(carrying.id(), (SessionOutcome.Refused) outcome); // the session keeps its credential
                } else {
                    answerAuth(carrying.id(), outcome);
                }
            }
            case Command.Subscribe sub -> {
                Command.Options o = sub.options();
                List<StreamSpec> specs = StreamSpec.of(sub.channels(), o.depth(), Throttle.classOf(o.throttleMs()),
                        o.periods(), o.priceTypes());
                SessionOutcome outcome = session.subscribe(sub.symbols(), specs, sub.resumeFrom());
                if (outcome instanceof SessionOutcome.Applied applied) {
                    send(writer().subscribed(sub.id(), streams(applied), instruments(applied), rejections(applied)));
                } else {
                    sendRefused(sub.id(), (SessionOutcome.Refused) outcome);
                }
            }
            case Command.Unsubscribe unsub -> {
                SessionOutcome outcome = session.unsubscribe(unsub.symbols(), unsub.channels(), unsub.periods(),
                        unsub.priceTypes());
                if (outcome instanceof SessionOutcome.Applied applied) {
                    send(writer().unsubscribed(unsub.id(), streams(applied), rejections(applied)));
                } else {
                    sendRefused(unsub.id(), (SessionOutcome.Refused) outcome);
                }
            }
            case Command.Ping ping -> send(writer().pong(ping.id(), ping.payload(), services.clock().epochMicros()));
            case Command.Snapshot snap -> {
                // the snapshot itself is the answer: it comes in the stream, carrying the request id
                if (session.snapshot(snap.symbol(), snap.channel(), snap.period(), snap.priceType(), snap.id())
                        instanceof SessionOutcome.Refused refused) {
                    sendRefused(snap.id(), refused);
                }
            }
            case Command.History request -> history.history(session, ctx, request);
            case Command.Instruments request -> history.instruments(session, ctx, request);
        }
    }

    /** Answers an authentication step: authenticated, two-factor required, or refused (and closed if it says so). */
    private void answerAuth(String rawId, SessionOutcome outcome) {
        switch (outcome) {
            case SessionOutcome.Authenticated authenticated -> sendAuthenticated(rawId, authenticated);
            case SessionOutcome.TwoFactorRequired required ->
                    send(writer().twoFactorRequired(rawId, required.methods(), required.deadlineMs()));
            case SessionOutcome.Refused refused -> authRefused(rawId, refused);
            default -> throw new IllegalStateException("not an authentication outcome: " + outcome);
        }
    }

    private void authRefused(String rawId, SessionOutcome.Refused refused) {
        sendRefused(rawId, refused);
        if (refused.close() != null) { // else the session carries on (a refused renewal keeps its credential)
            session.close(refused.close(), refused.close().reason());
        }
    }

    private void sendRefused(String rawId, SessionOutcome.Refused refused) {
        send(writer().error(rawId, refused.code(), refused.message(), refused.limit(), refused.retryAfterMs()));
    }

    private void sendWelcome(Account account) {
        send(writer().welcome(new ServerMessage.Welcome("tickwire", services.version(), 1, session.id(),
                account != null, account == null ? null : account.name(), services.gate().methods(),
                session.authDeadlineMillis(), services.config().heartbeatInterval().toMillis(),
                services.config().maxFrameBytes(), services.epoch())));
    }

    private void sendAuthenticated(String rawId, SessionOutcome.Authenticated authenticated) {
        Account account = authenticated.account();
        Plan plan = account.plan();
        List<Channel> channels = new ArrayList<>(plan.channels());
        channels.sort(null);
        List<String> sets = plan.instrumentSets().stream().map(io.tickwire.model.AssetClass::wireName).sorted().toList();
        ServerMessage.Limits limits = new ServerMessage.Limits(plan.maxConnections(), plan.maxSymbols(), channels,
                plan.requestsPerSecond(), sets, plan.slowConsumer().wireName(), plan.requestBurst());
        ServerMessage.Authenticated details = new ServerMessage.Authenticated(null, null, null, null,
                authenticated.scheme() == null ? null : authenticated.scheme().wireName(),
                authenticated.expiresAtMicros() == io.tickwire.auth.AuthResult.Success.NEVER ? -1 : authenticated.expiresAtMicros(),
                authenticated.twoFactor() == null ? null : new ServerMessage.TwoFactorGrant(
                        authenticated.twoFactor().resumeToken(), authenticated.twoFactor().expiresAtMicros()),
                authenticated.refreshed());
        send(writer().authenticated(rawId, account.name(), plan.name(), limits, details));
    }

    private static List<ServerMessage.StreamRef> streams(SessionOutcome.Applied applied) {
        List<ServerMessage.StreamRef> refs = new ArrayList<>(applied.streams().size());
        for (SessionOutcome.Stream s : applied.streams()) {
            long key = s.streamKey();
            boolean bar = s.channel() == Channel.BAR;
            refs.add(new ServerMessage.StreamRef(s.instrument().symbol(), s.channel(),
                    s.channel() == Channel.BOOK ? StreamKey.depth(key) : 0, bar ? StreamKey.period(key) : null,
                    bar ? StreamKey.priceType(key) : null, Throttle.millis(StreamKey.throttle(key))));
        }
        return refs;
    }

    private static List<ServerMessage.InstrumentInfo> instruments(SessionOutcome.Applied applied) {
        return applied.instruments().stream().map(i -> new ServerMessage.InstrumentInfo(i.symbol(), i.assetClass(),
                i.priceScale(), i.sizeScale())).toList();
    }

    private static List<ServerMessage.Rejection> rejections(SessionOutcome.Applied applied) {
        return applied.rejected().stream().map(r -> new ServerMessage.Rejection(r.symbol(), r.channel(), r.code().wire(),
                r.message())).toList();
    }

    private static MessageWriter writer() {
        return WRITER.get();
    }

    private void send(ByteSink sink) {
        session.send(WebSocketFrames.text(ctx.alloc(), sink.array(), sink.length()));
    }

    // ---- Session.Protocol -----------------------------------------------------------------------

    @Override
    public ByteBuf heartbeat(long nowMicros) {
        List<ServerMessage.StreamPosition> positions = new ArrayList<>();
        for (long[] p : session.streamPositions()) {
            long key = p[0];
            positions.add(new ServerMessage.StreamPosition(services.catalog().get(StreamKey.instrumentId(key)).symbol(),
                    StreamKey.channel(key), NativeWireFormat.barPeriod(key), NativeWireFormat.barPriceType(key), p[1], p[2]));
        }
        ByteSink sink = writer().heartbeat(nowMicros, positions);
        return WebSocketFrames.text(ctx.alloc(), sink.array(), sink.length());
    }

    @Override
    public ByteBuf closingError(ErrorCode code, String message) {
        return error(null, code, message);
    }

    @Override
    public ByteBuf gap(String symbol, Channel channel, long streamKey, String reason) {
        ByteSink sink = channel == Channel.BAR
                ? writer().gap(symbol, channel, StreamKey.period(streamKey), StreamKey.priceType(streamKey), reason)
                : writer().gap(symbol, channel, reason);
        return WebSocketFrames.text(ctx.alloc(), sink.array(), sink.length());
    }

    @Override
    public ByteBuf error(String rawRequestId, ErrorCode code, String message) {
        ByteSink sink = writer().error(rawRequestId, code, message);
        return WebSocketFrames.text(ctx.alloc(), sink.array(), sink.length());
    }

    @Override
    public ByteBuf credentialExpiring(long expiresAtMicros, String message) {
        ByteSink sink = writer().credentialExpiring(expiresAtMicros, CloseCode.CREDENTIAL_EXPIRED.code(), message);
        return WebSocketFrames.text(ctx.alloc(), sink.array(), sink.length());
    }

    // ---- connection events (the rest in SessionHandler) ---------------------------------------

    @Override
    protected String closeReason(CloseCode code) {
        return switch (code) {
            case MESSAGE_TOO_BIG -> "message exceeds " + services.config().maxFrameBytes() + " bytes";
            case POLICY_VIOLATION -> "invalid WebSocket frame";
            default -> code.reason();
        };
    }
}
