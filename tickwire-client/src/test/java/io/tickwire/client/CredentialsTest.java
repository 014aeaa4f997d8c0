package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void aTokenNeverShowsInItsStringForm() {
        assertThat(Credentials.token("s3cret-token").toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldRefuseABlankToken() {
        assertThatThrownBy(() -> Credentials.token(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderNeedsCredentialsAndAWebSocketUri() {
        assertThatThrownBy(() -> TickwireClient.builder("ws://127.0.0.1:1/v1/ws").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TickwireClient.builder("http://127.0.0.1:1/v1/ws"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subscribeNeedsSymbolsAndChannels() {
        try (TickwireClient client = TickwireClient.builder("ws://127.0.0.1:1/v1/ws")
                .credentials(Credentials.token("t")).build()) {
            assertThatThrownBy(() -> client.subscribe(java.util.List.of(), io.tickwire.model.Channel.QUOTE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.subscribe(java.util.List.of("BTCUSDT")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
