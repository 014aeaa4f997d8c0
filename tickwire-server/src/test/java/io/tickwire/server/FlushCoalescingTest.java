package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code server.flushCoalescing} on, subscribers receive every message, in order, and the
 * last ones of a burst arrive without any later traffic to push them out: a connection whose flush
 * was deferred is flushed by the timer. The interval is the longest allowed, so that the second
 * and later batches of a burst are all deferred (that the code defers them is
 * {@code FlushCoalescerTest}'s to show, that it writes less often the benchmark's). Two bursts:
 * the first warms the path up.
 */
class FlushCoalescingTest {

    private static final int TRADES = 3_000;
    private static final int PER_FRAME = 50;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(ServerConfig.defaults().toBuilder()
                .publishers(List.of("alice"))
                .flushCoalescing(ServerConfig.MAX_FLUSH_COALESCING)
                // no heartbeat within the test's waits: it would flush a held-back connection too
                .heartbeatInterval(Duration.ofMinutes(1))
                .idleTimeout(Duration.ofMinutes(2))
                .build(), Clock.system());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everySubscriberGetsEveryTradeOfABurstInOrderAndTheLastOnesWithoutFurtherTraffic() {
        List<String> frames = new ArrayList<>();
        for (int f = 0; f < 2 * TRADES / PER_FRAME; f++) {
            StringBuilder frame = new StringBuilder("[");
            for (int t = 1; t <= PER_FRAME; t++) {
                long tradeId = (long) f * PER_FRAME + t;
                frame.append(t > 1 ? "," : "").append("{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"100\",")
                        .append("\"size\":\"1\",\"side\":\"buy\",\"tradeId\":").append(tradeId).append('}');
            }
            frames.add(frame.append(']').toString());
        }
        List<RawWebSocketClient> subscribers = new ArrayList<>();
        try (RawWebSocketClient publisher = RawWebSocketClient.connect(server.uri("/v1/publish"),
                Map.of("Authorization", "Bearer " + TestServer.ALICE))) {
            for (int i = 0; i < 4; i++) {
                RawWebSocketClient s = server.connectAuthenticated(TestServer.ALICE);
                subscribers.add(s);
                s.send(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.TRADE)));
                s.expect(ServerMessage.Subscribed.class);
            }

            int perBurst = TRADES / PER_FRAME;
            publisher.sendAll(frames.subList(0, perBurst));
            expectTrades(subscribers, 1, TRADES);
            publisher.sendAll(frames.subList(perBurst, 2 * perBurst));
            expectTrades(subscribers, TRADES + 1, 2 * TRADES);
        } finally {
            subscribers.forEach(RawWebSocketClient::close);
        }
    }

    private static void expectTrades(List<RawWebSocketClient> subscribers, int firstId, int lastId) {
        for (RawWebSocketClient s : subscribers) {
            ServerMessage.Trade previous = null;
            for (int i = firstId; i <= lastId; i++) {
                ServerMessage.Trade trade = s.expect(ServerMessage.Trade.class);
                assertThat(trade.tradeId()).isEqualTo(i);
                if (previous != null) {
                    assertThat(trade.seq()).isEqualTo(previous.seq() + 1);
                }
                previous = trade;
            }
        }
    }
}
