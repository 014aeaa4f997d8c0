package io.tickwire.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.model.Channel;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthCommandsTest {

    private final CommandReader reader = new CommandReader();

    @Test
    void readsEverySchemeOfAuth() throws ProtocolException {
        assertThat(reader.read("{\"op\":\"auth\",\"id\":\"a\",\"token\":\"t\"}")).isEqualTo(new Command.Auth("\"a\"", "t"));
        assertThat(reader.read("{\"op\":\"auth\",\"scheme\":\"token\",\"token\":\"t\"}")).isEqualTo(new Command.Auth(null, "t"));
        assertThat(reader.read(CommandWriter.authHmac("h", "web-id", "web-key", 1731688569840L, "c2ln")))
                .isEqualTo(new Command.HmacAuth("\"h\"", "web-id", "web-key", "1731688569840", "c2ln"));
        assertThat(reader.read("{\"op\":\"auth\",\"scheme\":\"hmac\",\"webApiId\":\"i\",\"webApiKey\":\"k\",\"timestamp\":\"17\",\"signature\":\"s\"}"))
                .as("a timestamp as a string is taken too").isEqualTo(new Command.HmacAuth(null, "i", "k", "17", "s"));
        assertThat(reader.read(CommandWriter.authJwt("j", "a.b.c"))).isEqualTo(new Command.JwtAuth("\"j\"", "a.b.c"));
        assertThat(reader.read(CommandWriter.authSession("s", "tws_x"))).isEqualTo(new Command.SessionAuth("\"s\"", "tws_x"));
        assertThat(reader.read(CommandWriter.authJwt("j", "a.b.c")).toString()).doesNotContain("a.b.c");
    }

    @Test
    void readsTwoFactorEmailAndSubscribeWithJwt() throws ProtocolException {
        assertThat(reader.read(CommandWriter.twoFactor("t", "123456"))).isEqualTo(new Command.TwoFactor("\"t\"", "123456", null));
        assertThat(reader.read(CommandWriter.twoFactorResume("t", "tw2f_x"))).isEqualTo(new Command.TwoFactor("\"t\"", null, "tw2f_x"));
        assertThat(reader.read(CommandWriter.registerEmail("e", "ops@example.com")))
                .isEqualTo(new Command.RegisterEmail("\"e\"", "ops@example.com"));
        assertThat(reader.read(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.TRADE), "a.b.c")))
                .isEqualTo(new Command.WithJwt("\"s\"", "a.b.c", new Command.Subscribe("\"s\"", List.of("BTCUSDT"), List.of(Channel.TRADE))));
    }

    @Test
    void shouldRefuseIncompleteAuthRequestsNamingTheField() {
        assertCode("{\"op\":\"auth\",\"scheme\":\"hmac\",\"webApiId\":\"i\",\"webApiKey\":\"k\",\"timestamp\":17}", "signature");
        assertCode("{\"op\":\"auth\",\"scheme\":\"hmac\",\"webApiId\":\"i\",\"webApiKey\":\"k\",\"timestamp\":1.5,\"signature\":\"s\"}", "timestamp");
        assertCode("{\"op\":\"auth\",\"scheme\":\"jwt\"}", "jwt");
        assertCode("{\"op\":\"auth\",\"scheme\":\"kerberos\",\"token\":\"t\"}", "scheme");
        assertCode("{\"op\":\"twoFactor\"}", "code");
        assertCode("{\"op\":\"twoFactor\",\"code\":\"1\",\"resume\":\"r\"}", "resume");
        assertCode("{\"op\":\"registerEmail\",\"email\":7}", "email");
        assertCode("{\"op\":\"subscribe\",\"symbols\":[\"A\"],\"jwt\":\"" + "x".repeat(8_193) + "\"}", "jwt");
    }

    private void assertCode(String frame, String field) {
        assertThatThrownBy(() -> reader.read(frame)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
            assertThat(e.getMessage()).contains("'" + field + "'");
        });
    }

    @Test
    void serverAuthMessagesRoundTrip() {
        MessageWriter writer = new MessageWriter();
        MessageReader messages = new MessageReader();
        ServerMessage.Limits limits = new ServerMessage.Limits(2, 10, List.of(Channel.QUOTE), 5, List.of("crypto"), "disconnect", 8);
        ServerMessage.Authenticated details = new ServerMessage.Authenticated(null, null, null, null, "jwt", 1_700_000_000_000_000L,
                new ServerMessage.TwoFactorGrant("tw2f_r", 1_700_000_100_000_000L), true);
        writer.authenticated("\"a\"", "alice", "pro", limits, details);
        assertThat(messages.read(writer.text())).isEqualTo(new ServerMessage.Authenticated("a", "alice", "pro", limits, "jwt",
                1_700_000_000_000_000L, new ServerMessage.TwoFactorGrant("tw2f_r", 1_700_000_100_000_000L), true));
        writer.twoFactorRequired("1", List.of("totp"), 60_000);
        assertThat(messages.read(writer.text())).isEqualTo(new ServerMessage.TwoFactorRequired("1", List.of("totp"), 60_000));
        writer.credentialExpiring(5, 4006, "renew");
        assertThat(messages.read(writer.text())).isEqualTo(new ServerMessage.CredentialExpiring(5, 4006, "renew"));
        writer.emailRegistered("\"e\"", "ops@example.com");
        assertThat(messages.read(writer.text())).isEqualTo(new ServerMessage.EmailRegistered("e", "ops@example.com"));
    }
}
