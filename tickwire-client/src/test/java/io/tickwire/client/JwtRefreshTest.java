package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.Scheme;
import io.tickwire.auth.SchemeAuthenticator;
import io.tickwire.auth.jwt.JwtKeys;
import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.auth.store.CredentialStore;
import io.tickwire.auth.store.MasterKey;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Side;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import io.tickwire.server.session.auth.ServerAuth;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A JWT session kept for 10 minutes of (injected) time with tokens that live 2 minutes: the
 * server warns ahead of each expiry, the SDK re-authenticates inside the connection, and no
 * trade is lost and no connection dropped.
 */
class JwtRefreshTest {

    private static final Plan PRO = new Plan("pro", 5, ConnectionPolicy.REJECT_NEW, 10,
            EnumSet.of(Channel.QUOTE, Channel.TRADE), 100, 100);

    /** The system clock shifted by a settable offset: epoch time jumps, elapsed time stays real (timers keep working). */
    private static final class ShiftedClock implements Clock {
        final AtomicLong offsetMicros = new AtomicLong();

        @Override
        public long epochMicros() {
            return Clock.system().epochMicros() + offsetMicros.get();
        }

        @Override
        public long monotonicNanos() {
            return Clock.system().monotonicNanos();
        }
    }

    @Test
    void aTwoMinuteJwtIsRenewedInTheConnectionForTenMinutesWithoutLosingATrade() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        KeyPair key = JwtKeys.generate(JwtKeys.ES256);
        MasterKey master = MasterKey.parse(MasterKey.generate());
        StoredCredentials credentials = StoredCredentials.EMPTY.with("desk", c -> c.withJwt(
                new StoredCredentials.StoredJwtKey("desk/ec", null, JwtKeys.toPem(key.getPublic()), null)));
        AccountDirectory directory = new AccountDirectory(new AccountDirectory.Configured(
                Map.of("desk", new Account("desk", PRO)), Map.of(), StoredCredentials.EMPTY),
                CredentialStore.inMemory(credentials), master);
        ServerAuth.Settings settings = new ServerAuth.Settings(List.of(Scheme.values()), "X-ZUMO-AUTH", "/.auth/login/aad",
                Duration.ofMinutes(2), Duration.ofHours(12), Duration.ofSeconds(30), 10, Duration.ofMinutes(1),
                Duration.ofMinutes(5));
        ServerAuth auth = new ServerAuth(new SchemeAuthenticator(directory, clock, SchemeAuthenticator.Settings.defaults()),
                directory, null, settings);
        InProcessBus bus = new InProcessBus(ServerFixture.CATALOG, clock, 1, 1 << 14);
        TickwireServer server = TickwireServer.start(ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                .heartbeatInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofSeconds(30)).build(),
                ServerFixture.CATALOG, bus, auth, clock);
        Recorder recorder = new Recorder();
        try (TickwireClient client = recorder.attach(TickwireClient.builder("ws://127.0.0.1:" + server.port() + "/v1/ws"))
                .credentials(Credentials.jwt("desk/ec", key.getPrivate())).clock(clock)
                .heartbeatTolerance(50) // 5 s without a heartbeat before the link counts as dead: a stalled machine is not a reconnect
                .build()) {
            client.connect().join();
            client.subscribe(List.of("BTCUSDT"), Channel.TRADE).join();
            int id = ServerFixture.CATALOG.find("BTCUSDT").id();
            double logins = jwtSuccesses(server);
            long lastLogin = clock.epochMicros();
            int trades = 0;
            for (int step = 1; step <= 30; step++) { // 30 steps of 20 s: 10 minutes
                clock.offsetMicros.addAndGet(20_000_000L);
                if (clock.epochMicros() - lastLogin > 90_000_000L) { // inside the 30 s warning: a renewal is due
                    double before = logins;
                    await().atMost(Duration.ofSeconds(10)).until(() -> jwtSuccesses(server) > before);
                    logins = jwtSuccesses(server);
                    lastLogin = clock.epochMicros();
                }
                bus.offer(new io.tickwire.model.Trade(id, 0, 0, 6_701_250 + step, 5, Side.BUY, 0));
                int expected = ++trades;
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.trades.size() == expected);
            }
            List<Long> seqs = recorder.tradeSeqs("BTCUSDT");
            assertThat(seqs).hasSize(30);
            for (int i = 0; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).isEqualTo(i + 1L);
            }
            assertThat(recorder.events(ConnectionEvent.Disconnected.class)).isEmpty(); // one connection throughout
            assertThat(recorder.events(ConnectionEvent.Connected.class)).hasSize(1);
            assertThat(jwtSuccesses(server)).isGreaterThanOrEqualTo(1 + 4); // the login and at least 4 renewals
        } finally {
            server.close();
            bus.close();
        }
    }

    private static double jwtSuccesses(TickwireServer server) {
        var counter = server.meters().find("tickwire.auth.attempts").tags("scheme", "jwt", "outcome", "success").counter();
        return counter == null ? 0 : counter.count();
    }
}
