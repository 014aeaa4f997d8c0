package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.Account;
import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reload that changes an account's plan reaches its live sessions: they close with 4010 and reconnect under it. */
class PlanChangeTest {

    private static final ServerConfig CONFIG = AuthFixture.QUIET;

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

    private void reloadWithDeskOn(io.tickwire.auth.Plan plan) {
        Map<String, Account> accounts = new java.util.HashMap<>();
        for (String name : List.of("desk", "secure", "corp", "cryptofan", "feeder", "guarded", "enterprise")) {
            accounts.put(name, fixture.directory.get().account(name));
        }
        accounts.put("desk", new Account("desk", plan));
        fixture.directory.reload(new AccountDirectory.Configured(accounts, Map.of(), StoredCredentials.EMPTY));
    }

    @Test
    void aSessionWhoseAccountsPlanChangedIsClosedWith4010() {
        try (RawWebSocketClient client = server.connectAuthenticated(AuthFixture.DESK_TOKEN)) {
            reloadWithDeskOn(AuthFixture.CRYPTO);
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.PLAN_CHANGED);
            assertThat(error.message()).contains("'pro'").contains("'crypto'");
            assertThat(client.awaitClose().code()).isEqualTo(4010);
        }
        try (RawWebSocketClient again = server.connectAuthenticated(AuthFixture.DESK_TOKEN)) {
            again.send(CommandWriter.subscribe("s", List.of("AAPL"), List.of(io.tickwire.model.Channel.QUOTE)));
            ServerMessage.Subscribed subscribed = again.expect(ServerMessage.Subscribed.class);
            assertThat(subscribed.rejected()).extracting(ServerMessage.Rejection::code).containsExactly("not_entitled");
        }
    }

    @Test
    void newLimitsOfTheSamePlanAreCalledThatRatherThanAChangeFromThePlanToItself() {
        try (RawWebSocketClient client = server.connectAuthenticated(AuthFixture.DESK_TOKEN)) {
            reloadWithDeskOn(new io.tickwire.auth.Plan("pro", 50, io.tickwire.auth.ConnectionPolicy.REJECT_NEW, 3,
                    AuthFixture.PRO.channels(), 50, 100));
            ServerMessage.Error error = client.expect(ServerMessage.Error.class);
            assertThat(error.errorCode()).isEqualTo(ErrorCode.PLAN_CHANGED);
            assertThat(error.message()).isEqualTo("the limits of the account's plan 'pro' changed; reconnect to continue under it");
            assertThat(client.awaitClose().code()).isEqualTo(4010);
        }
    }

    @Test
    void aReloadThatLeavesThePlanAsItWasKeepsTheSession() {
        try (RawWebSocketClient client = server.connectAuthenticated(AuthFixture.DESK_TOKEN)) {
            reloadWithDeskOn(AuthFixture.PRO);
            client.send(CommandWriter.ping("still", null)); // the recheck ran before this on the session's loop
            assertThat(client.expect(ServerMessage.Pong.class).id()).isEqualTo("still");
        }
    }
}
