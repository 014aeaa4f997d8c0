package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.server.session.auth.AuthGate;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the authentication code logs of what a client sent: never a line the client wrote. */
class AuthLogsTest {

    private final ManualClock clock = new ManualClock();
    private final Logger gateLog = (Logger) LoggerFactory.getLogger(AuthGate.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private TestServer server;

    @AfterEach
    void stop() {
        gateLog.detachAppender(logged);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWebApiIdWithLineBreaksIsLoggedEscapedOnOneLineAndCut() {
        logged.start();
        gateLog.addAppender(logged);
        server = TestServer.start(ServerConfig.defaults(), clock, new AuthFixture(clock).serverAuth(null));
        String forged = "desk\n12:00:00.000 INFO  AuthGate - authentication succeeded\r\n";
        for (String webApiId : List.of(forged, forged + "x".repeat(190))) { // the native protocol takes 256 at most
            try (RawWebSocketClient client = RawWebSocketClient.connect(server.nativeUri())) {
                client.expect(ServerMessage.Welcome.class);
                client.send(CommandWriter.authHmac("h", webApiId, "key", clock.epochMillis(), "c2lnbmF0dXJl"));
                assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(ErrorCode.SIGNATURE_INVALID);
            }
        }
        await().untilAsserted(() -> assertThat(lines()).hasSize(2));
        assertThat(lines()).allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r")
                .contains("(hmac:desk\\n12:00:00.000 INFO  AuthGate - authentication succeeded\\r\\n"));
        assertThat(lines().get(0)).endsWith("succeeded\\r\\n)");
        assertThat(lines().get(1)).endsWith("more chars))").hasSizeLessThan(200);
    }

    private List<String> lines() {
        synchronized (logged) {
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("authentication from")).toList();
        }
    }
}
