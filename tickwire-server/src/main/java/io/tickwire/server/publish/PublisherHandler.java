package io.tickwire.server.publish;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickwire.auth.Account;
import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Credential;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.engine.ingest.MarketDataSink;
import io.tickwire.engine.ingest.Receipt;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import io.tickwire.protocol.v1.MessageWriter;
import io.tickwire.server.session.CloseHandshake;
import io.tickwire.server.session.HandshakeCredentials;
import io.tickwire.server.session.auth.AuthGate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publisher connection on {@code /v1/publish}: authenticates from the handshake, says so
 * ({@code publishing}), then hands every event of every frame to ingest in the order sent, and
 * tells the publisher how many frames are kept ({@code taken}, cumulative). A bad frame is answered
 * with an {@code error} and publishes nothing.
 *
 * <p>Kept means what the sink's {@link Receipt}s say: on a cluster's ingest node, that Kafka has
 * every event of those frames (a node killed after counting them loses none of them); on a single
 * server, that the engine took them (a server killed loses what its queues held, and its clients
 * with it). One receipt is out at a time, covering every frame taken since the last, so under load
 * one receipt counts many frames. A receipt that settles lost ends the publisher
 * ({@code append_failed}, 1013): the frames it has not been told of are its to send again.
 *
 * <p>Back-pressure, not loss: when ingest refuses an event (its partition queue is full) the
 * connection stops reading and retries the held events every {@value #RETRY_MICROS} µs, so the
 * publisher's TCP window fills and it slows down. Events are never reordered or dropped. Confined
 * to the connection's event loop, which at the end of each read may run the engine's batch itself
 * (see {@link MarketDataSink#handOver()}).
 *
 * <p>A publisher's credential binds it as a subscriber's binds a session: an account that needs a
 * second factor cannot publish (the handshake has no room for one); a credential revoked while
 * connected closes the connection (4002), and one that expires closes it when it does (4006).
 */
public final class PublisherHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(PublisherHandler.class);

    static final long RETRY_MICROS = 200;

    private final AuthGate gate;
    private final Set<String> publishers;
    private final LivePublishers live;
    private final MarketDataSink sink;
    private final PublishReader reader;
    private final Clock clock;
    private final int maxFrameBytes;
    private final MessageWriter writer = new MessageWriter();
    private final List<MarketEvent> read = new ArrayList<>();
    private final ArrayDeque<MarketEvent> waiting = new ArrayDeque<>();
    private boolean authenticated;
    private boolean retryScheduled;
    private long framesDealt; // text frames read since authentication
    private long framesTaken; // of them, those whose events were all offered to the engine (or that were refused)
    private long framesKept; // of them, those a settled receipt says are kept
    private Receipt nextReceipt; // issued before the events of the frames read since the last receipt was offered
    private Receipt outstanding; // offered, not settled: covers frames up to receiptCovers
    private Receipt refusedReceipt; // refused by a full partition queue: offered again
    private long receiptCovers;
    private Consumer<Receipt.Outcome> onSettled;
    private boolean offering; // inside sink.offerReceipt on this loop
    private long framesAcknowledged; // the last count told the publisher
    private ChannelHandlerContext context;
    private AuthResult.Success held;
    private io.netty.util.concurrent.ScheduledFuture<?> expiryTimer;

    /**
     * @param publishers the accounts allowed to publish ({@code server.publishers})
     * @param live       where the connection registers once authenticated, for revocations
     * @param sink       where events go: the engine's bus
     * @param clock      the server's clock: event times far ahead of it are refused
     * @param maxFrameBytes the largest message read ({@code server.maxFrameBytes}), told to the publisher
     */
    public PublisherHandler(AuthGate gate, Set<String> publishers, LivePublishers live, InstrumentCatalog catalog,
                            MarketDataSink sink, Clock clock, int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.gate = gate;
        this.publishers = publishers;
        this.live = live;
        this.sink = sink;
        this.clock = clock;
        this.reader = new PublishReader(catalog, clock);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            Credential credential = HandshakeCredentials.find(handshake.requestHeaders(), handshake.requestUri());
            if (credential == null) {
                refuse(ctx, ErrorCode.AUTH_FAILED,
                        "a publisher authenticates in the handshake (Authorization: Bearer, token header or ?token=)",
                        CloseCode.AUTH_FAILED);
                return;
            }
            // through the gate, as a subscriber's login: failed attempts count towards the address's ban
            AuthGate.Decision decision = gate.withoutSecondFactor(credential, AuthGate.addressOf(ctx.channel()),
                    "a publisher", "publish from an account without one");
            if (decision instanceof AuthGate.Decision.Refused refused) {
                // a banned address is told when to come back, as a banned login is
                ByteSink error = switch (refused.code()) {
                    case TOO_MANY_FAILURES -> writer.error(null, ErrorCode.TOO_MANY_FAILURES, refused.message(), -1,
                            refused.retryAfterMs());
                    case TWO_FACTOR_REQUIRED -> writer.error(null, ErrorCode.TWO_FACTOR_REQUIRED, refused.message());
                    default -> writer.error(null, ErrorCode.AUTH_FAILED, refused.message());
                };
                refuse(ctx, error, refused.close() != null ? refused.close() : CloseCode.AUTH_FAILED);
                return;
            }
            AuthGate.Decision.Accepted accepted = (AuthGate.Decision.Accepted) decision;
            Account account = accepted.success().account();
            LivePublishers.TurnedAway turnedAway = live.turnedAway() != null ? live.turnedAway() : live.unsure();
            if (turnedAway != null) { // a gateway, a standby, a node unsure of its office: not the account's fault
                refuse(ctx, ErrorCode.NOT_INGEST_NODE, turnedAway.message(), turnedAway.close());
                return;
            }
            if (!publishers.contains(account.name())) {
                refuse(ctx, ErrorCode.NOT_ENTITLED, "account " + account.name() + " may not publish",
                        CloseCode.POLICY_VIOLATION);
                return;
            }
            authenticated = true;
            context = ctx;
            held = accepted.success();
            onSettled = outcome -> {
                if (offering && ctx.executor().inEventLoop()) {
                    settled(outcome); // settled as it was offered (a single server's): no batch is running
                    return;
                }
                // later, on this loop: never inside a partition's batch this loop happens to run
                try {
                    ctx.executor().execute(() -> settled(outcome));
                } catch (RejectedExecutionException e) {
                    // the loop has shut down with the server: nobody left to tell
                }
            };
            live.add(this);
            // the one message of a publisher taken: from here on its events count (a publisher that
            // sent before it may have sent them to a node that refuses it: see tickwire publish)
            send(ctx, writer.publishing(account.name(), maxFrameBytes));
            if (held.expires()) {
                long delayMicros = Math.max(0, held.expiresAtMicros() - clock.epochMicros());
                expiryTimer = ctx.executor().schedule(this::expired, delayMicros, TimeUnit.MICROSECONDS);
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    private void expired() {
        if (authenticated && clock.epochMicros() >= held.expiresAtMicros()) {
            LOG.info("publisher {} ({}): credential expired, closing", context.channel().remoteAddress(),
                    held.account().name());
            end(context, ErrorCode.CREDENTIAL_EXPIRED, "the publisher's credential expired; connect again with a fresh one",
                    CloseCode.CREDENTIAL_EXPIRED);
        } else if (authenticated) {
            // the wall clock lagged the timer: look again when it says the credential has expired
            long delayMicros = Math.max(1_000, held.expiresAtMicros() - clock.epochMicros());
            expiryTimer = context.executor().schedule(this::expired, delayMicros, TimeUnit.MICROSECONDS);
        }
    }

    /** Closes the connection if {@code book} no longer holds its credential; any thread. */
    void recheckFromAnyThread(AccountBook book) {
        ChannelHandlerContext ctx = context;
        if (ctx == null) {
            return;
        }
        ctx.executor().execute(() -> {
            if (authenticated && !book.holds(held.account().name(), held.credentialId())) {
                LOG.info("publisher {} ({}): credential revoked, closing", ctx.channel().remoteAddress(),
                        held.account().name());
                end(ctx, ErrorCode.CREDENTIAL_REVOKED, "the credential of this publisher was revoked", CloseCode.AUTH_FAILED);
            }
        });
    }

    /** Stops taking events from this connection and closes it with an error and a close code. */
    private void end(ChannelHandlerContext ctx, ErrorCode code, String message, CloseCode close) {
        send(ctx, writer.error(null, code, message));
        stop(ctx, close);
    }

    private void forget() {
        live.remove(this);
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!authenticated) {
            return; // refused and closing
        }
        if (held.expires() && clock.epochMicros() >= held.expiresAtMicros()) {
            expired(); // checked on every frame too, as a session checks on every request
            return;
        }
        if (!(frame instanceof TextWebSocketFrame)) {
            stop(ctx, CloseCode.UNSUPPORTED_DATA);
            return;
        }
        if (endedAsUnsure(ctx)) {
            return; // this frame is not taken: the publisher sends it again where it is
        }
        read.clear();
        framesDealt++;
        if (nextReceipt == null) {
            nextReceipt = sink.issueReceipt(onSettled); // before the events it covers are offered: it notes losses from here
        }
        try {
            reader.read(frame.content(), read);
        } catch (ProtocolException e) {
            // refused, and said so before the count that covers it
            send(ctx, writer.error(null, e.code(), e.getMessage()));
            read.clear();
        }
        for (int i = 0; i < read.size(); i++) {
            MarketEvent event = read.get(i);
            if (!waiting.isEmpty() || !sink.offerWithoutWake(event)) {
                waiting.add(event);
            }
        }
        read.clear();
        if (waiting.isEmpty()) {
            framesTaken = framesDealt;
        } else {
            holdBack(ctx);
        }
    }

    /**
     * Tells the publisher how many of its frames are kept, cumulatively, once per read and when a
     * receipt settles: {@code taken}. Skipped while the publisher does not read
     * what it is sent (the connection is not writable), so what it is told stays bounded; the next
     * count covers the skipped one.
     */
    private void acknowledge(ChannelHandlerContext ctx) {
        if (!authenticated || framesKept <= framesAcknowledged || !ctx.channel().isWritable()) {
            return; // nothing new to tell (a count already sent this read is not sent again)
        }
        if (endedAsUnsure(ctx)) {
            return;
        }
        framesAcknowledged = framesKept;
        send(ctx, writer.taken(framesKept));
    }

    /**
     * After frames were taken, or a receipt settled: offers a receipt for the frames taken since
     * the last (if one is due), runs the engine's batch on this thread if its partition is parked,
     * then tells the publisher its count: subscribers before the count's write.
     */
    private void passOn(ChannelHandlerContext ctx) {
        askForReceipt();
        sink.handOver();
        acknowledge(ctx);
    }

    /**
     * Puts a receipt behind the events of the frames taken since the last receipt, unless one is
     * out or events are held (a receipt must cover only events offered before it, and the held
     * ones are offered later). The caller hands over after.
     */
    private void askForReceipt() {
        if (!authenticated || outstanding != null || !waiting.isEmpty()
                || (refusedReceipt == null && framesTaken <= receiptCovers)) {
            return;
        }
        // a refused receipt's window began earlier: offered again, it covers the frames since too
        Receipt receipt = refusedReceipt != null ? refusedReceipt.again() : nextReceipt;
        refusedReceipt = null;
        nextReceipt = null;
        outstanding = receipt;
        receiptCovers = framesTaken;
        offering = true;
        try {
            sink.offerReceipt(receipt);
        } finally {
            offering = false;
        }
    }

    /** A receipt settled (this event loop): counts its frames, offers it again, or ends the publisher. */
    private void settled(Receipt.Outcome outcome) {
        Receipt receipt = outstanding;
        outstanding = null;
        if (!authenticated) {
            return; // closed meanwhile: the frames not counted are the publisher's to send again
        }
        switch (outcome) {
            case KEPT -> {
                framesKept = receiptCovers;
                if (!offering) { // settled as offered, inside passOn: it hands over and counts next
                    passOn(context);
                }
            }
            case REFUSED -> {
                refusedReceipt = receipt;
                context.executor().schedule(() -> passOn(context), RETRY_MICROS, TimeUnit.MICROSECONDS);
            }
            case LOST -> {
                LOG.warn("publisher {} ({}): closing, events it sent may have been lost after this node took them",
                        context.channel().remoteAddress(), held.account().name());
                end(context, ErrorCode.APPEND_FAILED, "events this publisher sent may have been lost after this node took"
                        + " them (the cluster's topic did not keep them, or the engine failed on one): send the frames"
                        + " not counted again",
                        CloseCode.TRY_AGAIN_LATER);
            }
        }
    }

    /**
     * Ends an authenticated publisher while this node is not sure it is still the one that takes
     * events (woken from a stall, perhaps deposed): what it took since is not counted, and is sent
     * again elsewhere (twice, if this node was still elected). Whether it ended it.
     */
    private boolean endedAsUnsure(ChannelHandlerContext ctx) {
        LivePublishers.TurnedAway unsure = authenticated ? live.unsure() : null;
        if (unsure == null) {
            return false;
        }
        LOG.info("publisher {} ({}): closing, this node is not sure it is still the ingest node",
                ctx.channel().remoteAddress(), held.account().name());
        end(ctx, ErrorCode.NOT_INGEST_NODE, unsure.message(), unsure.close());
        return true;
    }

    /**
     * The end of a read: hands what this read offered to the engine, which runs it on this thread
     * if its partition's thread is parked: one thread wake-up less between a publisher and its
     * subscribers, and none at all for the subscribers on this event loop.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        passOn(ctx);
        ctx.fireChannelReadComplete();
    }

    /** A count skipped while the publisher was not reading is sent once it reads again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            acknowledge(ctx);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        authenticated = false;
        forget();
        sink.handOver();
        super.channelInactive(ctx);
    }

    /** Stops reading until the held events are taken, retrying on this event loop. */
    private void holdBack(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        ctx.executor().schedule(() -> retry(ctx), RETRY_MICROS, TimeUnit.MICROSECONDS);
    }

    private void retry(ChannelHandlerContext ctx) {
        retryScheduled = false;
        if (!authenticated) {
            waiting.clear(); // closed (refused, revoked, not sure): its held events are not taken
            return;
        }
        if (endedAsUnsure(ctx)) {
            return;
        }
        while (!waiting.isEmpty() && sink.offer(waiting.peek())) {
            waiting.poll();
        }
        if (waiting.isEmpty()) {
            framesTaken = framesDealt;
            passOn(ctx);
            ctx.channel().config().setAutoRead(true);
        } else if (ctx.channel().isActive()) {
            holdBack(ctx);
        }
    }

    /**
     * A fault on the connection: a fragmented message over {@code server.maxFrameBytes} (the frame
     * aggregator's refusal) closes it with 1009, anything else with 1011; never silently, since the
     * events of the message are lost to the publisher.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException) {
            ctx.close(); // Netty's frame decoder has already sent the close frame with its status
            return;
        }
        CloseCode close = cause instanceof TooLongFrameException ? CloseCode.MESSAGE_TOO_BIG : CloseCode.INTERNAL_ERROR;
        if (close == CloseCode.INTERNAL_ERROR) {
            LOG.warn("publisher connection {}: closing after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        stop(ctx, close);
    }

    /** Stops taking events from this connection and closes it with a close code alone. */
    private void stop(ChannelHandlerContext ctx, CloseCode close) {
        authenticated = false;
        waiting.clear(); // held, never taken, never counted: the publisher sends them again elsewhere
        forget();
        closeHandshake(ctx, close);
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message, CloseCode close) {
        refuse(ctx, writer.error(null, code, message), close);
    }

    private void refuse(ChannelHandlerContext ctx, ByteSink error, CloseCode close) {
        send(ctx, error);
        closeHandshake(ctx, close);
    }

    /**
     * Sends the close frame and keeps reading, dropping whatever the publisher still sends, until it
     * answers or the grace ends ({@link CloseHandshake}). Closing the socket at once while the
     * publisher's next frames were unread made the kernel reset the connection: the publisher then
     * lost the counts and the error sent just before the close, and sent counted lines again.
     */
    private static void closeHandshake(ChannelHandlerContext ctx, CloseCode close) {
        ctx.channel().config().setAutoRead(true); // reading may be held back for a full engine queue
        CloseHandshake.start(ctx.channel(), new CloseWebSocketFrame(close.code(), close.reason()));
    }

    private static void send(ChannelHandlerContext ctx, ByteSink sink) {
        ctx.writeAndFlush(new TextWebSocketFrame(ctx.alloc().buffer(sink.length()).writeBytes(sink.array(), 0, sink.length())));
    }
}
