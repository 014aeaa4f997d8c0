package io.tickwire.client;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A connection to a Tickwire server that stays up: it connects, authenticates, subscribes, and
 * after any interruption reconnects (exponential backoff with jitter), authenticates again and
 * restores every subscription the user asked for, with its options. Market data arrives at the
 * listeners given to the {@link Builder}, checked for sequence: duplicates are dropped, missing
 * messages are reported as a {@link Gap}.
 *
 * <p><b>Books.</b> For each symbol subscribed on {@link Channel#BOOK} the client keeps a local book
 * from the server's snapshot and changes, checking every message's sequence and checksum. A book
 * that misses a message or fails its checksum resynchronises by itself (it asks for a snapshot;
 * {@link Builder#onBookResync} hears why), and {@link #book(String)} returns the latest
 * {@link BookView}, an immutable picture that any thread may read.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Each client runs on one I/O
 * thread (of its own event loop group, or one loop of a group passed in). Callbacks — the
 * listeners and the completion of the returned futures — run on that thread by default, or in
 * order on the {@linkplain Builder#callbackExecutor executor} given; either way one client never
 * runs two callbacks at once and delivers them in the order it received the data. A callback must
 * not block (with the default it holds up the connection itself) and must not wait for one of
 * this client's futures.
 *
 * <p><b>Reconnecting.</b> The client reconnects after network failures, a link that went silent
 * (no data and no heartbeat for {@linkplain Builder#heartbeatTolerance tolerance} × the server's
 * heartbeat interval), and close codes that say "try again" (1001 going away, 1011, 1013, 4001
 * auth timeout, 4004 slow consumer, 4006 credential expired). It stops for good, with a
 * {@link ConnectionEvent.Closed} event, after a refusal that retrying cannot fix: failed
 * authentication (4002), connection limit (4007), request flood (4005), replaced by a newer
 * connection (4003), policy or protocol violations, a message too big (1009: requests are checked
 * against the server's {@code maxFrameBytes} first, restores split to fit), an upgrade refused
 * with HTTP 4xx other than 408 and 429 — or {@link #close()}. Given
 * {@linkplain Builder#alternateUris other servers of a cluster}, it tries them before giving up on
 * a refusal that is one server's own (4007, an HTTP 404). A server that drains or hands over sends
 * {@code reconnect}: the client leaves at the moment it names with a clean close (1000) and
 * reconnects — to the message's {@code url} if it is a {@code ws://} or {@code wss://} address
 * (later reconnects go there too, back to the configured address if it does not answer or refuses
 * the client), else to the same address (with alternates, to the next one). A client given a
 * {@code wss://} address ignores a {@code ws://} hint: its credentials stay on TLS.
 *
 * <p><b>Restoring.</b> On each new connection the wanted subscriptions are sent again in batches
 * (one per set of options): as many at once as the plan's {@code requestBurst} leaves after the
 * login, the rest paced at its {@code requestsPerSecond}, so a small burst does not refuse them; a batch the server answers {@code rate_limited} or {@code server_busy} is sent
 * again after the delay it asks for, on the same connection. Trade and quote streams resume after the
 * last message seen ({@code resumeFrom}); a trade stream on which no trade has arrived yet resumes
 * from the moment the server last accepted it ({@code since}, by this machine's clock: keep it in
 * sync), so its first trades are not lost to a break either.
 *
 * <p>Create one with {@link #builder(URI)}; close it when done.
 */
public final class TickwireClient implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final EventLoopGroup ownedGroup;
    private final EventLoop loop;
    private final ConnectionSupervisor supervisor;

    private TickwireClient(Builder b) {
        ClientOptions options = new ClientOptions(b.uri, List.copyOf(b.alternates), b.credentials, b.connectTimeout, b.reconnectMin,
                b.reconnectMax, b.heartbeatTolerance, b.callbackExecutor, b.maxFrameBytes, CLOSE_TIMEOUT, b.onQuote,
                b.onTrade, b.onBook, b.onBookResync, b.onBar, b.onGap, b.onConnectionEvent, b.inboundFrames);
        this.ownedGroup = b.eventLoopGroup == null
                ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tickwire-client", true), NioIoHandler.newFactory())
                : null;
        EventLoopGroup group = ownedGroup != null ? ownedGroup : b.eventLoopGroup;
        this.loop = group.next();
        this.supervisor = new ConnectionSupervisor(options, loop, b.clock, () -> {
            if (ownedGroup != null) {
                ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        });
    }

    /**
     * A builder for a client of the server at {@code uri}, e.g. {@code ws://127.0.0.1:8080/v1/ws}
     * ({@code wss://} for TLS).
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** {@link #builder(URI)} from a string. */
    public static Builder builder(String uri) {
        return new Builder(URI.create(uri));
    }

    /**
     * Starts connecting (the first call; later calls only return the same outcome).
     *
     * <p>The future completes when the client is first connected, authenticated and has subscribed
     * what was asked for so far. Until then, failed attempts are retried with backoff; the future fails
     * only when the client stops for good: with a {@link ServerErrorException} if the server
     * refused the credentials ({@code auth_failed}) or the connection ({@code connection_limit}),
     * with a {@link ConnectionException} for other refusals or if the client is closed first (or
     * already). To give up after a while, close the client. Each call returns a new future:
     * completing or timing one out does not affect the client.
     */
    public CompletableFuture<SessionInfo> connect() {
        CompletableFuture<SessionInfo> future = new CompletableFuture<>();
        onLoop(() -> supervisor.connect(future), future);
        return future;
    }

    /**
     * Subscribes to the symbols on the channels and keeps them subscribed across reconnects.
     * Subscribing to what is already subscribed is harmless. Symbols are case-insensitive.
     *
     * <p>The future completes with the server's answer: the streams it accepted and the symbols it
     * refused (for example {@code unknown_symbol}; those are not retried). It fails with a
     * {@link ServerErrorException} if the server refused the whole request (for example
     * {@code channel_not_allowed}, {@code symbol_limit}); nothing of it is then kept. Called before
     * the client is connected, the request waits and the future completes once the client has
     * connected. If the connection drops before the answer, the future fails with a
     * {@link ConnectionException}, but the subscription is kept and restored on reconnect. A request
     * larger than the server accepts in one message fails with an {@link IllegalArgumentException}
     * without being sent.
     *
     * @throws IllegalArgumentException if no symbol or no channel is given, or a symbol is blank
     */
    public CompletableFuture<SubscriptionResult> subscribe(Collection<String> symbols, Channel... channels) {
        return subscribe(symbols, SubscribeOptions.defaults(), channels);
    }

    /**
     * Subscribes with delivery options: book depth, throttle, bar periods and price types (see
     * {@link SubscribeOptions}); otherwise as {@link #subscribe(Collection, Channel...)}. The options
     * are kept with the streams and restored with them on reconnect. Subscribing again to a stream
     * with other options replaces it, as the server does: a book then starts again from a snapshot
     * at the new depth; bar streams are one per period and price type, so other periods add streams.
     *
     * <pre>{@code
     * client.subscribe(List.of("BTCUSDT"), SubscribeOptions.defaults().withDepth(10), Channel.BOOK).join();
     * BookView book = client.book("BTCUSDT"); // then read it from any thread
     * }</pre>
     *
     * @throws IllegalArgumentException if no symbol or no channel is given, or a symbol is blank
     */
    public CompletableFuture<SubscriptionResult> subscribe(Collection<String> symbols, SubscribeOptions options,
                                                           Channel... channels) {
        Objects.requireNonNull(options, "options");
        List<String> s = normalizeSymbols(symbols);
        List<Channel> c = normalizeChannels(channels);
        CompletableFuture<SubscriptionResult> future = new CompletableFuture<>();
        onLoop(() -> supervisor.subscribe(s, c, options, future), future);
        return future;
    }

    /**
     * The latest view of a subscribed book, or {@code null} if the symbol's book is not subscribed
     * or its first snapshot has not arrived. Check {@link BookView#inSync()}: while the book
     * resynchronises the view shows its last exact levels. Any thread; never blocks. With a
     * {@linkplain Builder#callbackExecutor callback executor} it may be newer than the view the
     * book listener is handling.
     */
    public BookView book(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        return supervisor.book(symbol);
    }

    /**
     * Stops the symbols on the channels; they are no longer restored on reconnect, and their
     * sequence tracking starts afresh if subscribed again. Messages already on their way may still
     * be delivered until the future completes, none after.
     *
     * <p>The future completes with the server's answer (streams it unsubscribed; items that were
     * not subscribed are listed as {@code not_subscribed}). While disconnected it completes at once,
     * since nothing is subscribed on any server then.
     *
     * @throws IllegalArgumentException if no symbol or no channel is given, or a symbol is blank
     */
    public CompletableFuture<SubscriptionResult> unsubscribe(Collection<String> symbols, Channel... channels) {
        List<String> s = normalizeSymbols(symbols);
        List<Channel> c = normalizeChannels(channels);
        CompletableFuture<SubscriptionResult> future = new CompletableFuture<>();
        onLoop(() -> supervisor.unsubscribe(s, c, future), future);
        return future;
    }

    /**
     * Measures the round trip to the server and back through its request path. Fails with a
     * {@link ConnectionException} when not connected.
     */
    public CompletableFuture<Duration> ping() {
        CompletableFuture<Duration> future = new CompletableFuture<>();
        onLoop(() -> supervisor.ping(future), future);
        return future;
    }

    /**
     * Market-data messages dropped so far because their sequence number had been seen before
     * (book messages included).
     */
    public long droppedDuplicates() {
        return supervisor.dropped();
    }

    /**
     * Closes the client: stops reconnecting, fails pending futures with a
     * {@link ConnectionException}, sends a WebSocket close (1000), waits briefly for the server's
     * answer, and releases the client's threads (not those of a group passed to the builder).
     * Blocks for at most a few seconds; called from a callback it returns at once and finishes in
     * the background. Idempotent.
     */
    @Override
    public void close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            loop.execute(() -> supervisor.close().whenComplete((v, e) -> closed.complete(null)));
        } catch (RejectedExecutionException alreadyStopped) {
            closed.complete(null);
        }
        if (loop.inEventLoop()) {
            return;
        }
        try {
            closed.get(CLOSE_TIMEOUT.toMillis() + TimeUnit.SECONDS.toMillis(SHUTDOWN_WAIT_SECONDS), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // timed out: release the threads anyway
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS)
                    .awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void onLoop(Runnable task, CompletableFuture<?> future) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new ConnectionException(1000, "the client is closed"));
        }
    }

    private static List<String> normalizeSymbols(Collection<String> symbols) {
        Objects.requireNonNull(symbols, "symbols");
        Set<String> out = new LinkedHashSet<>();
        for (String symbol : symbols) {
            if (symbol == null || symbol.isBlank()) {
                throw new IllegalArgumentException("blank symbol in " + symbols);
            }
            out.add(DesiredSubscriptions.normalize(symbol));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no symbols given");
        }
        return List.copyOf(out);
    }

    private static List<Channel> normalizeChannels(Channel... channels) {
        Objects.requireNonNull(channels, "channels");
        if (channels.length == 0) {
            throw new IllegalArgumentException("no channels given");
        }
        EnumSet<Channel> set = EnumSet.noneOf(Channel.class);
        for (Channel channel : channels) {
            set.add(Objects.requireNonNull(channel, "channel"));
        }
        return new ArrayList<>(set);
    }

    /**
     * Settings for a {@link TickwireClient}. Not thread-safe; build once and throw away. Only the
     * credentials are required.
     */
    public static final class Builder {

        private final URI uri;
        private final List<URI> alternates = new ArrayList<>();
        private Credentials credentials;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration reconnectMin = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(30);
        private int heartbeatTolerance = 3;
        private Executor callbackExecutor;
        private int maxFrameBytes = 1 << 20;
        private EventLoopGroup eventLoopGroup;
        /** For tests in this package: the clock JWTs are minted and credentials judged by. */
        private Clock clock = Clock.system();
        private Consumer<Quote> onQuote;
        private Consumer<Trade> onTrade;
        private Consumer<BookView> onBook;
        private Consumer<BookResync> onBookResync;
        private Consumer<Bar> onBar;
        private Consumer<Gap> onGap;
        private UnaryOperator<String> inboundFrames;
        private Consumer<ConnectionEvent> onConnectionEvent;

        private Builder(URI uri) {
            this.uri = checked(uri);
        }

        private static URI checked(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host in " + uri);
            }
            return uri;
        }

        /**
         * Other servers of the same cluster (gateways reading the same Kafka topic), for when the
         * first one is gone: a connection that drops reconnects to the server it was on first, and
         * each attempt that fails moves to the next address of the list (the builder's, then these,
         * round and round). A server that says it is leaving or overloaded is left for the next
         * address at once: a {@code reconnect} hint without a {@code url} (a draining gateway sends
         * one), a close with 1001 or 1013. Gateways of a cluster send the same trade and quote
         * numbers, so the streams resume where they left off. They must use the same scheme as the
         * builder's address ({@code wss://} stays {@code wss://}). Default: none.
         *
         * <p>A refusal that is one server's own does not end the client while another address may
         * take it: a connection limit (4007, {@code connection_limit}: a plan's
         * {@code maxConnections} is counted per server), an upgrade refused with an HTTP 4xx other
         * than 401, 403 and 407 (a path that server or its proxy does not serve, say), an HMAC
         * login whose timestamp is out of that server's window (its clock may be off), an
         * {@code internal_error} answer to the login. The client gives up, with that refusal, only
         * when every address has refused so in a row (anything else in between — a connection, an
         * address that does not answer — starts the count again). Refusals that every server of
         * the cluster would repeat end it at once, as without alternates: the credential's (4002
         * and its codes, {@code auth_failed} for an unknown token or account, an expired or invalid
         * JWT, a missing second factor, HTTP 401, 403, 407), and the account's and the client's
         * own doing (4003 replaced by a newer connection, 4005 request flood, protocol and policy
         * violations, 1000 for a session the server ended as done). Overload (1013, HTTP 429 and
         * 503) is never a refusal: the client retries, at the next address.
         */
        public Builder alternateUris(String... uris) {
            for (String text : uris) {
                URI alternate = checked(URI.create(text));
                if (!alternate.getScheme().equalsIgnoreCase(uri.getScheme())) {
                    throw new IllegalArgumentException("alternate " + alternate + " does not use " + uri.getScheme()
                            + ":// as " + uri + " does");
                }
                alternates.add(alternate);
            }
            return this;
        }

        /** How the client authenticates; required. */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * How long one attempt may take from opening the socket to being authenticated; an attempt
         * that takes longer is abandoned and retried. Default 10 s.
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Bounds of the delay before reconnecting: the n-th retry in a row waits a random time
         * between {@code min} and {@code min(max, min × 2ⁿ)}. A connection that stays up for
         * heartbeat tolerance × the heartbeat interval resets the count. Default 100 ms to 30 s.
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            positive(min, "min");
            positive(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is shorter than min " + min);
            }
            this.reconnectMin = min;
            this.reconnectMax = max;
            return this;
        }

        /**
         * How many heartbeat intervals (the server says how long one is) may pass without any
         * message before the link counts as dead and the client reconnects. Default 3.
         */
        public Builder heartbeatTolerance(int intervals) {
            if (intervals < 1) {
                throw new IllegalArgumentException("heartbeat tolerance must be at least 1, was " + intervals);
            }
            this.heartbeatTolerance = intervals;
            return this;
        }

        /**
         * Runs callbacks on this executor instead of the client's I/O thread; they still run one at
         * a time, in order. If callbacks fall far behind, the client stops reading from the socket
         * until they catch up, so the server sees a slow consumer rather than this process growing
         * its memory. A pause is bounded: unread, the server's pings go unanswered and its close
         * unseen, so after two heartbeat intervals the client leaves the connection
         * ({@link ConnectionEvent.Disconnected}, books out of sync), waits until the callbacks have
         * caught up and reconnects, resuming every stream. {@code null} restores the default (the
         * I/O thread).
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = executor;
            return this;
        }

        /** Largest message accepted from the server; bigger ones end the connection. Default 1 MiB. */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Runs the client on one loop of this NIO group (e.g. a {@code MultiThreadIoEventLoopGroup}
         * with {@code NioIoHandler}) instead of a thread of its own. The caller keeps owning the
         * group: {@link TickwireClient#close()} does not shut it down. {@link #build()} refuses a
         * group of another transport.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = group;
            return this;
        }

        /** Receives quotes, in sequence; snapshots included. */
        public Builder onQuote(Consumer<Quote> listener) {
            this.onQuote = listener;
            return this;
        }

        /** Receives trades, in sequence. */
        public Builder onTrade(Consumer<Trade> listener) {
            this.onTrade = listener;
            return this;
        }

        /**
         * Receives each new view of a local book: after every book message applied (snapshots
         * included), and when a book goes out of sync ({@link BookView#inSync()} false). Views are
         * immutable: keep them, hand them to other threads.
         */
        public Builder onBook(Consumer<BookView> listener) {
            this.onBook = listener;
            return this;
        }

        /**
         * Hears when a local book goes out of sync and why; the client resynchronises it by itself,
         * and the book listener hears when it is exact again.
         */
        public Builder onBookResync(Consumer<BookResync> listener) {
            this.onBookResync = listener;
            return this;
        }

        /** Receives bars, forming and closed, in sequence; snapshots included. */
        public Builder onBar(Consumer<Bar> listener) {
            this.onBar = listener;
            return this;
        }

        /**
         * For tests in this package: the clock JWTs are minted by and credential expiries judged
         * by (a test moves it to live through many token lifetimes in seconds).
         */
        Builder clock(Clock value) {
            this.clock = java.util.Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * For tests in this package: sees every inbound text frame before the client does and
         * returns it, possibly changed, or {@code null} to drop it, as a lossy link would. Runs on
         * the client's I/O thread.
         */
        Builder inboundFrames(UnaryOperator<String> filter) {
            this.inboundFrames = filter;
            return this;
        }

        /**
         * Receives gaps: breaks in a stream's sequence numbers, reported just before the message
         * after the gap, and losses the server announced. Without a listener, gaps are logged as
         * warnings.
         */
        public Builder onGap(Consumer<Gap> listener) {
            this.onGap = listener;
            return this;
        }

        /**
         * Receives connection changes (connecting, connected, disconnected, reconnecting, closed)
         * and stream events ({@link ConnectionEvent.Resumed}, {@link ConnectionEvent.StreamStatus}).
         */
        public Builder onConnectionEvent(Consumer<ConnectionEvent> listener) {
            this.onConnectionEvent = listener;
            return this;
        }

        /**
         * A client with these settings, not yet connected (see {@link TickwireClient#connect()}).
         *
         * @throws IllegalStateException if no credentials were given
         */
        public TickwireClient build() {
            if (credentials == null) {
                throw new IllegalStateException("credentials are required, e.g. Credentials.token(...)");
            }
            if (eventLoopGroup instanceof IoEventLoopGroup io && !io.isIoType(NioIoHandler.class)) {
                throw new IllegalStateException("the event loop group must use NIO (NioIoHandler)");
            }
            return new TickwireClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
