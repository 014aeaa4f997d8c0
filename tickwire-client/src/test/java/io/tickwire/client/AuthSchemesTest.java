package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.Scheme;
import io.tickwire.auth.SchemeAuthenticator;
import io.tickwire.auth.jwt.JwtKeys;
import io.tickwire.auth.oauth.AccessTokenValidator;
import io.tickwire.auth.oauth.OidcSettings;
import io.tickwire.auth.oauth.SessionExchange;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.auth.store.CredentialStore;
import io.tickwire.auth.store.MasterKey;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.auth.totp.Totp;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Side;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import io.tickwire.server.session.auth.ServerAuth;
import io.tickwire.testkit.OidcProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK with every scheme against a real server (and a real OpenID Connect provider). */
class AuthSchemesTest {

    private static final Plan PRO = new Plan("pro", 50, ConnectionPolicy.REJECT_NEW, 10, EnumSet.of(Channel.QUOTE, Channel.TRADE), 50, 100);
    private static final MasterKey MASTER = MasterKey.parse(MasterKey.generate());
    private static final KeyPair EC = JwtKeys.generate(JwtKeys.ES256);
    private static final KeyPair ED = JwtKeys.generate(JwtKeys.EDDSA);
    private static final byte[] SEED = Totp.newSeed();
    private static final byte[] ROAMER_SEED = Totp.newSeed();

    private static OidcProvider provider;
    private static InProcessBus bus;
    private static TickwireServer server;

    @BeforeAll
    static void start() {
        provider = OidcProvider.start();
        Map<String, Account> accounts = Map.of("desk", new Account("desk", PRO), "secure", new Account("secure", PRO),
                "corp", new Account("corp", PRO), "roamer", new Account("roamer", PRO));
        StoredCredentials credentials = StoredCredentials.EMPTY
                .with("desk", c -> c.withHmac(new StoredCredentials.StoredHmacKey("web-id", "web-key", MASTER.encrypt(
                                "web-secret".getBytes(StandardCharsets.UTF_8), AccountBook.hmacContext("desk", "web-id")), null))
                        .withJwt(new StoredCredentials.StoredJwtKey("desk/ec", null, JwtKeys.toPem(EC.getPublic()), null))
                        .withJwt(new StoredCredentials.StoredJwtKey("desk/ed", null, JwtKeys.toPem(ED.getPublic()), null)))
                .with("secure", c -> c.withToken(new StoredCredentials.StoredToken("tok-s", TokenHash.of("secure-token"), null))
                        .withTotp(new StoredCredentials.StoredTotp(MASTER.encrypt(SEED, AccountBook.totpContext("secure")), null)))
                .with("roamer", c -> c.withToken(new StoredCredentials.StoredToken("tok-r", TokenHash.of("roamer-token"), null))
                        .withTotp(new StoredCredentials.StoredTotp(MASTER.encrypt(ROAMER_SEED, AccountBook.totpContext("roamer")), null)));
        AccountDirectory directory = new AccountDirectory(new AccountDirectory.Configured(accounts,
                Map.of("corp", List.of("corp-client")), StoredCredentials.EMPTY), CredentialStore.inMemory(credentials), MASTER);
        Clock clock = Clock.system();
        OidcSettings oidc = new OidcSettings(provider.issuer("corp"), "tickwire", null, "sub", Duration.ofDays(30), null, null);
        // a warning window almost as long as a JWT lives: every request of a JWT session asks for a renewal
        ServerAuth.Settings settings = new ServerAuth.Settings(List.of(Scheme.values()), "X-ZUMO-AUTH", "/.auth/login/aad",
                Duration.ofMinutes(2), Duration.ofHours(12), Duration.ofSeconds(119), 10, Duration.ofMinutes(1), Duration.ofMinutes(5));
        ServerAuth auth = new ServerAuth(new SchemeAuthenticator(directory, clock, SchemeAuthenticator.Settings.defaults()),
                directory, new SessionExchange(new AccessTokenValidator(oidc, clock), directory, oidc, clock), settings);
        bus = new InProcessBus(ServerFixture.CATALOG, clock, 1, 1 << 14);
        server = TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), ServerFixture.CATALOG, bus, auth, clock);
    }

    @AfterAll
    static void stop() {
        server.close();
        bus.close();
        provider.close();
    }

    private static TickwireClient client(Credentials credentials, Recorder recorder) {
        return TickwireClient.builder("ws://127.0.0.1:" + server.port() + "/v1/ws").credentials(credentials)
                .onTrade(recorder.trades::add).onConnectionEvent(recorder.events::add).build();
    }

    private static void streamsTrades(Credentials credentials) throws Exception {
        Recorder recorder = new Recorder();
        try (TickwireClient client = client(credentials, recorder)) {
            client.connect().get(10, TimeUnit.SECONDS);
            client.subscribe(List.of("BTCUSDT"), Channel.TRADE).get(10, TimeUnit.SECONDS);
            int id = ServerFixture.CATALOG.find("BTCUSDT").id();
            // trades are published until one arrives: the subscription's activation races the first one
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                bus.offer(new io.tickwire.model.Trade(id, 0, 0, 6_701_250, 5, Side.BUY, 0));
                return !recorder.trades.isEmpty();
            });
        }
    }

    private static double successes(String scheme) {
        var counter = server.meters().find("tickwire.auth.attempts").tags("scheme", scheme, "outcome", "success").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void hmacSignsEachLogin() throws Exception {
        streamsTrades(Credentials.hmac("web-id", "web-key", "web-secret"));
        assertThatThrownBy(() -> client(Credentials.hmac("web-id", "web-key", "wrong"), new Recorder()).connect()
                .get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ServerErrorException.class).hasMessageContaining("signature_invalid");
    }

    @Test
    void jwtIsMintedPerConnectionAndSubscribeAndRenewedBeforeItExpires() throws Exception {
        double before = successes("jwt");
        try (TickwireClient client = client(Credentials.jwt("desk/ec", JwtKeys.toPem(EC.getPrivate())), new Recorder())) {
            client.connect().get(10, TimeUnit.SECONDS);
            client.subscribe(List.of("BTCUSDT"), Channel.TRADE).get(10, TimeUnit.SECONDS);
            // login + a JWT on the subscribe + at least one renewal asked for by the server's warning, which
            // comes 119 s before the session's end: exp plus the 5 s leeway, some 6 s after the JWT's nbf
            await().atMost(Duration.ofSeconds(30)).until(() -> successes("jwt") - before >= 3);
        }
        streamsTrades(Credentials.jwt("desk/ed", ED.getPrivate()));
        assertThatThrownBy(() -> client(Credentials.jwt("desk/ec", ED.getPrivate()), new Recorder()).connect()
                .get(10, TimeUnit.SECONDS)).hasMessageContaining("jwt_alg_not_allowed");
    }

    @Test
    void totpIsAskedOfTheSupplierWhenTheServerWantsASecondFactor() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        streamsTrades(Credentials.token("secure-token").withTotp(() -> {
            asked.incrementAndGet();
            return Totp.codeAt(SEED, System.currentTimeMillis());
        }));
        assertThat(asked).hasValue(1);
        assertThatThrownBy(() -> client(Credentials.token("secure-token"), new Recorder()).connect().get(10, TimeUnit.SECONDS))
                .hasMessageContaining("two_factor_required");
    }

    @Test
    void oauth2ExchangesAnAccessTokenAndConnectsWithTheSessionToken() throws Exception {
        URI exchange = URI.create("http://127.0.0.1:" + server.port() + "/.auth/login/aad");
        AtomicInteger fetched = new AtomicInteger();
        streamsTrades(Credentials.oauth2(exchange, () -> {
            fetched.incrementAndGet();
            return provider.clientCredentialsToken("corp", "corp-client", "tickwire");
        }));
        assertThat(fetched).hasValue(1);
        assertThat(successes("session")).isGreaterThanOrEqualTo(1);
        assertThatThrownBy(() -> client(Credentials.oauth2(exchange, () -> provider.clientCredentialsToken("corp", "stranger", "tickwire")),
                new Recorder()).connect().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ServerErrorException.class)
                .hasMessageContaining("auth_failed");
    }

    @Test
    void aReconnectSignsAFreshLoginAndResumesTheSecondFactorWithoutANewCode() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Recorder recorder = new Recorder();
        try (io.tickwire.testkit.TcpProxy proxy = io.tickwire.testkit.TcpProxy.start("127.0.0.1", server.port());
             TickwireClient client = TickwireClient.builder("ws://127.0.0.1:" + proxy.port() + "/v1/ws")
                     .credentials(Credentials.token("roamer-token").withTotp(() -> {
                         asked.incrementAndGet();
                         return Totp.codeAt(ROAMER_SEED, System.currentTimeMillis());
                     }))
                     .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                     .onConnectionEvent(recorder.events::add).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            double resumesBefore = successes("totp");
            proxy.cutAll();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count(ConnectionEvent.Connected.class) == 2);
            assertThat(asked).as("the verified second factor was resumed, no new code asked").hasValue(1);
            assertThat(successes("totp")).isEqualTo(resumesBefore + 1);
        }
    }

    @Test
    void credentialsNeverShowTheirSecrets() {
        assertThat(Credentials.hmac("id", "key", "topsecret").toString()).doesNotContain("topsecret");
        assertThat(Credentials.jwt("k", EC.getPrivate()).withTotp(() -> "123456").toString()).doesNotContain("123456")
                .contains("withTotp");
        assertThatThrownBy(() -> Credentials.jwt("k", "not a pem")).isInstanceOf(IllegalArgumentException.class);
    }
}
