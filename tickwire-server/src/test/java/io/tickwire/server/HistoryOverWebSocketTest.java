package io.tickwire.server;

import static io.tickwire.server.HistoryFixture.answer;
import static io.tickwire.server.HistoryFixture.awaitJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickwire.model.Bar;
import io.tickwire.model.Clock;
import io.tickwire.model.Decimals;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Trade;
import io.tickwire.testkit.RawWebSocketClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History over the native protocol against a real server and a real embedded QuestDB: what was
 * streamed can be read back exactly, page by page; bars agree with the trades and with closed bars
 * as the live stream handed them in; every bad request gets its stable code while the server keeps
 * streaming to everyone else.
 */
class HistoryOverWebSocketTest {

    private static final long T0 = Instant.parse("2025-11-20T10:00:00Z").getEpochSecond() * 1_000_000L;
    private static final long MINUTE = 60_000_000L;

    @TempDir
    static Path dir;

    private static HistoryFixture fixture;
    private static final List<Trade> TRADES = new ArrayList<>();
    private static Bar ethHourBar;

    @BeforeAll
    static void streamAndStore() throws Exception {
        fixture = new HistoryFixture(dir, Clock.system(), true);
        long records = 0;
        // in event-time order, as a feed sends them: a quote every 500 ms among trades every 100 ms
        // (a quote published after later trades would be late and count in a later bar)
        for (int i = 0; i < 2_500; i++) {
            if (i % 5 == 0 && i / 5 < 300) {
                fixture.quote("BTCUSDT", T0 + (i / 5) * 500_000L, 103_990_00 + i / 5, 104_010_00 + i / 5);
                records++;
            }
            long time = i >= 1_000 && i < 1_005 ? T0 + 1_000 * 100_000L : T0 + i * 100_000L; // five share a microsecond
            TRADES.add(fixture.trade("BTCUSDT", time, 104_000_00 + (i * 7_919L) % 5_000, 1_000 + i));
            records++;
        }
        ethHourBar = new Bar(TestServer.CATALOG.find("ETHUSDT").id(), 17, Periodicity.H1, PriceType.LAST, T0, 3_034_01,
                3_050_99, 3_001_00, 3_040_55, 1_234_5678, 321, T0 + 3_599_000_000L, true);
        fixture.store.onClosedBar(ethHourBar);
        fixture.awaitStored(records + 1);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyStreamedTradeCanBeReadBackExactlyPageByPage() {
        try (RawWebSocketClient client = fixture.connect(HistoryFixture.ALICE)) {
            List<JsonNode> read = new ArrayList<>();
            String request = "{\"op\":\"history\",\"id\":\"t0\",\"kind\":\"trades\",\"symbol\":\"btcusdt\",\"from\":"
                    + T0 + ",\"to\":\"2025-11-20T11:00:00Z\",\"limit\":300}";
            for (int page = 0; ; page++) {
                client.send(request);
                JsonNode answer = answer(client, "t" + page);
                assertThat(answer.path("type").asText()).isEqualTo("history");
                assertThat(answer.path("symbol").asText()).isEqualTo("BTCUSDT");
                assertThat(answer.path("priceScale").asInt()).isEqualTo(2);
                answer.path("trades").forEach(read::add);
                if (answer.path("next").isNull()) {
                    break;
                }
                request = "{\"op\":\"history\",\"id\":\"t" + (page + 1) + "\",\"cursor\":\"" + answer.path("next").asText() + "\"}";
            }
            assertThat(read).hasSize(TRADES.size());
            for (int i = 0; i < TRADES.size(); i++) {
                Trade sent = TRADES.get(i);
                JsonNode got = read.get(i);
                assertThat(got.path("seq").asLong()).isEqualTo(i + 1);
                assertThat(got.path("ts").asLong()).isEqualTo(sent.eventTime());
                assertThat(got.path("price").decimalValue()).isEqualByComparingTo(Decimals.toBigDecimal(sent.price(), 2));
                assertThat(got.path("price").toString()).isEqualTo(Decimals.formatFixed(sent.price(), 2));
                assertThat(got.path("size").toString()).isEqualTo(Decimals.formatFixed(sent.size(), 6));
                assertThat(got.path("side").asText()).isEqualTo("buy");
            }
        }
    }

    @Test
    void barsAgreeWithTheStoredTradesAndPageBackwards() {
        Map<Long, long[]> expected = new TreeMap<>(); // open -> o h l c v n
        for (Trade t : TRADES) {
            long[] b = expected.computeIfAbsent(Periodicity.M1.startOf(t.eventTime()),
                    k -> new long[] {t.price(), t.price(), t.price(), 0, 0, 0});
            b[1] = Math.max(b[1], t.price());
            b[2] = Math.min(b[2], t.price());
            b[3] = t.price();
            b[4] += t.size();
            b[5]++;
        }
        try (RawWebSocketClient client = fixture.connect(HistoryFixture.ALICE)) {
            client.send("{\"op\":\"history\",\"id\":\"b1\",\"kind\":\"bars\",\"symbol\":\"BTCUSDT\",\"period\":\"1m\","
                    + "\"from\":\"2025-11-20T09:00:00Z\",\"to\":\"2025-11-20T12:00:00Z\"}");
            JsonNode bars = answer(client, "b1");
            assertThat(bars.path("period").asText()).isEqualTo("1m");
            assertThat(bars.path("priceType").asText()).isEqualTo("last");
            assertThat(bars.path("bars")).hasSize(expected.size());
            int i = 0;
            for (Map.Entry<Long, long[]> e : expected.entrySet()) {
                JsonNode bar = bars.path("bars").get(i++);
                long[] b = e.getValue();
                assertThat(bar.path("time").asLong()).isEqualTo(e.getKey());
                assertThat(bar.path("open").toString()).isEqualTo(Decimals.formatFixed(b[0], 2));
                assertThat(bar.path("high").toString()).isEqualTo(Decimals.formatFixed(b[1], 2));
                assertThat(bar.path("low").toString()).isEqualTo(Decimals.formatFixed(b[2], 2));
                assertThat(bar.path("close").toString()).isEqualTo(Decimals.formatFixed(b[3], 2));
                assertThat(bar.path("volume").toString()).isEqualTo(Decimals.formatFixed(b[4], 6));
                assertThat(bar.path("trades").asLong()).isEqualTo(b[5]);
            }
            assertThat(bars.path("next").isNull()).isTrue();

            client.send("{\"op\":\"history\",\"id\":\"b2\",\"kind\":\"bars\",\"symbol\":\"BTCUSDT\",\"period\":\"1m\","
                    + "\"count\":-2,\"at\":" + (T0 + 3 * MINUTE) + "}");
            JsonNode last2 = answer(client, "b2");
            assertThat(last2.path("bars").findValuesAsText("time")).containsExactly(Long.toString(T0 + MINUTE),
                    Long.toString(T0 + 2 * MINUTE));
            client.send("{\"op\":\"history\",\"id\":\"b3\",\"cursor\":\"" + last2.path("next").asText() + "\"}");
            JsonNode earlier = answer(client, "b3");
            assertThat(earlier.path("bars").findValuesAsText("time")).containsExactly(Long.toString(T0));
            assertThat(earlier.path("next").isNull()).isTrue();

            client.send("{\"op\":\"history\",\"id\":\"b4\",\"kind\":\"bars\",\"symbol\":\"BTCUSDT\",\"period\":\"1m\","
                    + "\"priceType\":\"bid\",\"count\":1,\"at\":" + T0 + "}");
            JsonNode bid = answer(client, "b4").path("bars").get(0);
            assertThat(bid.path("open").toString()).isEqualTo("103990.00");
            assertThat(bid.path("close").toString()).isEqualTo(Decimals.formatFixed(103_990_00 + 119, 2));
        }
    }

    @Test
    void aClosedBarOfTheLiveStreamIsServedExactlyAsItWasClosed() {
        try (RawWebSocketClient client = fixture.connect(HistoryFixture.ALICE)) {
            client.send("{\"op\":\"history\",\"id\":9,\"kind\":\"bars\",\"symbol\":\"ETHUSDT\",\"period\":\"1h\","
                    + "\"count\":-10}");
            JsonNode answer = answer(client, "9");
            assertThat(answer.path("bars")).hasSize(1);
            JsonNode bar = answer.path("bars").get(0);
            assertThat(bar.toString()).isEqualTo("{\"time\":" + T0 + ",\"open\":3034.01,\"high\":3050.99,\"low\":3001.00,"
                    + "\"close\":3040.55,\"volume\":1234.5678,\"trades\":321}");
        }
    }

    @Test
    void instrumentsListEveryInstrumentWithWhatIsStored() {
        try (RawWebSocketClient client = fixture.connect(HistoryFixture.ALICE)) {
            client.send("{\"op\":\"instruments\",\"id\":\"i\"}");
            JsonNode answer = answer(client, "i");
            assertThat(answer.path("type").asText()).isEqualTo("instruments");
            assertThat(answer.path("historyAvailable").asBoolean()).isTrue();
            assertThat(answer.path("instruments")).hasSize(TestServer.CATALOG.size());
            JsonNode btc = answer.path("instruments").get(0);
            assertThat(btc.path("symbol").asText()).isEqualTo("BTCUSDT");
            assertThat(btc.path("trades").toString()).isEqualTo("{\"from\":" + T0 + ",\"to\":" + (T0 + 2_499 * 100_000L)
                    + ",\"count\":2500}");
            assertThat(btc.path("quotes").path("count").asLong()).isEqualTo(300);
            assertThat(answer.path("instruments").get(1).path("trades").isNull()).isTrue();
        }
    }

    @Test
    void historyAndInstrumentsAreBoundByThePlansInstrumentSetsAsLiveDataIs() {
        try (RawWebSocketClient client = fixture.connect(HistoryFixture.CRYPTO)) {
            List<String> outside = List.of(
                    "{\"op\":\"history\",\"id\":\"b\",\"kind\":\"bars\",\"symbol\":\"AAPL\",\"period\":\"1m\",\"count\":-5}",
                    "{\"op\":\"history\",\"id\":\"t\",\"kind\":\"trades\",\"symbol\":\"MSFT\",\"from\":" + T0 + "}",
                    "{\"op\":\"history\",\"id\":\"q\",\"kind\":\"quotes\",\"symbol\":\"EURUSD\",\"from\":" + T0 + "}");
            for (String request : outside) {
                client.send(request);
                JsonNode error = answer(client, HistoryFixture.json(request).path("id").asText());
                assertThat(error.path("type").asText()).as(request).isEqualTo("error");
                assertThat(error.path("code").asText()).as(request).isEqualTo("not_entitled");
                assertThat(error.path("message").asText()).as(request).contains("plan 'crypto' does not include");
            }
            client.send("{\"op\":\"history\",\"id\":\"ok\",\"kind\":\"trades\",\"symbol\":\"BTCUSDT\",\"from\":" + T0
                    + ",\"limit\":5}");
            assertThat(answer(client, "ok").path("trades")).hasSize(5);
            // the list holds what the plan includes only: anything listed can be asked for
            client.send("{\"op\":\"instruments\",\"id\":\"i\"}");
            assertThat(answer(client, "i").path("instruments").findValuesAsText("symbol")).containsExactly("BTCUSDT", "ETHUSDT");
        }
    }

    @Test
    void everyBadRequestGetsItsCodeAndTheServerKeepsStreamingToOthers() {
        try (RawWebSocketClient watcher = fixture.connect(HistoryFixture.ALICE);
             RawWebSocketClient client = fixture.connect(HistoryFixture.ALICE)) {
            watcher.send("{\"op\":\"subscribe\",\"id\":\"s\",\"symbols\":[\"MSFT\"],\"channels\":[\"trade\"]}");
            answer(watcher, "s");
            String bars = "\"op\":\"history\",\"kind\":\"bars\",\"symbol\":\"BTCUSDT\",\"period\":\"1m\",";
            Map<String, String> cases = Map.of(
                    "{\"id\":1," + bars + "\"from\":" + (T0 + MINUTE) + ",\"to\":" + T0 + "}", "invalid_time_range",
                    "{\"id\":2," + bars + "\"count\":5000}", "count_out_of_range",
                    "{\"id\":3," + bars + "\"count\":0}", "count_out_of_range",
                    "{\"id\":4," + bars + "\"from\":\"last tuesday\"}", "invalid_timestamp",
                    "{\"id\":5,\"op\":\"history\",\"kind\":\"trades\",\"symbol\":\"NOPE\",\"from\":" + T0 + "}", "unknown_symbol",
                    "{\"id\":6,\"op\":\"history\",\"cursor\":\"bm90IGEgY3Vyc29y\"}", "invalid_cursor",
                    "{\"id\":7," + bars.replace("1m", "2m") + "\"from\":" + T0 + "}", "invalid_field",
                    "{\"id\":8,\"op\":\"history\",\"kind\":\"trades\",\"symbol\":\"BTCUSDT\",\"from\":" + T0 + ",\"limit\":1001}",
                    "count_out_of_range");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                client.send(c.getKey());
                String id = c.getKey().substring(6, c.getKey().indexOf(','));
                JsonNode error = answer(client, id);
                assertThat(error.path("type").asText()).as(c.getKey()).isEqualTo("error");
                assertThat(error.path("code").asText()).as(c.getKey()).isEqualTo(c.getValue());
            }
            fixture.trade("MSFT", 0, 420_00, 5);
            JsonNode trade = awaitJson(watcher, n -> n.path("type").asText().equals("trade"));
            assertThat(trade.path("symbol").asText()).isEqualTo("MSFT");
            client.send("{\"op\":\"history\",\"id\":\"ok\",\"kind\":\"trades\",\"symbol\":\"BTCUSDT\",\"from\":" + T0
                    + ",\"limit\":5}");
            assertThat(answer(client, "ok").path("trades")).hasSize(5);
        }
    }

    @Test
    void historyNeedsAnAuthenticatedSession() {
        try (RawWebSocketClient client = RawWebSocketClient.connect(URI.create("ws://127.0.0.1:" + fixture.port() + "/v1/ws"))) {
            client.send("{\"op\":\"history\",\"id\":1,\"kind\":\"trades\",\"symbol\":\"BTCUSDT\",\"from\":" + T0 + "}");
            assertThat(answer(client, "1").path("code").asText()).isEqualTo("not_authenticated");
            client.send("{\"op\":\"instruments\",\"id\":2}");
            assertThat(answer(client, "2").path("code").asText()).isEqualTo("not_authenticated");
        }
    }

    @Test
    void historyRequestsCountAgainstTheSessionsRequestBudget() {
        try (RawWebSocketClient client = fixture.connect(HistoryFixture.THRIFTY)) { // 1 request/s, burst 3
            List<String> flood = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                flood.add("{\"op\":\"instruments\",\"id\":" + i + "}");
            }
            client.sendAll(flood);
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                JsonNode n = answer(client, Integer.toString(i));
                codes.add(n.path("type").asText().equals("error") ? n.path("code").asText() : n.path("type").asText());
            }
            assertThat(codes.subList(0, 3)).containsOnly("instruments");
            assertThat(codes).contains("rate_limited");
        }
    }
}
