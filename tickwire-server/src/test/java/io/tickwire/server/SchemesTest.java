package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.auth.hmac.HmacSignatures;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.model.Channel;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every scheme from the wire to the account, over real sockets, with the clock injected. */
class SchemesTest {

    private static final ServerConfig CONFIG = AuthFixture.QUIET;

    private final ManualClock clock = new ManualClock();
    private final AuthFixture fixture = new AuthFixture(clock);
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawWebSocketClient connect() {
        RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri());
        ServerMessage.Welcome welcome = client.expect(ServerMessage.Welcome.class);
        assertThat(welcome.authMethods()).containsExactly("token", "hmac", "jwt", "session");
        return client;
    }

    private String hmacLogin(String id, long timestamp, String secret) {
        return CommandWriter.authHmac(id, AuthFixture.HMAC_ID, AuthFixture.HMAC_KEY, timestamp,
                HmacSignatures.sign(timestamp, AuthFixture.HMAC_ID, AuthFixture.HMAC_KEY, secret));
    }

    @Test
    void hmacLoginIsAcceptedOnceAndRefusedWhenReplayedStaleOrWronglySigned() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        clock.advance(java.time.Duration.ofMinutes(1)); // signatures from before the start are refused (see below)
        long ts = clock.epochMillis() - 2_000;
        String login = hmacLogin("h1", ts, AuthFixture.HMAC_SECRET);
        try (RawWebSocketClient client = connect()) {
            client.send(login);
            ServerMessage.Authenticated ok = client.expect(ServerMessage.Authenticated.class);
            assertThat(ok.account()).isEqualTo("desk");
            assertThat(ok.scheme()).isEqualTo("hmac");
            assertThat(ok.expiresAt()).isEqualTo(-1);
        }
        assertRefused(login, ErrorCode.SIGNATURE_REPLAYED, 4002);
        // the same signature spelt otherwise in Base64 (no padding; the unused low bits of its last
        // character set) decodes to the same bytes: a replay too
        String signature = HmacSignatures.sign(ts, AuthFixture.HMAC_ID, AuthFixture.HMAC_KEY, AuthFixture.HMAC_SECRET);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char last = signature.charAt(signature.length() - 2);
        for (String respelt : List.of(signature.substring(0, signature.length() - 1),
                signature.substring(0, signature.length() - 2) + alphabet.charAt(alphabet.indexOf(last) ^ 1) + "=")) {
            assertRefused(CommandWriter.authHmac("h1", AuthFixture.HMAC_ID, AuthFixture.HMAC_KEY, ts, respelt),
                    ErrorCode.SIGNATURE_REPLAYED, 4002);
        }
        assertRefused(hmacLogin("h2", clock.epochMillis() - 31_000, AuthFixture.HMAC_SECRET), ErrorCode.TIMESTAMP_OUT_OF_WINDOW, 4002);
        assertRefused(hmacLogin("h3", clock.epochMillis(), "guessed"), ErrorCode.SIGNATURE_INVALID, 4002);
    }

    @Test
    void anHmacLoginSignedBeforeTheServerStartedIsRefusedSinceTheServerCannotKnowWhetherItWasUsed() {
        long signedBefore = clock.epochMillis();
        clock.advance(java.time.Duration.ofSeconds(1));
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        assertRefused(hmacLogin("h1", signedBefore, AuthFixture.HMAC_SECRET), ErrorCode.TIMESTAMP_OUT_OF_WINDOW, 4002);
        try (RawWebSocketClient client = connect()) {
            client.send(hmacLogin("h2", clock.epochMillis(), AuthFixture.HMAC_SECRET));
            assertThat(client.expect(ServerMessage.Authenticated.class).scheme()).isEqualTo("hmac");
        }
    }

    private void assertRefused(String request, ErrorCode code, int closeCode) {
        try (RawWebSocketClient client = connect()) {
            client.send(request);
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(code);
            assertThat(client.awaitClose().code()).isEqualTo(closeCode);
        }
    }

    @Test
    void twoFactorWaitsForAOneTimePasswordAcceptsItOnceAndResumesUntilExpiry() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        ServerMessage.TwoFactorGrant grant;
        String usedCode = fixture.totp(0);
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.auth("a", AuthFixture.SECURE_TOKEN));
            ServerMessage.TwoFactorRequired required = client.expect(ServerMessage.TwoFactorRequired.class);
            assertThat(required.id()).isEqualTo("a");
            assertThat(required.methods()).containsExactly("totp");
            client.send(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.QUOTE)));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.TWO_FACTOR_REQUIRED);
            client.send(CommandWriter.twoFactor("t1", "000000".equals(usedCode) ? "111111" : "000000"));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).as("a wrong code keeps the session waiting")
                    .isEqualTo(ErrorCode.TOTP_INVALID);
            client.send(CommandWriter.twoFactor("t2", usedCode));
            ServerMessage.Authenticated ok = client.expect(ServerMessage.Authenticated.class);
            assertThat(ok.id()).isEqualTo("t2");
            assertThat(ok.account()).isEqualTo("secure");
            grant = ok.twoFactor();
            assertThat(grant.expiresAt()).isEqualTo(clock.epochMicros() + Duration.ofHours(12).toNanos() / 1_000);
            client.send(CommandWriter.twoFactor("t3", usedCode));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.TWO_FACTOR_NOT_PENDING);
        }
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.auth("a", AuthFixture.SECURE_TOKEN));
            client.expect(ServerMessage.TwoFactorRequired.class);
            client.send(CommandWriter.twoFactor("reuse", usedCode));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.TOTP_REUSED);
            client.send(CommandWriter.twoFactorResume("r", grant.resumeToken()));
            ServerMessage.Authenticated resumed = client.expect(ServerMessage.Authenticated.class);
            assertThat(resumed.twoFactor().expiresAt()).as("resuming does not extend").isEqualTo(grant.expiresAt());
        }
        clock.advance(Duration.ofHours(12));
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.auth("a", AuthFixture.SECURE_TOKEN));
            client.expect(ServerMessage.TwoFactorRequired.class);
            client.send(CommandWriter.twoFactorResume("r", grant.resumeToken()));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.RESUME_INVALID);
            client.send(CommandWriter.twoFactor("t", fixture.totp(0)));
            assertThat(client.expect(ServerMessage.Authenticated.class).account()).isEqualTo("secure");
        }
    }

    @Test
    void jwtOnSubscribeLogsInThenRefreshesAndAnExpiredOneIsWarnedThenClosedWith4006() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.subscribe("s1", List.of("BTCUSDT"), List.of(Channel.TRADE), fixture.jwt(120)));
            ServerMessage.Authenticated ok = client.expect(ServerMessage.Authenticated.class);
            assertThat(ok.scheme()).isEqualTo("jwt");
            assertThat(ok.expiresAt()).as("exp plus the 5 s leeway").isEqualTo(clock.epochMicros() + 125_000_000L);
            assertThat(client.expect(ServerMessage.Subscribed.class).id()).isEqualTo("s1");

            clock.advance(Duration.ofSeconds(100)); // inside the 30 s warning
            client.send(CommandWriter.ping("p1", null));
            ServerMessage.CredentialExpiring warning = client.expect(ServerMessage.CredentialExpiring.class);
            assertThat(warning.expiresAt()).isEqualTo(ok.expiresAt());
            assertThat(warning.closeCode()).isEqualTo(4006);
            client.expect(ServerMessage.Pong.class);

            client.send(CommandWriter.authJwt("a2", fixture.jwt(120)));
            ServerMessage.Authenticated refreshed = client.expect(ServerMessage.Authenticated.class);
            assertThat(refreshed.refreshed()).isTrue();
            assertThat(refreshed.expiresAt()).isEqualTo(clock.epochMicros() + 125_000_000L);
            server.trade("BTCUSDT", 100);
            assertThat(client.expect(ServerMessage.Trade.class).symbol()).as("subscriptions survive the refresh").isEqualTo("BTCUSDT");

            client.send(CommandWriter.subscribe("s2", List.of("ETHUSDT"), List.of(Channel.TRADE), fixture.jwt(300)));
            assertThat(client.awaitMessage(ServerMessage.Error.class, e -> true).errorCode()).as("a bad JWT refuses the request, not the session")
                    .isEqualTo(ErrorCode.JWT_LIFETIME_TOO_LONG);

            clock.advance(Duration.ofSeconds(125));
            client.send(CommandWriter.ping("p2", null));
            assertThat(client.awaitMessage(ServerMessage.Error.class, e -> true).errorCode()).isEqualTo(ErrorCode.CREDENTIAL_EXPIRED);
            assertThat(client.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4006, CloseCode.CREDENTIAL_EXPIRED.reason()));
        }
        assertRefused(CommandWriter.authJwt("n", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."), ErrorCode.JWT_ALG_NOT_ALLOWED, 4002);
        assertRefused(CommandWriter.authJwt("n", fixture.jwt(121)), ErrorCode.JWT_LIFETIME_TOO_LONG, 4002);
    }

    @Test
    void aJwtAcceptedWithinTheLeewayAfterItsExpLivesUntilTheLeewayEndsNotClosedAtOnce() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        String jwt = fixture.jwt(60);
        long exp = clock.epochMicros() + 60_000_000L;
        clock.advance(Duration.ofSeconds(62)); // expired 2 s ago; the issuer's clock may be behind ours by the leeway
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.authJwt("a", jwt));
            ServerMessage.Authenticated ok = client.expect(ServerMessage.Authenticated.class);
            assertThat(ok.expiresAt()).as("exp plus the 5 s leeway").isEqualTo(exp + 5_000_000L);
            assertThat(client.expect(ServerMessage.CredentialExpiring.class).expiresAt()).isEqualTo(ok.expiresAt());
            client.send(CommandWriter.ping("p1", null));
            assertThat(client.expect(ServerMessage.Pong.class).id()).as("the session lives on").isEqualTo("p1");

            clock.advance(Duration.ofSeconds(3));
            client.send(CommandWriter.ping("p2", null));
            assertThat(client.awaitMessage(ServerMessage.Error.class, e -> true).errorCode()).isEqualTo(ErrorCode.CREDENTIAL_EXPIRED);
            assertThat(client.awaitClose().code()).isEqualTo(4006);
        }
    }

    @Test
    void jwtInTheAuthorizationHeaderAuthenticatesTheHandshake() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri(),
                Map.of("Authorization", "Bearer " + fixture.jwt(60)))) {
            assertThat(client.expect(ServerMessage.Welcome.class).account()).isEqualTo("desk");
            assertThat(client.expect(ServerMessage.Authenticated.class).scheme()).isEqualTo("jwt");
        }
    }

    @Test
    void tenFailuresBanTheAddressEvenForAGoodTokenAndAreCountedInMetrics() throws Exception {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        for (int i = 0; i < 10; i++) {
            assertRefused(CommandWriter.auth("x", "wrong-" + i), ErrorCode.AUTH_FAILED, 4002);
        }
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.auth("good", AuthFixture.DESK_TOKEN));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.TOO_MANY_FAILURES);
            assertThat(error.retryAfterMs()).isEqualTo(300_000);
            assertThat(client.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4009, CloseCode.TOO_MANY_FAILURES.reason()));
        }
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("tickwire_auth_attempts_total{outcome=\"failure\",reason=\"auth_failed\",scheme=\"token\"} 10.0")
                .contains("tickwire_auth_attempts_total{outcome=\"failure\",reason=\"too_many_failures\",scheme=\"token\"} 1.0")
                .doesNotContain("wrong-");
        clock.advance(Duration.ofMinutes(5));
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.auth("good", AuthFixture.DESK_TOKEN));
            assertThat(client.expect(ServerMessage.Authenticated.class).account()).as("the ban ends").isEqualTo("desk");
        }
    }

    @Test
    void planInstrumentSetsRejectSymbolsOutsideThemOneByOne() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.auth("a", AuthFixture.CRYPTO_TOKEN));
            ServerMessage.Authenticated ok = client.expect(ServerMessage.Authenticated.class);
            assertThat(ok.limits().instrumentSets()).containsExactly("crypto");
            assertThat(ok.limits().slowConsumer()).isEqualTo("conflate");
            client.send(CommandWriter.subscribe("s", List.of("BTCUSDT", "AAPL", "EURUSD"), List.of(Channel.QUOTE)));
            ServerMessage.Subscribed subscribed = client.expect(ServerMessage.Subscribed.class);
            assertThat(subscribed.subscriptions()).containsExactly(new ServerMessage.StreamRef("BTCUSDT", Channel.QUOTE));
            assertThat(subscribed.rejected()).extracting(ServerMessage.Rejection::symbol, ServerMessage.Rejection::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("AAPL", "not_entitled"),
                            org.assertj.core.groups.Tuple.tuple("EURUSD", "not_entitled"));
        }
    }

    @Test
    void revokingATokenClosesTheSessionsThatUseItAndTheEmailIsStoredOnTheAccount() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        try (RawWebSocketClient client = connect()) {
            client.send(CommandWriter.auth("a", AuthFixture.DESK_TOKEN));
            client.expect(ServerMessage.Authenticated.class);
            client.send(CommandWriter.registerEmail("e1", "not-an-address"));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.INVALID_FIELD);
            client.send(CommandWriter.registerEmail("e2", "desk-ops@example.com"));
            assertThat(client.expect(ServerMessage.EmailRegistered.class)).isEqualTo(new ServerMessage.EmailRegistered("e2", "desk-ops@example.com"));
            assertThat(fixture.directory.get().supportEmail("desk")).isEqualTo("desk-ops@example.com");

            String id = TokenHash.idOfStored(TokenHash.of(AuthFixture.DESK_TOKEN));
            fixture.directory.store().update(s -> s.with("desk", c -> c.without(id)));
            fixture.directory.reload(null);
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
            assertThat(client.awaitClose().code()).isEqualTo(4002);
        }
        await().untilAsserted(() -> assertThat(server.server.registry().connections("desk")).isZero());
    }
}
