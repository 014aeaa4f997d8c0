package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.tickwire.model.Channel;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad input gets its documented error or close code, and the server keeps serving
 * a bystander connection throughout.
 */
class BadInputTest {

    private final ManualClock clock = new ManualClock(); // frozen: rate budgets do not refill mid-test
    private TestServer server;
    private Bystander bystander;

    @BeforeEach
    void start() {
        server = TestServer.start(ServerConfig.defaults(), clock);
        bystander = Bystander.on(server);
    }

    @AfterEach
    void stop() {
        try {
            bystander.assertStillServed();
        } finally {
            bystander.close();
            server.close();
        }
    }

    private ServerMessage.Error errorFor(RawWebSocketClient client, String frame) {
        client.send(frame);
        return client.expect(ServerMessage.Error.class);
    }

    @Test
    void aMalformedHttpRequestOrUrlIsAnswered400AndClosedWhateverTheEndpoint() throws Exception {
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        for (String request : List.of(
                "GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET /v1/history/trades?symbol=%zz&token=secret-in-the-url HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "POST /admin/handover?spreadMs=% HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n",
                "GET /v1/ws?token=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade + "\r\n",
                "GET /v1/publish?token=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade + "\r\n",
                "GET /itick/crypto?token=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade + "\r\n",
                // a WebSocket path respelled: the handshake would not recognise it and nothing would answer
                "GET /v1/%77s HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade + "\r\n",
                "GET /v1/ws#x HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade + "\r\n",
                "GET /itick/cry%70to HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade + "\r\n")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server.port())) {
                socket.setSoTimeout(10_000); // a guard against a hang, not the verdict: the server answers at once
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).as(request).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"")
                        .doesNotContain("secret-in-the-url"); // a token in the URL is not echoed
            }
        }
    }

    @Test
    void aClientPipeliningRequestsWithoutReadingTheAnswersIsDisconnected() throws Exception {
        // 20,000 requests for /metrics in one go and none of the answers read: the server stops
        // answering once the connection is behind, holds a few requests, and then cuts it (before,
        // it queued every answer, tens of MB, and kept the connection)
        byte[] request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] flood = new byte[request.length * 20_000];
        for (int i = 0; i < 20_000; i++) {
            System.arraycopy(request, 0, flood, i * request.length, request.length);
        }
        int before = server.server.openConnections();
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(4_096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.server.port()));
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> server.server.openConnections() == before + 1);
            try {
                socket.getOutputStream().write(flood);
            } catch (java.net.SocketException cutWhileSending) {
                // the server may close before it has read everything
            }
            await().atMost(java.time.Duration.ofSeconds(25)).until(() -> server.server.openConnections() == before);
        }
    }

    @Test
    void malformedAndInvalidRequestsGetStableCodesAndTheSessionCarriesOn() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            assertThat(errorFor(client, "{\"op\":\"ping\"").errorCode()).isEqualTo(ErrorCode.MALFORMED_JSON);
            assertThat(errorFor(client, "[\"subscribe\"]").errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
            ServerMessage.Error unknown = errorFor(client, "{\"op\":\"buy\",\"id\":\"u1\"}");
            assertThat(unknown.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OP);
            assertThat(unknown.id()).isEqualTo("u1");
            ServerMessage.Error missing = errorFor(client, "{\"op\":\"subscribe\",\"id\":7}");
            assertThat(missing.errorCode()).isEqualTo(ErrorCode.INVALID_FIELD);
            assertThat(missing.id()).isEqualTo("7");
            assertThat(missing.message()).contains("symbols");
            assertThat(errorFor(client, "{\"op\":\"subscribe\",\"symbols\":[1]}").message()).contains("array of strings");
            assertThat(errorFor(client, "{\"op\":\"subscribe\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"news\"]}").errorCode())
                    .isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
            client.send(CommandWriter.ping("p", "ok"));
            assertThat(client.expect(ServerMessage.Pong.class).id()).isEqualTo("p");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void shouldCloseWith1009WhenAFrameIsTooBig() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send("{\"op\":\"ping\",\"payload\":\"" + "x".repeat(70_000) + "\"}");
            assertThat(client.awaitClose().code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
        }
    }

    @Test
    void shouldCloseWith1009WhenAFragmentedMessageIsTooBig() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            String chunk = "x".repeat(40_000);
            client.sendFrame(new TextWebSocketFrame(false, 0, "{\"op\":\"ping\",\"payload\":\"" + chunk));
            client.sendFrame(new ContinuationWebSocketFrame(false, 0, Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8)));
            client.sendFrame(new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer("\"}", StandardCharsets.UTF_8)));
            RawWebSocketClient.Close close = client.awaitClose();
            assertThat(close.code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
            assertThat(close.reason()).contains("65536");
        }
    }

    @Test
    void shouldCloseWith1003OnABinaryFrame() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertThat(client.awaitClose()).isEqualTo(new RawWebSocketClient.Close(1003, CloseCode.UNSUPPORTED_DATA.reason()));
        }
    }

    @Test
    void aFloodIsRateLimitedThenClosedWith4005() {
        try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            List<String> flood = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                flood.add(CommandWriter.ping(Integer.toString(i), null));
            }
            client.sendAll(flood);
            // The clock is frozen, so exactly the plan's burst (40) of pings is answered.
            for (int i = 0; i < TestServer.PRO.requestBurst(); i++) {
                assertThat(client.expect(ServerMessage.Pong.class).id()).isEqualTo(Integer.toString(i));
            }
            // Then each refused request is answered with rate_limited and its own id ...
            int limit = server.server.config().floodLimit();
            for (int i = 0; i < limit - 1; i++) {
                ServerMessage.Error error = client.expect(ServerMessage.Error.class);
                assertThat(error.errorCode()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(error.id()).isEqualTo(Integer.toString(TestServer.PRO.requestBurst() + i));
                assertThat(error.retryAfterMs()).isPositive();
            }
            // ... until the flood limit: a last error and close 4005.
            assertThat(client.expect(ServerMessage.Error.class).message()).contains("too many requests");
            assertThat(client.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4005, CloseCode.REQUEST_FLOOD.reason()));
        }
    }

    @Test
    void unauthenticatedFloodIsLimitedToo() {
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri())) {
            client.expect(ServerMessage.Welcome.class);
            List<String> flood = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                flood.add("garbage " + i);
            }
            client.sendAll(flood);
            assertThat(client.awaitClose().code()).isEqualTo(4005);
        }
    }

    /**
     * The dialect paths answer broken frames and floods with the same close codes as {@code /v1/ws};
     * the bystander (native) is checked after each test as for the others.
     */
    @Nested
    class OnTheDialectPaths {

        /** A dialect connection; iTick and enterprise log in with the handshake's token, TickTrader waits for a Login. */
        private RawWebSocketClient connect(String path) {
            return RawWebSocketClient.connect(server.uri(path), Map.of("token", TestServer.ALICE));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/itick/crypto", "/ticktrader", "/enterprise/ws"})
        void aBinaryFrameClosesWith1003(String path) {
            try (RawWebSocketClient client = connect(path)) {
                client.sendBinary(new byte[] {1, 2, 3});
                assertThat(client.awaitClose().code()).isEqualTo(CloseCode.UNSUPPORTED_DATA.code());
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"/itick/crypto", "/ticktrader", "/enterprise/ws", "/v1/ws"})
        void textThatIsNotUtf8ClosesWith1007(String path) {
            try (RawWebSocketClient client = connect(path)) {
                client.sendFrame(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0x7B, (byte) 0xC3, 0x28, 0x7D})));
                assertThat(client.awaitClose().code()).isEqualTo(1007);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"/itick/crypto", "/ticktrader", "/enterprise/ws"})
        void aMessageOverTheLimitClosesWith1009(String path) {
            try (RawWebSocketClient client = connect(path)) {
                client.send("{\"x\":\"" + "x".repeat(70_000) + "\"}");
                assertThat(client.awaitClose().code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"/itick/crypto", "/ticktrader", "/enterprise/ws"})
        void aRequestFloodClosesWith4005(String path) {
            try (RawWebSocketClient client = connect(path)) {
                // the budget's burst, then 200 refusals (server.floodLimit) within the window: the clock stands still
                List<String> flood = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    flood.add("{\"junk\":" + i + "}");
                }
                client.sendAll(flood); // in one write: the server closes while some are still on the way
                assertThat(client.awaitClose().code()).isEqualTo(CloseCode.REQUEST_FLOOD.code());
            }
        }
    }
}
