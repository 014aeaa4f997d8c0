package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.testkit.RawWebSocketClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection that never completes an HTTP request must not hold a file descriptor for ever:
 * it is answered 408 (request_timeout) and closed, on real sockets. A WebSocket is not subject to
 * it once upgraded.
 */
class RequestDeadlineTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(ServerConfig.defaults().toBuilder()
                .authDeadline(Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(150))
                .idleTimeout(Duration.ofMillis(400))
                .build(), io.tickwire.model.Clock.system());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aConnectionThatSendsNothingIsAnswered408AndClosed() throws IOException {
        try (Socket socket = connect()) {
            String answer = readUntilClosed(socket);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"request_timeout\"");
        }
    }

    @Test
    void aRequestThatNeverEndsIsAnswered408AndClosed() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII)); // no blank line
            out.flush();

            assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 408").contains("request_timeout");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedWithoutAnotherAnswer() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String answers = readUntilClosed(socket);

            // only the answer to the request: a 408 on a pooled connection could be taken for the
            // answer to the next request a client sends
            assertThat(answers).startsWith("HTTP/1.1 200").contains("\"status\":\"ok\"");
            assertThat(answers.indexOf("HTTP/1.1", 1)).isEqualTo(-1);
        }
    }

    @Test
    void aWebSocketOutlivesTheRequestDeadline() {
        // a server of its own whose WebSocket idle timeout is far from the request deadline, so that
        // a stalled test machine cannot close the session as idle while the test watches it
        try (TestServer roomy = TestServer.start(ServerConfig.defaults().toBuilder()
                        .authDeadline(Duration.ofMillis(300))
                        .heartbeatInterval(Duration.ofMillis(100))
                        .idleTimeout(Duration.ofSeconds(5))
                        .build(), io.tickwire.model.Clock.system());
             RawWebSocketClient client = roomy.connectAuthenticated(TestServer.ALICE)) {
            // three times the request deadline (300 ms); the client answers the server's pings meanwhile
            await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5)).until(client::isOpen);
            client.send("{\"op\":\"ping\",\"id\":\"p\"}");
            assertThat(client.awaitMessage(io.tickwire.protocol.v1.ServerMessage.Pong.class, p -> true)).isNotNull();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.server.port());
        socket.setSoTimeout(10_000); // a guard against a hang, not the verdict: the server closes long before
        return socket;
    }

    private static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
