package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;

/** The trades a client of a cluster's gateway receives, checked for order as they come; and free ports for the nodes. */
final class TradeStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TradeStream() {
    }

    /** The next trade after {@code after}; fails if it is not numbered above it. */
    static JsonNode next(RawWebSocketClient client, long after) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String text = client.pollText(Duration.ofMillis(500));
            if (text == null) {
                continue;
            }
            JsonNode m = JSON.readTree(text);
            if (m.path("type").asText().equals("trade")) {
                assertThat(m.path("seq").asLong()).as("trades arrive in order, none twice").isGreaterThan(after);
                return m;
            }
        }
        throw new AssertionError("no trade after " + after + "; received " + client.history());
    }

    /** The next trade's number, which must be exactly one past {@code after} ({@code why} says why). */
    static long nextConsecutive(RawWebSocketClient client, long after, String why) throws Exception {
        long seq = next(client, after).path("seq").asLong();
        assertThat(seq).as(why).isEqualTo(after + 1);
        return seq;
    }
}
