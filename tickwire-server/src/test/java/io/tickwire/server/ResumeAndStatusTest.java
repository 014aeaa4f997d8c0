package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.engine.PartitionEngine;
import io.tickwire.model.Clock;
import io.tickwire.model.Trade;
import io.tickwire.protocol.v1.ServerMessage;
import io.tickwire.testkit.RawWebSocketClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming subscriptions after a reconnect (from the engine's window, and from the store beyond
 * it), heartbeats that carry each stream's position, and stale/live status.
 */
class ResumeAndStatusTest {

    private static final String SUBSCRIBE_TRADES = "{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],"
            + "\"channels\":[\"trade\"]";

    @TempDir
    Path dir;

    private static List<Long> tradeSeqs(RawWebSocketClient client, int count) {
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < count) {
            ServerMessage m = client.next();
            if (m instanceof ServerMessage.Trade t) {
                seqs.add(t.seq());
            }
        }
        return seqs;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void aReconnectingClientGetsExactlyWhatItMissedThenLive() {
        try (TestServer server = TestServer.start()) {
            try (RawWebSocketClient first = server.connectAuthenticated(TestServer.ALICE)) {
                first.send(SUBSCRIBE_TRADES + "}");
                first.expect(ServerMessage.Subscribed.class);
                for (int i = 0; i < 5; i++) {
                    server.trade("BTCUSDT", 100_000_00 + i);
                }
                assertThat(tradeSeqs(first, 5)).containsExactly(1L, 2L, 3L, 4L, 5L);
            }
            for (int i = 5; i < 12; i++) { // while the client is away
                server.trade("BTCUSDT", 100_000_00 + i);
            }
            try (RawWebSocketClient again = server.connectAuthenticated(TestServer.ALICE)) {
                again.send(SUBSCRIBE_TRADES + ",\"resumeFrom\":[{\"symbol\":\"BTCUSDT\",\"channel\":\"trade\",\"seq\":5}]}");
                again.expect(ServerMessage.Subscribed.class);
                ServerMessage.Resumed resumed = again.awaitMessage(ServerMessage.Resumed.class, r -> true);
                assertThat(resumed.mode()).isEqualTo("exact");
                assertThat(resumed.after()).isEqualTo(5);
                assertThat(resumed.replayed()).isEqualTo(7);
                server.trade("BTCUSDT", 100_100_00);
                assertThat(tradeSeqs(again, 8)).isEqualTo(range(6, 13)); // no gap, no duplicate
            }
        }
    }

    @Test
    void quotesAndBooksResumeWithAFreshSnapshot() {
        try (TestServer server = TestServer.start()) {
            server.book("ETHUSDT", "bid", 3_000_00, 10_000, "ask", 3_001_00, 20_000);
            try (RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
                client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"ETHUSDT\"],\"channels\":[\"book\"],"
                        + "\"resumeFrom\":[{\"symbol\":\"ETHUSDT\",\"channel\":\"book\",\"seq\":1}]}");
                client.expect(ServerMessage.Subscribed.class);
                assertThat(client.awaitMessage(ServerMessage.Resumed.class, r -> true).mode()).isEqualTo("snapshot");
                ServerMessage.Book book = client.awaitMessage(ServerMessage.Book.class, b -> true);
                assertThat(book.snapshot()).isTrue();
            }
        }
    }

    @Test
    void tradesOlderThanTheWindowComeFromTheStore() throws Exception {
        HistoryFixture fixture = new HistoryFixture(dir, Clock.system(), true);
        try {
            long t0 = Clock.system().epochMicros() - 60_000_000L;
            int total = PartitionEngine.RECENT_MESSAGES + 500;
            List<Trade> published = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                published.add(fixture.trade("BTCUSDT", t0 + i * 1_000L, 104_000_00 + i % 100, 1_000));
            }
            fixture.awaitStored(total);
            long seenTs = t0 + 9 * 1_000L; // the client saw seq 10, at this time
            try (RawWebSocketClient client = fixture.connect(HistoryFixture.ALICE)) {
                client.send(SUBSCRIBE_TRADES + ",\"resumeFrom\":[{\"symbol\":\"BTCUSDT\",\"channel\":\"trade\","
                        + "\"seq\":10,\"ts\":" + seenTs + "}]}");
                client.expect(ServerMessage.Subscribed.class);
                ServerMessage.Resumed resumed = client.awaitMessage(ServerMessage.Resumed.class, r -> true);
                assertThat(resumed.mode()).isEqualTo("exact");
                assertThat(resumed.replayed()).isEqualTo(total - 10);
                assertThat(tradeSeqs(client, total - 10)).isEqualTo(range(11, total));
                fixture.trade("BTCUSDT", t0 + total * 1_000L, 104_000_00, 1_000);
                assertThat(tradeSeqs(client, 1)).containsExactly((long) total + 1);
            }
            try (RawWebSocketClient noTime = fixture.connect(HistoryFixture.ALICE)) { // without ts: told of the gap
                noTime.send(SUBSCRIBE_TRADES + ",\"resumeFrom\":[{\"symbol\":\"BTCUSDT\",\"channel\":\"trade\",\"seq\":10}]}");
                noTime.expect(ServerMessage.Subscribed.class);
                ServerMessage.Resumed gap = noTime.awaitMessage(ServerMessage.Resumed.class, r -> true);
                assertThat(gap.mode()).isEqualTo("gap");
                assertThat(gap.missedFrom()).isEqualTo(11);
                assertThat(gap.missedTo()).isEqualTo(total + 1 - PartitionEngine.RECENT_MESSAGES);
                assertThat(tradeSeqs(noTime, 1)).containsExactly(gap.missedTo() + 1);
            }
        } finally {
            fixture.close();
        }
    }

    @Test
    void sinceATimeGivesStoredThenHeldThenLiveTradesInOneSeamlessSeries() throws Exception {
        HistoryFixture fixture = new HistoryFixture(dir, Clock.system(), true);
        try {
            long t0 = Clock.system().epochMicros() - 60_000_000L;
            int total = PartitionEngine.RECENT_MESSAGES + 300; // the first 300 are only in the store
            for (int i = 0; i < total; i++) {
                fixture.trade("BTCUSDT", t0 + i * 1_000L, 104_000_00 + i % 100, 1_000);
            }
            fixture.awaitStored(total);
            try (RawWebSocketClient client = fixture.connect(HistoryFixture.ALICE)) {
                client.send(SUBSCRIBE_TRADES + ",\"since\":" + (t0 + 99 * 1_000L) + "}"); // from the 100th trade on
                client.expect(ServerMessage.Subscribed.class);
                ServerMessage.Resumed resumed = client.awaitMessage(ServerMessage.Resumed.class, r -> true);
                assertThat(resumed.mode()).isEqualTo("exact");
                assertThat(resumed.replayed()).isEqualTo(total - 99);
                assertThat(tradeSeqs(client, total - 99)).isEqualTo(range(100, total));
                fixture.trade("BTCUSDT", t0 + total * 1_000L, 104_000_00, 1_000);
                assertThat(tradeSeqs(client, 1)).containsExactly((long) total + 1); // then live, no overlap
            }
            try (RawWebSocketClient recent = fixture.connect(HistoryFixture.ALICE)) { // within the window: from memory
                recent.send(SUBSCRIBE_TRADES + ",\"since\":" + (t0 + (total - 5) * 1_000L) + "}");
                recent.expect(ServerMessage.Subscribed.class);
                assertThat(recent.awaitMessage(ServerMessage.Resumed.class, r -> true).replayed()).isEqualTo(6);
                assertThat(tradeSeqs(recent, 6)).isEqualTo(range(total - 4, total + 1));
            }
        } finally {
            fixture.close();
        }
    }

    @Test
    void barsSinceATimeAreTheStoredClosedOnesThenTheFormingOneThenLive() throws Exception {
        HistoryFixture fixture = new HistoryFixture(dir, Clock.system(), true);
        try {
            long minute = 60_000_000L;
            long t0 = (Clock.system().epochMicros() / minute - 10) * minute; // ten whole minutes ago
            for (int i = 0; i < 54; i++) { // one trade every 10 s: bars for minutes 0..8
                fixture.trade("BTCUSDT", t0 + i * 10_000_000L, 104_000_00 + i, 1_000);
            }
            // minute 9 forming, its trade early in the minute: the engine's market clock (the last event
            // time plus the wall time since) closes it only after ~59 s, far beyond what the test takes
            fixture.trade("BTCUSDT", t0 + 9 * minute + 1_000_000L, 104_000_54, 1_000);
            fixture.awaitStored(55 + 9); // the trades and the nine bars the engine closed
            try (RawWebSocketClient client = fixture.connect(HistoryFixture.ALICE)) {
                client.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"bar\"],"
                        + "\"periods\":[\"1m\"],\"since\":" + (t0 + 2 * minute) + "}");
                client.expect(ServerMessage.Subscribed.class);
                ServerMessage.Resumed resumed = client.awaitMessage(ServerMessage.Resumed.class, r -> true);
                assertThat(resumed.mode()).isEqualTo("exact");
                assertThat(resumed.replayed()).isEqualTo(7 + 1); // minutes 2..8 closed, then minute 9 forming
                List<ServerMessage.Bar> bars = new ArrayList<>();
                while (bars.size() < 8) {
                    if (client.next() instanceof ServerMessage.Bar b) {
                        bars.add(b);
                    }
                }
                for (int i = 0; i < 8; i++) {
                    assertThat(bars.get(i).time()).as("bar %d", i).isEqualTo(t0 + (2 + i) * minute);
                    assertThat(bars.get(i).closed()).isEqualTo(i < 7);
                }
                fixture.trade("BTCUSDT", t0 + 9 * minute + 2_000_000L, 104_100_00, 1_000);
                ServerMessage.Bar live = client.awaitMessage(ServerMessage.Bar.class, b -> true);
                assertThat(live.time()).isEqualTo(t0 + 9 * minute); // the same forming bar, updated: no period twice
                assertThat(live.closed()).isFalse();
            }
        } finally {
            fixture.close();
        }
    }

    @Test
    void badResumePointsAndTimesAreRefusedWithStableCodesAndTheSessionCarriesOn() {
        try (TestServer server = TestServer.start();
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(SUBSCRIBE_TRADES + ",\"resumeFrom\":\"BTCUSDT\"}");
            assertThat(client.expect(ServerMessage.Error.class).errorCode()).isEqualTo(io.tickwire.protocol.ErrorCode.INVALID_FIELD);
            client.send(SUBSCRIBE_TRADES + ",\"resumeFrom\":[{\"symbol\":\"BTCUSDT\",\"channel\":\"trade\",\"seq\":-5}]}");
            ServerMessage.Error negative = client.expect(ServerMessage.Error.class);
            assertThat(negative.errorCode()).isEqualTo(io.tickwire.protocol.ErrorCode.INVALID_FIELD);
            assertThat(negative.message()).contains("resumeFrom");
            client.send(SUBSCRIBE_TRADES + ",\"since\":-1}");
            assertThat(client.expect(ServerMessage.Error.class).errorCode())
                    .isEqualTo(io.tickwire.protocol.ErrorCode.INVALID_TIMESTAMP);
            client.send(SUBSCRIBE_TRADES + "}"); // the session still serves
            assertThat(client.expect(ServerMessage.Subscribed.class)).isNotNull();
        }
    }

    @Test
    void heartbeatsCarryEachStreamsLastSequenceAndTime() {
        ServerConfig config = ServerConfig.defaults().toBuilder().heartbeatInterval(Duration.ofMillis(100)).build();
        try (TestServer server = TestServer.start(config, Clock.system());
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(SUBSCRIBE_TRADES + "}");
            client.expect(ServerMessage.Subscribed.class);
            server.trade("BTCUSDT", 100_000_00);
            server.trade("BTCUSDT", 100_000_01);
            ServerMessage.Heartbeat beat = client.awaitMessage(ServerMessage.Heartbeat.class,
                    h -> !h.streams().isEmpty() && h.streams().getFirst().seq() == 2);
            ServerMessage.StreamPosition position = beat.streams().getFirst();
            assertThat(position.symbol()).isEqualTo("BTCUSDT");
            assertThat(position.channel().wireName()).isEqualTo("trade");
            assertThat(position.ts()).isPositive();
        }
    }

    @Test
    void aSourceThatGoesQuietIsStaleThenLiveAgain() {
        try (TestServer server = TestServer.startStaleAfter(ServerConfig.defaults(), Duration.ofMillis(300));
             RawWebSocketClient client = server.connectAuthenticated(TestServer.ALICE)) {
            client.send(SUBSCRIBE_TRADES + "}");
            client.expect(ServerMessage.Subscribed.class);
            server.trade("BTCUSDT", 100_000_00);
            ServerMessage.Status stale = client.awaitMessage(ServerMessage.Status.class, s -> true);
            assertThat(stale.state()).isEqualTo("stale");
            assertThat(stale.symbol()).isEqualTo("BTCUSDT");
            server.trade("BTCUSDT", 100_000_01);
            ServerMessage.Status live = client.awaitMessage(ServerMessage.Status.class, s -> true);
            assertThat(live.state()).isEqualTo("live");
            assertThat(tradeSeqs(client, 1)).containsExactly(2L); // the trade follows its status
        }
    }
}
