package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticationTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void welcomeSaysHowToAuthenticateThenAuthMessageAuthenticates() {
        server = TestServer.start();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri())) {
            ServerMessage.Welcome welcome = client.expect(ServerMessage.Welcome.class);
            assertThat(welcome.authenticated()).isFalse();
            assertThat(welcome.authMethods()).containsExactly("token");
            assertThat(welcome.authDeadlineMs()).isEqualTo(10_000);
            assertThat(welcome.session()).hasSize(24);
            assertThat(welcome.version()).isNotBlank();
            assertThat(welcome.maxFrameBytes()).isEqualTo(65_536);

            client.send(CommandWriter.auth("a1", TestServer.ALICE));
            ServerMessage.Authenticated ok = client.expect(ServerMessage.Authenticated.class);
            assertThat(ok.id()).isEqualTo("a1");
            assertThat(ok.account()).isEqualTo("alice");
            assertThat(ok.plan()).isEqualTo("pro");
            assertThat(ok.limits().maxSymbols()).isEqualTo(3);
            assertThat(server.server.registry().connections("alice")).isEqualTo(1);
        }
    }

    @Test
    void handshakeAcceptsBearerHeaderTokenHeaderAndQueryParameter() {
        server = TestServer.start();
        for (var headers : new Object[][] {
                {server.nativeUri(), Map.of("Authorization", "Bearer " + TestServer.ALICE)},
                {server.nativeUri(), Map.of("token", TestServer.ALICE)},
                {server.uri("/v1/ws?token=" + TestServer.ALICE), Map.of()}}) {
            @SuppressWarnings("unchecked")
            Map<String, String> h = (Map<String, String>) headers[1];
            try (RawWebSocketClient client = RawWebSocketClient.connect((java.net.URI) headers[0], h)) {
                ServerMessage.Welcome welcome = client.expect(ServerMessage.Welcome.class);
                assertThat(welcome.authenticated()).as("%s", headers[1]).isTrue();
                assertThat(welcome.account()).isEqualTo("alice");
                assertThat(client.expect(ServerMessage.Authenticated.class).id()).isNull();
            }
        }
    }

    @Test
    void shouldCloseWith4002AfterAnErrorForAWrongToken() {
        server = TestServer.start();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri())) {
            client.expect(ServerMessage.Welcome.class);
            client.send(CommandWriter.auth("x", "not-a-token"));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.id()).isEqualTo("x");
            assertThat(error.errorCode()).isEqualTo(ErrorCode.AUTH_FAILED);
            assertThat(error.message()).doesNotContain("not-a-token");
            assertThat(client.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4002, CloseCode.AUTH_FAILED.reason()));
        }
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri(), Map.of("token", "wrong"))) {
            assertThat(client.expect(ServerMessage.Welcome.class).authenticated()).isFalse();
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.AUTH_FAILED);
            assertThat(client.awaitClose().code()).isEqualTo(4002);
        }
    }

    @Test
    void shouldCloseWith4001WhenNotAuthenticatedBeforeTheDeadline() {
        server = TestServer.start(ServerConfig.defaults().toBuilder().authDeadline(Duration.ofMillis(300)).build(),
                io.tickwire.model.Clock.system());
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri())) {
            assertThat(client.expect(ServerMessage.Welcome.class).authDeadlineMs()).isEqualTo(300);
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.AUTH_TIMEOUT);
            assertThat(client.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4001, CloseCode.AUTH_TIMEOUT.reason()));
        }
    }

    @Test
    void shouldRefuseAuthAfterTheDeadlineEvenBeforeTheTimerFires() {
        ManualClock clock = new ManualClock();
        server = TestServer.start(ServerConfig.defaults(), clock);
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri())) {
            client.expect(ServerMessage.Welcome.class);
            clock.advance(Duration.ofSeconds(11)); // the server's clock says the deadline passed
            client.send(CommandWriter.auth("late", TestServer.ALICE));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.AUTH_TIMEOUT);
            assertThat(error.id()).isEqualTo("late");
            assertThat(client.awaitClose().code()).isEqualTo(4001);
        }
    }

    @Test
    void secondAuthRefreshesForTheSameAccountAndIsAnErrorForAnotherThatKeepsTheSession() {
        server = TestServer.start();
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(CommandWriter.auth("again", TestServer.ALICE));
            ServerMessage.Authenticated again = client.expect(ServerMessage.Authenticated.class);
            assertThat(again.refreshed()).isTrue();
            assertThat(again.account()).isEqualTo("alice");
            client.send(CommandWriter.auth("other", TestServer.QUOTES_ONLY));
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.ALREADY_AUTHENTICATED);
            client.send(CommandWriter.ping("p", "still here"));
            assertThat(client.expect(ServerMessage.Pong.class).payload()).isEqualTo("\"still here\"");
        }
    }

    @Test
    void aWrongTokenOnAnAuthenticatedSessionIsRefusedAndTheSessionGoesOn() {
        server = TestServer.start();
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(CommandWriter.auth("renew", "not-a-token"));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.id()).isEqualTo("renew");
            assertThat(error.errorCode()).isEqualTo(ErrorCode.AUTH_FAILED);
            client.send(CommandWriter.ping("p", "still here"));
            assertThat(client.expect(ServerMessage.Pong.class).payload()).isEqualTo("\"still here\"");
            assertThat(server.server.registry().connections("alice")).isEqualTo(1);
        }
    }

    @Test
    void connectionLimitRejectsTheNewConnectionUnderRejectNew() {
        server = TestServer.start();
        try (RawWebSocketClient first = server.connectAuthenticated(TestServer.SINGLE);
             RawWebSocketClient second = RawWebSocketClient.connect(server.nativeUri())) {
            second.expect(ServerMessage.Welcome.class);
            second.send(CommandWriter.auth("2", TestServer.SINGLE));
            ServerMessage.Error error = second.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.CONNECTION_LIMIT);
            assertThat(error.limit()).isEqualTo(1);
            assertThat(second.awaitClose().code()).isEqualTo(4007);
            first.send(CommandWriter.ping("p", "x"));
            assertThat(first.expect(ServerMessage.Pong.class).id()).isEqualTo("p");
        }
    }

    @Test
    void aClientWhoseCloseWasAnsweredFindsItsOneConnectionFreeAtOnce() {
        server = TestServer.start();
        for (int i = 0; i < 300; i++) { // without the early release, 3 runs of 3 met a 4007 within these
            try (RawWebSocketClient client = server.connectAuthenticated(TestServer.SINGLE)) {
                client.sendFrame(new CloseWebSocketFrame(1000, "done"));
                assertThat(client.awaitClose().code()).isEqualTo(1000);
            }
        }
        assertThat(server.server.registry().connections("single")).isZero();
    }

    @Test
    void connectionLimitClosesTheOldestUnderReplaceOldest() {
        server = TestServer.start();
        try (RawWebSocketClient first = server.connectAuthenticated(TestServer.REPLACING);
             RawWebSocketClient second = server.connectAuthenticated(TestServer.REPLACING)) {
            assertThat(first.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4003, CloseCode.REPLACED.reason()));
            second.send(CommandWriter.ping("p", "x"));
            assertThat(second.expect(ServerMessage.Pong.class).id()).isEqualTo("p");
            await().untilAsserted(() -> assertThat(server.server.registry().connections("replacing")).isEqualTo(1));
        }
    }
}
