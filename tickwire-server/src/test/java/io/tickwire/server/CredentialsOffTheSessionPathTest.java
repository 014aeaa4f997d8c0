package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.model.Channel;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A credential binds a publisher connection and a REST request as it binds a session: an account
 * that needs a second factor gets nothing with the first alone, and a publisher's revoked or
 * expired credential ends its connection.
 */
class CredentialsOffTheSessionPathTest {

    private static final ServerConfig CONFIG = AuthFixture.QUIET.toBuilder().publishers(List.of("desk", "secure")).build();

    private final ManualClock clock = new ManualClock();
    private final AuthFixture fixture = new AuthFixture(clock);
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawWebSocketClient publisher(String credential) {
        return RawWebSocketClient.connect(server.uri("/v1/publish"), Map.of("Authorization", "Bearer " + credential));
    }

    @Test
    void aPublisherWhoseAccountNeedsASecondFactorIsRefused() {
        try (RawWebSocketClient publisher = publisher(AuthFixture.SECURE_TOKEN)) {
            assertThat(publisher.awaitMessage(ServerMessage.Error.class, e -> true).errorCode()).isEqualTo(ErrorCode.TWO_FACTOR_REQUIRED);
            assertThat(publisher.awaitClose().code()).isEqualTo(4002);
        }
    }

    @Test
    void revokingAPublishersTokenClosesItsConnection() {
        try (RawWebSocketClient subscriber = server.connectAuthenticated(AuthFixture.CRYPTO_TOKEN);
             RawWebSocketClient publisher = publisher(AuthFixture.DESK_TOKEN)) {
            subscriber.send(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.TRADE)));
            subscriber.expect(ServerMessage.Subscribed.class);
            publisher.send("{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"1\",\"size\":\"1\",\"side\":\"buy\"}");
            subscriber.awaitMessage(ServerMessage.Trade.class, t -> true); // the publisher is in
            publisher.expect(ServerMessage.Publishing.class);
            String id = TokenHash.idOfStored(TokenHash.of(AuthFixture.DESK_TOKEN));
            fixture.directory.store().update(s -> s.with("desk", c -> c.without(id)));
            fixture.directory.reload(null);
            assertThat(publisher.awaitMessage(ServerMessage.Error.class, e -> true).errorCode()).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
            assertThat(publisher.awaitClose().code()).isEqualTo(4002);
        }
    }

    @Test
    void aPublishersExpiredJwtClosesItsConnection() {
        try (RawWebSocketClient subscriber = server.connectAuthenticated(AuthFixture.DESK_TOKEN);
             RawWebSocketClient publisher = publisher(fixture.jwt(60))) {
            subscriber.send(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.TRADE)));
            subscriber.expect(ServerMessage.Subscribed.class);
            publisher.send("{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"1\",\"size\":\"1\",\"side\":\"buy\"}");
            subscriber.awaitMessage(ServerMessage.Trade.class, t -> true); // the publisher is in, with its JWT still valid
            publisher.expect(ServerMessage.Publishing.class);
            clock.advance(Duration.ofMinutes(2));
            // the next frame finds the credential expired (a timer would too, at the real expiry time)
            publisher.send("{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"1\",\"size\":\"1\",\"side\":\"buy\"}");
            ServerMessage.Error expired = publisher.awaitMessage(ServerMessage.Error.class, e -> true);
            assertThat(expired.errorCode()).as(expired.message()).isEqualTo(ErrorCode.CREDENTIAL_EXPIRED);
            assertThat(publisher.awaitClose().code()).isEqualTo(4006);
        }
    }

    @Test
    void restHistoryAndInstrumentsRefuseTheFirstFactorOfAnAccountThatNeedsASecond() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/v1/history/trades?symbol=BTCUSDT&from=0", "/v1/instruments")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.server.port() + path)).header("Authorization", "Bearer " + AuthFixture.SECURE_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            JsonNode body = HistoryFixture.json(response.body());
            assertThat(body.path("error").asText()).isEqualTo("two_factor_required");
        }
        // the account's own second-factor-free sibling is served
        HttpResponse<String> desk = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.port()
                + "/v1/instruments")).header("Authorization", "Bearer " + AuthFixture.DESK_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(desk.statusCode()).as(desk.body()).isEqualTo(200);
    }
}
