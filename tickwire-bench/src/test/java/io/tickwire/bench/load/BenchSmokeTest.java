package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.Account;
import io.tickwire.auth.Authenticator;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CI run of the load generator: the {@code smoke} preset (50 subscribers, 5 symbols, a few
 * seconds of open-loop publishing through {@code /v1/publish}) against a real server on a random
 * loopback port. It asserts correctness only — every trade reaches every subscriber, in order;
 * the latency figures are printed, never asserted.
 */
class BenchSmokeTest {

    private static final Plan PLAN = new Plan("bench", 100_000, ConnectionPolicy.REJECT_NEW, 100,
            EnumSet.allOf(Channel.class), 100, 200);

    private InProcessBus bus;
    private TickwireServer server;
    private List<String> symbols;

    @BeforeEach
    void start() {
        start(ServerConfig.defaults().toBuilder());
    }

    private void start(ServerConfig.Builder config) {
        InstrumentCatalog catalog = DefaultCatalog.load().instruments();
        symbols = catalog.all().stream().map(Instrument::symbol).toList();
        Authenticator auth = TokenAuthenticator.builder()
                .add(TokenHash.of("bench-token"), new Account("bench", PLAN))
                .add(TokenHash.of("bench-publisher-token"), new Account("publisher", PLAN))
                .build();
        bus = new InProcessBus(catalog, Clock.system(), 1, 65_536);
        server = TickwireServer.start(config.host("127.0.0.1").port(0).ioThreads(1)
                .publishers(List.of("publisher")).build(), catalog, bus, auth, Clock.system());
    }

    @AfterEach
    void stop() {
        server.close();
        bus.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyTradeReachesEverySubscriberInOrder() throws Exception {
        RunSettings smoke = Preset.SMOKE.settings(symbols, 1, 1, ProcessHandle.current().pid());
        Adapter adapter = new TickwireAdapter("127.0.0.1", server.port(), "bench-token", "bench-publisher-token");

        RunResult result = LoadRun.run(adapter, smoke, "smoke", false);
        ResultTable.print(List.of(result), System.out);

        long perSymbol = result.published() / smoke.symbols().size();
        assertThat(result.published()).isGreaterThan(0);
        assertThat(result.received()).as("every subscriber gets every trade of its symbols")
                .isEqualTo(perSymbol * smoke.symbols().size() * smoke.connections() * smoke.symbolsPerConnection()
                        / smoke.symbols().size());
        assertThat(result.lost()).isZero();
        assertThat(result.outOfOrder()).isZero();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void subscribersTurnedAwayByAdmissionControlComeBackAfterTheHint() throws Exception {
        stop();
        start(ServerConfig.defaults().toBuilder().admissionRate(25).admissionBurst(10)); // 50 subscribers: most wait
        RunSettings smoke = Preset.SMOKE.settings(symbols, 1, 1, ProcessHandle.current().pid());
        Adapter adapter = new TickwireAdapter("127.0.0.1", server.port(), "bench-token", "bench-publisher-token");

        RunResult result = LoadRun.run(adapter, smoke, "smoke", false);

        assertThat(result.correct()).isTrue();
        assertThat(result.received()).isEqualTo(result.published() * smoke.symbolsPerConnection() * smoke.connections()
                / smoke.symbols().size());
    }
}
