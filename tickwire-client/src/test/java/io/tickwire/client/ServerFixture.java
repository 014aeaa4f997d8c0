package io.tickwire.client;

import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.AssetClass;
import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Side;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A real Tickwire server on 127.0.0.1 and a free port, with an in-process bus, a small catalogue
 * and a few accounts. Tests publish events straight into the bus and can restart the server on
 * the same port. Not thread-safe: driven by the test thread.
 */
final class ServerFixture implements AutoCloseable {

    static final String ALICE = "alice-token";
    static final String QUOTES_ONLY = "quotes-only-token";
    static final String SINGLE = "single-token";
    /** A plan whose request budget is 2 a second with a burst of 3: fewer than a few restore batches. */
    static final String TINY = "tiny-token";
    /** A plan of 1 request a second with a burst of 10. */
    static final String BURSTY = "bursty-token";

    static final Plan PRO = new Plan("pro", 50, ConnectionPolicy.REJECT_NEW, 10, EnumSet.allOf(Channel.class), 50, 100);
    static final Plan QUOTES = new Plan("quotes", 50, ConnectionPolicy.REJECT_NEW, 10, EnumSet.of(Channel.QUOTE), 50, 100);
    static final Plan TINY_BUDGET = new Plan("tiny", 5, ConnectionPolicy.REJECT_NEW, 10, EnumSet.allOf(Channel.class), 2, 3);
    static final Plan BURSTY_BUDGET = new Plan("bursty", 5, ConnectionPolicy.REJECT_NEW, 10, EnumSet.allOf(Channel.class), 1, 10);
    static final Plan ONE = new Plan("one", 1, ConnectionPolicy.REJECT_NEW, 10, EnumSet.of(Channel.QUOTE, Channel.TRADE), 50, 100);

    /** Ids 0 and 2 (BTCUSDT, EURUSD) share a partition of a two-partition bus, so their events keep their order. */
    static final InstrumentCatalog CATALOG = InstrumentCatalog.of(List.of(
            new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, "Bitcoin vs Tether", "BTC", "USDT", 2, 6, 50),
            new Instrument(0, "ETHUSDT", AssetClass.CRYPTO, "Ether vs Tether", "ETH", "USDT", 2, 4, 50),
            new Instrument(0, "EURUSD", AssetClass.FX, "Euro vs US Dollar", "EUR", "USD", 5, 0, 20),
            new Instrument(0, "AAPL", AssetClass.EQUITY, "Apple Inc.", "AAPL", "USD", 2, 0, 20)));

    private final ServerConfig config;
    private final TokenAuthenticator authenticator;
    private InProcessBus bus;
    private TickwireServer server;

    private ServerFixture(ServerConfig config) {
        this.authenticator = TokenAuthenticator.builder()
                .add(TokenHash.of(ALICE), new Account("alice", PRO))
                .add(TokenHash.of(QUOTES_ONLY), new Account("quoter", QUOTES))
                .add(TokenHash.of(SINGLE), new Account("single", ONE))
                .add(TokenHash.of(TINY), new Account("tiny", TINY_BUDGET))
                .add(TokenHash.of(BURSTY), new Account("bursty", BURSTY_BUDGET))
                .build();
        this.bus = new InProcessBus(CATALOG, Clock.system(), 2, 1 << 14);
        this.server = TickwireServer.start(config, CATALOG, bus, authenticator, Clock.system());
        this.config = config.withPort(server.port());
    }

    static ServerFixture start() {
        return new ServerFixture(ServerConfig.defaults().withHost("127.0.0.1").withPort(0));
    }

    /** A server that sends a heartbeat every {@code heartbeat}. */
    static ServerFixture start(Duration heartbeat) {
        return new ServerFixture(ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                .heartbeatInterval(heartbeat).idleTimeout(heartbeat.multipliedBy(100)).build());
    }

    /**
     * A server with one event loop whose fan-out outbox holds only {@code outboxCapacity} items, so
     * a test that stalls the loop makes the server lose updates (and send {@code gap} messages).
     */
    static ServerFixture startWithSmallOutbox(int outboxCapacity) {
        return new ServerFixture(ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0).ioThreads(1)
                .outboxCapacity(outboxCapacity).build());
    }

    int port() {
        return config.port();
    }

    URI uri() {
        return uri(port());
    }

    /** The native endpoint on another port (a proxy's, say). */
    URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + config.nativePath());
    }

    TickwireServer server() {
        return server;
    }

    /**
     * Stops the server and its bus (connected clients get 1001), then starts new ones on the same
     * port. The new bus numbers every stream from 1 again and knows no last values.
     */
    void restart() {
        server.close();
        bus.close();
        bus = new InProcessBus(CATALOG, Clock.system(), 2, 1 << 14);
        server = TickwireServer.start(config, CATALOG, bus, authenticator, Clock.system());
    }

    void publish(MarketEvent event) {
        while (!bus.offer(event)) {
            Thread.onSpinWait();
        }
    }

    /** A quote with bid size 100 and ask size 200 (scaled), no last price, no volume. */
    void quote(String symbol, long bid, long ask) {
        publish(new io.tickwire.model.Quote(CATALOG.find(symbol).id(), 0, 0, bid, 100, ask, 200, 0, 0));
    }

    /** A book update of a symbol; prices and sizes scaled, size 0 removing a level. */
    void book(String symbol, boolean replace, List<long[]> changes) {
        BookUpdate.Builder b = BookUpdate.builder(CATALOG.find(symbol).id(), 0);
        if (replace) {
            b.replace();
        }
        for (long[] c : changes) { // {bid ? 0 : 1, price, size}
            b.set(c[0] == 0 ? BookSide.BID : BookSide.ASK, c[1], c[2]);
        }
        publish(b.build());
    }

    /** A trade at an event time (microseconds since the epoch), size 5 (scaled). */
    void trade(String symbol, long price, long eventTimeMicros) {
        publish(new io.tickwire.model.Trade(CATALOG.find(symbol).id(), 0, eventTimeMicros, price, 5, Side.BUY, 0));
    }

    /** A buy of size 5 (scaled). */
    void trade(String symbol, long price) {
        publish(new io.tickwire.model.Trade(CATALOG.find(symbol).id(), 0, 0, price, 5, Side.BUY, 0));
    }

    /**
     * A raw connection straight to the server, authenticated and subscribed, to see what the
     * server sequenced independently of the client under test.
     */
    RawWebSocketClient observer(List<String> symbols, List<Channel> channels) {
        RawWebSocketClient raw = RawWebSocketClient.connect(uri(), Map.of("Authorization", "Bearer " + ALICE));
        raw.expect(ServerMessage.Welcome.class);
        raw.expect(ServerMessage.Authenticated.class);
        raw.send(CommandWriter.subscribe("observe", symbols, channels));
        raw.expect(ServerMessage.Subscribed.class);
        return raw;
    }

    @Override
    public void close() {
        server.close();
        bus.close();
    }
}
