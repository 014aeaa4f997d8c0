package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.hmac.HmacSignatures;
import io.tickwire.auth.token.TokenHash;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who a ban of failed logins hits, with the attacker on another address than the owner
 * ({@code 127.0.0.2} through an {@link OtherAddressRelay}; the owner on {@code 127.0.0.1}), over
 * real sockets: the attacker's address, and an account's one-time passwords; never the owner of a
 * key whose id the attacker knows. Wrong admin tokens count like failed logins.
 */
class FailedLoginBansTest {

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

    /** A connection from 127.0.0.1, welcome read. */
    private RawWebSocketClient connect() {
        RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri());
        client.expect(ServerMessage.Welcome.class);
        return client;
    }

    /** A connection from 127.0.0.2 through the relay, welcome read. */
    private RawWebSocketClient connectVia(OtherAddressRelay relay) {
        RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + relay.port()
                + server.server.config().nativePath()));
        client.expect(ServerMessage.Welcome.class);
        return client;
    }

    @Test
    void garbageHmacLoginsWithSomeoneElsesWebApiIdBanTheSendersAddressNotTheKeysOwner() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        try (OtherAddressRelay elsewhere = OtherAddressRelay.start(server.server.port())) {
            for (int i = 0; i < 10; i++) { // auth.maxFailures
                try (RawWebSocketClient attacker = connectVia(elsewhere)) {
                    attacker.send(CommandWriter.authHmac("g" + i, AuthFixture.HMAC_ID, AuthFixture.HMAC_KEY, clock.epochMillis(),
                            HmacSignatures.sign(clock.epochMillis(), AuthFixture.HMAC_ID, AuthFixture.HMAC_KEY, "guess-" + i)));
                    assertThat(attacker.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.SIGNATURE_INVALID);
                    assertThat(attacker.awaitClose().code()).isEqualTo(4002);
                }
            }
            try (RawWebSocketClient attacker = connectVia(elsewhere)) {
                attacker.send(CommandWriter.auth("t", AuthFixture.DESK_TOKEN));
                assertThat(attacker.expect(ServerMessage.Error.class).errorCode()).as("the sender's address is banned")
                        .isEqualTo(ErrorCode.TOO_MANY_FAILURES);
                assertThat(attacker.awaitClose().code()).isEqualTo(CloseCode.TOO_MANY_FAILURES.code());
            }
        }
        long ts = clock.epochMillis();
        try (RawWebSocketClient owner = connect()) {
            owner.send(CommandWriter.authHmac("h", AuthFixture.HMAC_ID, AuthFixture.HMAC_KEY, ts,
                    HmacSignatures.sign(ts, AuthFixture.HMAC_ID, AuthFixture.HMAC_KEY, AuthFixture.HMAC_SECRET)));
            ServerMessage.Authenticated ok = owner.expect(ServerMessage.Authenticated.class);
            assertThat(ok.account()).as("the key's owner logs in from their own address").isEqualTo("desk");
            assertThat(ok.scheme()).isEqualTo("hmac");
        }
    }

    @Test
    void wrongOneTimePasswordsFromSeveralAddressesStillBanTheAccountsSecondFactorEverywhere() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        String wrong = Stream.of("000000", "111111", "222222", "333333")
                .filter(c -> !List.of(fixture.totp(-1), fixture.totp(0), fixture.totp(1)).contains(c)).findFirst().orElseThrow();
        int guesses = 0;
        try (OtherAddressRelay elsewhere = OtherAddressRelay.start(server.server.port())) {
            for (boolean relayed : List.of(true, false)) { // five from each address: neither reaches the ban
                try (RawWebSocketClient guesser = relayed ? connectVia(elsewhere) : connect()) {
                    guesser.send(CommandWriter.auth("a", AuthFixture.SECURE_TOKEN));
                    guesser.expect(ServerMessage.TwoFactorRequired.class);
                    for (int i = 0; i < 5; i++) {
                        guesser.send(CommandWriter.twoFactor("t" + i, wrong));
                        guesses++;
                        assertThat(guesser.expect(ServerMessage.Error.class).errorCode()).isEqualTo(guesses < 10
                                ? ErrorCode.TOTP_INVALID : ErrorCode.TOO_MANY_FAILURES);
                    }
                }
            }
        }
        try (RawWebSocketClient owner = connect()) {
            owner.send(CommandWriter.auth("a", AuthFixture.SECURE_TOKEN));
            owner.expect(ServerMessage.TwoFactorRequired.class);
            owner.send(CommandWriter.twoFactor("t", fixture.totp(0)));
            ServerMessage.Error error = owner.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).as("even the right code, from an address that is not banned")
                    .isEqualTo(ErrorCode.TOO_MANY_FAILURES);
            assertThat(error.retryAfterMs()).isEqualTo(300_000);
            assertThat(owner.awaitClose().code()).isEqualTo(CloseCode.TOO_MANY_FAILURES.code());
        }
    }

    @Test
    void wrongAdminTokensBanTheAddressLikeFailedLoginsWith429AndRetryAfter() throws Exception {
        server = TestServer.start(CONFIG.toBuilder().adminTokenHash(TokenHash.of("the-admin")).build(), clock,
                fixture.serverAuth(null));
        HttpClient local = HttpClient.newHttpClient();
        for (int i = 0; i < 10; i++) { // auth.maxFailures
            HttpResponse<String> wrong = handover(local, server.server.port(), "guess-" + i);
            assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
        }
        HttpResponse<String> banned = handover(local, server.server.port(), "the-admin");
        assertThat(banned.statusCode()).as("even the right token, while the ban lasts").isEqualTo(429);
        assertThat(banned.headers().firstValue("Retry-After")).hasValue("300");
        assertThat(banned.body()).contains("\"error\":\"too_many_failures\"").contains("\"retryAfterMs\":300000");
        try (OtherAddressRelay elsewhere = OtherAddressRelay.start(server.server.port())) {
            assertThat(handover(local, elsewhere.port(), "the-admin").statusCode()).as("another address is not banned")
                    .isEqualTo(202);
        }
        clock.advance(Duration.ofMinutes(5));
        assertThat(handover(local, server.server.port(), "the-admin").statusCode()).as("the ban ends").isEqualTo(202);
    }

    /** POST /admin/handover through {@code port}: the server's own, or a relay's from another address. */
    private static HttpResponse<String> handover(HttpClient http, int port, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/handover?spreadMs=0"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
