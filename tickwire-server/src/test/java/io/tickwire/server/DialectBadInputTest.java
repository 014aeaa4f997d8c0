package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.tickwire.protocol.CloseCode;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dialect paths answer broken frames and floods with the same close codes as {@code /v1/ws}
 * ({@link BadInputTest}), and a native bystander is served throughout.
 */
class DialectBadInputTest {

    private final ManualClock clock = new ManualClock(); // frozen: request budgets do not refill mid-test
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
            for (int i = 0; i < 300 && client.isOpen(); i++) {
                client.send("{\"junk\":" + i + "}");
            }
            assertThat(client.awaitClose().code()).isEqualTo(CloseCode.REQUEST_FLOOD.code());
        }
    }
}
