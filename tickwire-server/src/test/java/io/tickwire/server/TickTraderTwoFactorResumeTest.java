package io.tickwire.server;

import static io.tickwire.server.dialect.SeedShapes.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickwire.auth.hmac.HmacSignatures;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.Clock;
import io.tickwire.protocol.CloseCode;
import io.tickwire.server.session.auth.ServerAuth;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TickTrader two-factor resume (seed 004's {@code TwoFactor} without params) never lets the
 * first factor alone through: a resume needs the device and application session of a login that
 * gave the one-time password, from the address that gave it. Each test has a server of its own,
 * so each may spend the current one-time password once.
 */
@Timeout(60)
class TickTraderTwoFactorResumeTest {

    private static final String NO_RESUME = "No two-factor token to resume for this device and application session";

    private final AuthFixture fixture = new AuthFixture(Clock.system());
    private InProcessBus bus;
    private TickwireServer server;
    private long nextTimestamp;

    @BeforeEach
    void start() {
        bus = new InProcessBus(TestServer.CATALOG, Clock.system(), 1, 1 << 10);
        server = TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), TestServer.CATALOG, bus,
                fixture.serverAuth(null), Clock.system());
        nextTimestamp = System.currentTimeMillis(); // nothing signed before the server started is accepted
    }

    @AfterEach
    void stop() {
        server.close();
        bus.close();
    }

    private URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ticktrader");
    }

    /** Logs the guarded account in (HMAC, a fresh signature each time) and reads both answers: the second factor is due. */
    private RawWebSocketClient loginAwaitingTwoFactor(int port, String deviceAndSession) {
        RawWebSocketClient client = RawWebSocketClient.connect(uri(port));
        long timestamp = ++nextTimestamp;
        client.send("{\"Id\":\"l\",\"Request\":\"Login\",\"Params\":{\"AuthType\":\"HMAC\",\"WebApiId\":\"" + AuthFixture.GUARDED_ID
                + "\",\"WebApiKey\":\"" + AuthFixture.GUARDED_KEY + "\",\"Timestamp\":" + timestamp + ",\"Signature\":\""
                + HmacSignatures.sign(timestamp, AuthFixture.GUARDED_ID, AuthFixture.GUARDED_KEY, AuthFixture.GUARDED_SECRET)
                + "\"" + deviceAndSession + "}}");
        assertThat(parse(client.nextText()).path("Result").path("TwoFactorFlag").asBoolean()).isTrue();
        assertThat(parse(client.nextText()).path("Result").path("Info").asText()).isEqualTo("Two-factor authentication is required.");
        return client;
    }

    private static JsonNode request(RawWebSocketClient client, String json) {
        client.send(json);
        return parse(client.nextText());
    }

    private static final String FEED_SUBSCRIBE = "{\"Id\":\"f\",\"Request\":\"FeedSubscribe\",\"Params\":{\"Subscribe\":"
            + "[{\"Symbol\":\"EURUSD\",\"BookDepth\":1}]}}";

    /** Passes the second factor with the current one-time password; the grant's expiry. */
    private long giveOneTimePassword(RawWebSocketClient client) {
        JsonNode ok = request(client, "{\"Id\":\"t\",\"Request\":\"TwoFactor\",\"Params\":{\"OneTimePassword\":\""
                + fixture.totp(0) + "\"}}");
        assertThat(ok.path("Result").path("Info").asText()).as(ok.toString()).isEqualTo("Success");
        return ok.path("Result").path("ExpireTime").asLong();
    }

    @Test
    void aResumeFromAnotherAddressWithOnlyTheFirstFactorIsRefusedAndTheOwnersResumeStillWorks() {
        String device = ",\"DeviceId\":\"WebBrowser\",\"AppSessionId\":\"123\"";
        long expires;
        try (RawWebSocketClient owner = loginAwaitingTwoFactor(server.port(), device)) {
            expires = giveOneTimePassword(owner);
        }
        // someone elsewhere with the HMAC key and the seed sample's device ids, but no one-time password
        try (OtherAddressRelay elsewhere = OtherAddressRelay.start(server.port());
             RawWebSocketClient intruder = loginAwaitingTwoFactor(elsewhere.port(), device)) {
            JsonNode resume = request(intruder, "{\"Id\":\"r\",\"Request\":\"TwoFactor\"}");
            assertThat(resume.path("Response").asText()).as(resume.toString()).isEqualTo("Error");
            assertThat(resume.path("Error").asText()).isEqualTo(NO_RESUME);
            JsonNode subscribe = request(intruder, FEED_SUBSCRIBE);
            assertThat(subscribe.path("Error").asText()).as(subscribe.toString()).isEqualTo("Two-factor authentication is required.");
        }
        // the owner's device, from the owner's address, still resumes the grant with its expiry
        try (RawWebSocketClient owner = loginAwaitingTwoFactor(server.port(), device)) {
            JsonNode resume = request(owner, "{\"Id\":\"r\",\"Request\":\"TwoFactor\"}");
            assertThat(resume.path("Result").path("Info").asText()).as(resume.toString()).isEqualTo("Success");
            assertThat(resume.path("Result").path("ExpireTime").asLong()).isEqualTo(expires);
            assertThat(request(owner, FEED_SUBSCRIBE).path("Response").asText()).isEqualTo("FeedSubscribe");
        }
    }

    @Test
    void aLoginWithoutDeviceAndApplicationSessionLeavesNothingToResume() {
        try (RawWebSocketClient owner = loginAwaitingTwoFactor(server.port(), "")) { // the ids are optional in a Login
            giveOneTimePassword(owner);
        }
        // the same address, the first factor only, no ids (or empty ones): nothing to resume
        for (String ids : new String[] {"", ",\"DeviceId\":\"\",\"AppSessionId\":\"\""}) {
            try (RawWebSocketClient other = loginAwaitingTwoFactor(server.port(), ids)) {
                JsonNode resume = request(other, "{\"Id\":\"r\",\"Request\":\"TwoFactor\"}");
                assertThat(resume.path("Error").asText()).as(resume.toString()).isEqualTo(NO_RESUME);
                assertThat(request(other, FEED_SUBSCRIBE).path("Error").asText()).isEqualTo("Two-factor authentication is required.");
            }
        }
    }

    @Test
    void guessingTheDeviceAndApplicationSessionCountsAsFailedSecondFactorsUntilABan() {
        try (RawWebSocketClient owner = loginAwaitingTwoFactor(server.port(), ",\"DeviceId\":\"phone-7f3a\",\"AppSessionId\":\"s-91\"")) {
            giveOneTimePassword(owner);
        }
        // someone on the owner's address (behind the same NAT) with the HMAC key guesses the ids
        int maxFailures = ServerAuth.Settings.defaults().maxFailures();
        for (int guess = 1; guess <= maxFailures; guess++) {
            try (RawWebSocketClient guesser = loginAwaitingTwoFactor(server.port(),
                    ",\"DeviceId\":\"phone-7f3a\",\"AppSessionId\":\"s-" + guess + "\"")) {
                JsonNode resume = request(guesser, "{\"Id\":\"r\",\"Request\":\"TwoFactor\"}");
                if (guess < maxFailures) {
                    assertThat(resume.path("Error").asText()).as(resume.toString()).isEqualTo(NO_RESUME);
                    assertThat(guesser.isOpen()).isTrue();
                } else {
                    assertThat(resume.path("Error").asText()).as(resume.toString()).startsWith("too many failed authentication attempts");
                    assertThat(guesser.awaitClose().code()).isEqualTo(CloseCode.TOO_MANY_FAILURES.code());
                }
            }
        }
    }
}
