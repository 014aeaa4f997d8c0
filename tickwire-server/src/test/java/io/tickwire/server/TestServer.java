package io.tickwire.server;

import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A real server on 127.0.0.1 and a free port with an in-process bus, a small catalogue and a few
 * accounts, for tests that talk to it over sockets. Tests publish events straight into the bus.
 */
final class TestServer implements AutoCloseable {

    static final String ALICE = "alice-token";
    static final String QUOTES_ONLY = "quotes-only-token";
    static final String SINGLE = "single-token";
    static final String REPLACING = "replacing-token";
    static final String CONFLATE = "conflate-token";

    static final Plan PRO = new Plan("pro", 50, ConnectionPolicy.REJECT_NEW, 3, EnumSet.allOf(Channel.class), 20, 40);
    static final Plan QUOTES = new Plan("quotes", 50, ConnectionPolicy.REJECT_NEW, 3, EnumSet.of(Channel.QUOTE), 20, 40);
    static final Plan ONE_REJECT = new Plan("one", 1, ConnectionPolicy.REJECT_NEW, 3, EnumSet.of(Channel.QUOTE, Channel.TRADE), 20, 40);
    static final Plan CONFLATING = new Plan("conflating", 50, ConnectionPolicy.REJECT_NEW, 3, EnumSet.allOf(Channel.class),
            20, 40, java.util.Set.of(), io.tickwire.auth.SlowConsumerPolicy.CONFLATE);
    static final Plan ONE_REPLACE = new Plan("one-replace", 1, ConnectionPolicy.REPLACE_OLDEST, 3, EnumSet.of(Channel.QUOTE, Channel.TRADE), 20, 40);

    static final InstrumentCatalog CATALOG = InstrumentCatalog.of(List.of(
            new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, "Bitcoin vs Tether", "BTC", "USDT", 2, 6, 50),
            new Instrument(0, "ETHUSDT", AssetClass.CRYPTO, "Ether vs Tether", "ETH", "USDT", 2, 4, 50),
            new Instrument(0, "EURUSD", AssetClass.FX, "Euro vs US Dollar", "EUR", "USD", 5, 0, 20),
            new Instrument(0, "AAPL", AssetClass.EQUITY, "Apple Inc.", "AAPL", "USD", 2, 0, 20),
            new Instrument(0, "MSFT", AssetClass.EQUITY, "Microsoft", "MSFT", "USD", 2, 0, 20)));

    final InProcessBus bus;
    final TickwireServer server;

    private TestServer(ServerConfig config, Clock clock, io.tickwire.server.session.auth.ServerAuth auth) {
        // A test that moves a manual clock by minutes (credential expiry, bans) is not about
        // staleness: its subscribed instruments, silent meanwhile, would get stale status messages
        // among the ones it expects. Staleness has tests of its own (startStaleAfter, the engine's).
        this(config, clock, auth, clock instanceof io.tickwire.testkit.ManualClock
                ? java.time.Duration.ofDays(365) : java.time.Duration.ofSeconds(30));
    }

    private TestServer(ServerConfig config, Clock clock, io.tickwire.server.session.auth.ServerAuth auth,
                       java.time.Duration staleAfter) {
        this(config, clock, auth, staleAfter, null);
    }

    private TestServer(ServerConfig config, Clock clock, io.tickwire.server.session.auth.ServerAuth auth,
                       java.time.Duration staleAfter, String holdReason) {
        this.bus = new InProcessBus(CATALOG, clock, 2, 1 << 14).staleAfter(staleAfter);
        io.tickwire.server.session.auth.ServerAuth serverAuth = auth != null ? auth
                : io.tickwire.server.session.auth.ServerAuth.of(tokens());
        this.server = holdReason == null ? TickwireServer.start(config, CATALOG, bus, serverAuth, clock)
                : TickwireServer.startHeld(config, CATALOG, bus, serverAuth, clock, io.tickwire.server.history.ServerHistory.NONE,
                        io.tickwire.model.reference.ReferenceData.derive(CATALOG, List.of(), List.of()), holdReason);
    }

    /** A server that admits no connection until {@code server.admitConnections()}. */
    static TestServer startHeld(String holdReason) {
        return new TestServer(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), Clock.system(), null,
                java.time.Duration.ofSeconds(30), holdReason);
    }

    private static TokenAuthenticator tokens() {
        return TokenAuthenticator.builder()
                .add(TokenHash.of(ALICE), new Account("alice", PRO))
                .add(TokenHash.of(QUOTES_ONLY), new Account("quoter", QUOTES))
                .add(TokenHash.of(SINGLE), new Account("single", ONE_REJECT))
                .add(TokenHash.of(REPLACING), new Account("replacing", ONE_REPLACE))
                .add(TokenHash.of(CONFLATE), new Account("conflater", CONFLATING))
                .build();
    }

    static TestServer start(ServerConfig config, Clock clock) {
        return new TestServer(config.withHost("127.0.0.1").withPort(0), clock, null);
    }

    /** A server authenticating with {@code auth} (every scheme, a directory, an exchange). */
    static TestServer start(ServerConfig config, Clock clock, io.tickwire.server.session.auth.ServerAuth auth) {
        return new TestServer(config.withHost("127.0.0.1").withPort(0), clock, auth);
    }

    /** A server whose instruments count as stale after {@code staleAfter} without an event. */
    static TestServer startStaleAfter(ServerConfig config, java.time.Duration staleAfter) {
        return new TestServer(config.withHost("127.0.0.1").withPort(0), Clock.system(), null, staleAfter);
    }

    static TestServer start() {
        return start(ServerConfig.defaults(), Clock.system());
    }

    URI nativeUri() {
        return URI.create("ws://127.0.0.1:" + server.port() + server.config().nativePath());
    }

    URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + server.port() + pathAndQuery);
    }

    /** A connection that has authenticated with the alice token in the handshake; welcome and authenticated consumed. */
    RawWebSocketClient connectAuthenticated(String token) {
        RawWebSocketClient client = RawWebSocketClient.connect(nativeUri(), Map.of("Authorization", "Bearer " + token));
        client.expect(io.tickwire.protocol.v1.ServerMessage.Welcome.class);
        client.expect(io.tickwire.protocol.v1.ServerMessage.Authenticated.class);
        return client;
    }

    void publish(MarketEvent event) {
        while (!bus.offer(event)) {
            Thread.onSpinWait();
        }
    }

    void quote(String symbol, long bid, long ask) {
        publish(new Quote(CATALOG.find(symbol).id(), 0, 0, bid, 100, ask, 200, 0, 0));
    }

    /** A book update: side, price, size triples ("bid"/"ask", long, long). */
    void book(String symbol, Object... changes) {
        io.tickwire.model.BookUpdate.Builder b = io.tickwire.model.BookUpdate.builder(CATALOG.find(symbol).id(), 0);
        for (int i = 0; i < changes.length; i += 3) {
            b.set("bid".equals(changes[i]) ? io.tickwire.model.BookSide.BID : io.tickwire.model.BookSide.ASK,
                    ((Number) changes[i + 1]).longValue(), ((Number) changes[i + 2]).longValue());
        }
        publish(b.build());
    }

    void trade(String symbol, long price) {
        publish(new Trade(CATALOG.find(symbol).id(), 0, 0, price, 5, Side.BUY, 0));
    }

    @Override
    public void close() {
        server.close();
        bus.close();
    }
}
