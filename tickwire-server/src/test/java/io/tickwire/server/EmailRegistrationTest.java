package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Support e-mail registrations share the blocking executor with the OAuth2 exchange and each
 * rewrites the credentials file: only a few may wait at once, and registering the e-mail the
 * account already has rewrites nothing.
 */
class EmailRegistrationTest {

    private static final ServerConfig CONFIG = AuthFixture.QUIET;

    private final ManualClock clock = new ManualClock();
    private final AuthFixture fixture = new AuthFixture(clock);
    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void onlyAFewRegistrationsWaitForTheExecutorAndTheRestAreToldTheServerIsBusy() throws Exception {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        server.server.gate().blocking().execute(() -> { // the executor is busy with something else
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holding.await();
        try (RawWebSocketClient client = server.connectAuthenticated(AuthFixture.DESK_TOKEN)) {
            for (int i = 0; i < 10; i++) {
                client.send(CommandWriter.registerEmail("e" + i, "ops" + i + "@example.com"));
            }
            List<String> busy = new ArrayList<>();
            for (int i = 0; i < 10 - 4; i++) {
                ServerMessage.Error error = client.expect(ServerMessage.Error.class);
                assertThat(error.errorCode()).isEqualTo(ErrorCode.SERVER_BUSY);
                busy.add(error.id());
            }
            assertThat(busy).containsExactly("e4", "e5", "e6", "e7", "e8", "e9");
            release.countDown();
            for (int i = 0; i < 4; i++) {
                assertThat(client.expect(ServerMessage.EmailRegistered.class).id()).isEqualTo("e" + i);
            }
            assertThat(fixture.directory.get().supportEmail("desk")).isEqualTo("ops3@example.com");
        }
    }

    @Test
    void registeringTheEmailTheAccountAlreadyHasIsAnsweredWithoutWaiting() throws Exception {
        server = TestServer.start(CONFIG, clock, fixture.serverAuth(null));
        try (RawWebSocketClient client = server.connectAuthenticated(AuthFixture.DESK_TOKEN)) {
            client.send(CommandWriter.registerEmail("first", "ops@example.com"));
            client.expect(ServerMessage.EmailRegistered.class);
            CountDownLatch release = new CountDownLatch(1);
            server.server.gate().blocking().execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                client.send(CommandWriter.registerEmail("again", "ops@example.com"));
                assertThat(client.expect(ServerMessage.EmailRegistered.class).id()).isEqualTo("again");
            } finally {
                release.countDown();
            }
        }
    }
}
