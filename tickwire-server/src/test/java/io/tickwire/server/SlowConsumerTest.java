package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.RawWebSocketClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowConsumerTest {

    @Test
    void aStalledReaderIsClosedWith4004AndOthersKeepEveryMessage() {
        ServerConfig small = ServerConfig.defaults().toBuilder().ioThreads(2)
                .heartbeatInterval(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(20))
                .writeBufferLowWater(16 * 1024).writeBufferHighWater(64 * 1024).maxOutboundBytes(256 * 1024)
                .slowConsumerGrace(Duration.ofSeconds(30)).build();
        try (TestServer server = TestServer.start(small, Clock.system());
             RawWebSocketClient healthy = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient stalled = RawWebSocketClient.connect(server.nativeUri(),
                     Map.of("Authorization", "Bearer " + TestServer.ALICE), 4 * 1024)) {
            stalled.expect(ServerMessage.Welcome.class);
            stalled.expect(ServerMessage.Authenticated.class);
            for (RawWebSocketClient c : List.of(healthy, stalled)) {
                c.send(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.TRADE)));
                c.expect(ServerMessage.Subscribed.class);
            }
            stalled.pauseReading();

            int published = 0;
            int received = 0;
            // Publish in rounds until the server gives up on the stalled reader; the healthy one reads along.
            while (server.server.registry().connections("alice") > 1 && published < 2_000_000) {
                for (int i = 0; i < 1_000; i++) {
                    server.trade("BTCUSDT", 1_000 + (++published));
                }
                for (; received < published; received++) {
                    assertThat(healthy.expect(ServerMessage.Trade.class).seq()).isEqualTo(received + 1);
                }
            }
            await().untilAsserted(() -> assertThat(server.server.registry().connections("alice")).isEqualTo(1));
            stalled.resumeReading();
            assertThat(stalled.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4004, CloseCode.SLOW_CONSUMER.reason()));
            healthy.send(CommandWriter.ping("p", null));
            assertThat(healthy.awaitMessage(ServerMessage.Pong.class, p -> true).id()).isEqualTo("p");
        }
    }

    @Test
    void aClientThatSendsRequestsButNeverReadsTheAnswersIsClosedWith4004() {
        ManualClock clock = new ManualClock(); // advanced below so the plan's request budget refills
        ServerConfig small = ServerConfig.defaults().toBuilder().ioThreads(1)
                .heartbeatInterval(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(20))
                .writeBufferLowWater(16 * 1024).writeBufferHighWater(64 * 1024).maxOutboundBytes(256 * 1024)
                .slowConsumerGrace(Duration.ofMinutes(5)).build();
        try (TestServer server = TestServer.start(small, clock);
             RawWebSocketClient bystander = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient deaf = RawWebSocketClient.connect(server.nativeUri(),
                     Map.of("Authorization", "Bearer " + TestServer.ALICE), 4 * 1024)) {
            deaf.expect(ServerMessage.Welcome.class);
            deaf.expect(ServerMessage.Authenticated.class);
            deaf.pauseReading();
            String payload = "x".repeat(60_000); // each pong echoes it
            int sent = 0;
            // 2,000 pongs of 60 KB would be 120 MB: far beyond any socket buffer, so only the
            // outbound bound can end the loop early
            while (server.server.registry().connections("alice") > 1 && sent < 2_000) {
                deaf.send(CommandWriter.ping("p" + sent, payload));
                if (++sent % 10 == 0) {
                    clock.advance(Duration.ofSeconds(1));
                }
            }
            await().untilAsserted(() -> assertThat(server.server.registry().connections("alice")).isEqualTo(1));
            deaf.resumeReading();
            assertThat(deaf.awaitClose()).isEqualTo(new RawWebSocketClient.Close(4004, CloseCode.SLOW_CONSUMER.reason()));
            bystander.send(CommandWriter.ping("alive", null));
            assertThat(bystander.awaitMessage(ServerMessage.Pong.class, p -> true).id()).isEqualTo("alive");
        }
    }

    @Test
    void aStalledReaderSubscribedFirstIsCutWithoutCostingALaterSubscriberAMessage() {
        // the stalled reader comes first in the stream's subscriber list: cutting it mid-delivery
        // must not skip the subscriber that takes its place in the list
        ServerConfig small = ServerConfig.defaults().toBuilder().ioThreads(1)
                .heartbeatInterval(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(20))
                .writeBufferLowWater(16 * 1024).writeBufferHighWater(64 * 1024).maxOutboundBytes(256 * 1024)
                .slowConsumerGrace(Duration.ofSeconds(30)).build();
        try (TestServer server = TestServer.start(small, Clock.system());
             RawWebSocketClient stalled = RawWebSocketClient.connect(server.nativeUri(),
                     Map.of("Authorization", "Bearer " + TestServer.ALICE), 4 * 1024);
             RawWebSocketClient healthy = server.connectAuthenticated(TestServer.ALICE)) {
            stalled.expect(ServerMessage.Welcome.class);
            stalled.expect(ServerMessage.Authenticated.class);
            for (RawWebSocketClient c : List.of(stalled, healthy)) {
                c.send(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.TRADE)));
                c.expect(ServerMessage.Subscribed.class);
            }
            stalled.pauseReading();

            int published = 0;
            int received = 0;
            while (server.server.registry().connections("alice") > 1 && published < 2_000_000) {
                for (int i = 0; i < 1_000; i++) {
                    server.trade("BTCUSDT", 1_000 + (++published));
                }
                for (; received < published; received++) {
                    assertThat(healthy.expect(ServerMessage.Trade.class).seq()).isEqualTo(received + 1);
                }
            }
            for (int i = 0; i < 1_000; i++) {
                server.trade("BTCUSDT", 1_000 + (++published));
            }
            for (; received < published; received++) {
                assertThat(healthy.expect(ServerMessage.Trade.class).seq()).isEqualTo(received + 1);
            }
            // never reading again, the stalled reader's connection still ends (its close frame cannot be sent)
            // (seen from the server: the paused client would not notice the close either)
            await().atMost(Duration.ofSeconds(30)).until(() -> server.server.openConnections() == 1);
        }
    }

    @Test
    void aConflatingConsumerIsKeptAndResynchronisedWithMemoryBoundedByItsWaterMark() {
        ServerConfig small = ServerConfig.defaults().toBuilder().ioThreads(2)
                .heartbeatInterval(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(20))
                .writeBufferLowWater(16 * 1024).writeBufferHighWater(64 * 1024).maxOutboundBytes(256 * 1024)
                .slowConsumerGrace(Duration.ofMillis(100)).build();
        try (TestServer server = TestServer.start(small, Clock.system());
             RawWebSocketClient healthy = server.connectAuthenticated(TestServer.ALICE);
             RawWebSocketClient slow = RawWebSocketClient.connect(server.nativeUri(),
                     Map.of("Authorization", "Bearer " + TestServer.CONFLATE), 4 * 1024)) {
            slow.expect(ServerMessage.Welcome.class);
            slow.expect(ServerMessage.Authenticated.class);
            server.book("BTCUSDT", "bid", 100_00, 1, "ask", 200_00, 1);
            ClientBook healthyBook = new ClientBook(2, 6);
            for (RawWebSocketClient c : List.of(healthy, slow)) {
                c.send(CommandWriter.subscribe("s", List.of("BTCUSDT"), List.of(Channel.BOOK, Channel.TRADE), 3, 0, null, null));
                c.expect(ServerMessage.Subscribed.class);
                ServerMessage.Book snapshot = c.expect(ServerMessage.Book.class);
                if (c == healthy) {
                    healthyBook.apply(snapshot);
                }
            }
            // and a bar stream, whose gap must say which bar stream it is
            slow.send(CommandWriter.subscribe("b", List.of("BTCUSDT"), List.of(Channel.BAR), 0, 0,
                    List.of(io.tickwire.model.Periodicity.M1), List.of(io.tickwire.model.PriceType.LAST)));
            slow.expect(ServerMessage.Subscribed.class);
            slow.pauseReading();
            int published = 0;
            // Far more than the socket buffers and the water mark hold: a disconnecting plan would be cut off.
            while (published < 100_000) {
                for (int i = 0; i < 250; i++) { // rounds small enough that the reading client never falls behind
                    published++;
                    server.book("BTCUSDT", "bid", 100_00, 1 + published);
                }
                server.trade("BTCUSDT", 150_00);
                // the healthy client keeps up and stays exact
                ServerMessage m;
                do {
                    m = healthy.next();
                    if (m instanceof ServerMessage.Book b) {
                        healthyBook.apply(b);
                    }
                } while (!(m instanceof ServerMessage.Trade));
            }
            assertThat(server.server.registry().connections("conflater")).as("kept, not disconnected").isEqualTo(1);
            slow.resumeReading();
            // The slow client drains what was queued, then is told what it missed and gets the book again.
            ServerMessage.Gap gap = slow.awaitMessage(ServerMessage.Gap.class, g -> g.channel() == Channel.BOOK);
            assertThat(gap.reason()).contains("slow consumer");
            // Each time the connection fell behind and caught up (the kernel buffers absorb some data
            // before the client is truly stalled) it was resynchronised; the last snapshot is the book now.
            java.math.BigDecimal finalSize = java.math.BigDecimal.valueOf(1 + published, 6);
            ServerMessage.Book fresh = slow.awaitMessage(ServerMessage.Book.class,
                    b -> b.snapshot() && b.bids().get(0).size().compareTo(finalSize) == 0);
            ClientBook slowBook = new ClientBook(2, 6);
            slowBook.apply(fresh);
            assertThat(slowBook.checksum(3)).isEqualTo(healthyBook.checksum(3));
            assertThat(slow.history()).filteredOn(t -> t.contains("\"type\":\"gap\"") && t.contains("\"channel\":\"bar\""))
                    .isNotEmpty().allMatch(t -> t.contains("\"period\":\"1m\",\"priceType\":\"last\""));
            assertThat(slow.isOpen()).isTrue();
        }
    }
}
