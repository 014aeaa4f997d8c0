package io.tickwire.protocol.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.TimeText;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import io.tickwire.protocol.v1.Command;
import io.tickwire.protocol.v1.CommandReader;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistoryRequestParserTest {

    private static final long T = 1_763_856_000_000_000L; // 2025-11-23T00:00:00Z

    private static HistoryRequest parse(HistoryRequest.Kind kind, String... pairs) throws ProtocolException {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put(pairs[i], pairs[i + 1]);
        }
        return HistoryRequestParser.parse(params::get, kind, "\"h1\"");
    }

    private static ErrorCode refusal(HistoryRequest.Kind kind, String... pairs) {
        try {
            parse(kind, pairs);
        } catch (ProtocolException e) {
            assertThat(e.requestId()).isEqualTo("\"h1\"");
            return e.code();
        }
        throw new AssertionError("accepted " + String.join(" ", pairs));
    }

    @Test
    void aRangeOfBarsWithDefaults() throws Exception {
        HistoryRequest r = parse(null, "kind", "bars", "symbol", " BTCUSDT ", "period", "1m", "from", Long.toString(T),
                "to", "2025-11-23T01:00:00Z");
        assertThat(r).isEqualTo(new HistoryRequest(HistoryRequest.Kind.BARS, "BTCUSDT", Periodicity.M1, PriceType.LAST, T,
                T + 3_600_000_000L, 1_000, false, 0));
    }

    @Test
    void countsGoBackwardsOrForwardsFromAt() throws Exception {
        assertThat(parse(HistoryRequest.Kind.BARS, "symbol", "X", "period", "1h", "priceType", "BID", "count", "-100",
                "at", "2025-11-23")).isEqualTo(new HistoryRequest(HistoryRequest.Kind.BARS, "X", Periodicity.H1, PriceType.BID,
                0, T, 100, true, 0));
        assertThat(parse(HistoryRequest.Kind.BARS, "symbol", "X", "period", "1M", "count", "-5").to())
                .isEqualTo(HistoryRequest.OPEN_END);
        assertThat(parse(HistoryRequest.Kind.BARS, "symbol", "X", "period", "1d", "count", "1000", "at", Long.toString(T)))
                .isEqualTo(new HistoryRequest(HistoryRequest.Kind.BARS, "X", Periodicity.D1, PriceType.LAST, T,
                        HistoryRequest.OPEN_END, 1_000, false, 0));
    }

    @Test
    void everyBadInputHasItsStableCode() {
        HistoryRequest.Kind bars = HistoryRequest.Kind.BARS;
        HistoryRequest.Kind trades = HistoryRequest.Kind.TRADES;
        String t = Long.toString(T);
        assertThat(refusal(bars, "symbol", "X", "period", "1m", "from", t, "to", Long.toString(T - 1)))
                .isEqualTo(ErrorCode.INVALID_TIME_RANGE);
        assertThat(refusal(trades, "symbol", "X", "from", t, "to", t)).isEqualTo(ErrorCode.INVALID_TIME_RANGE);
        assertThat(refusal(bars, "symbol", "X", "period", "1m", "count", "0")).isEqualTo(ErrorCode.COUNT_OUT_OF_RANGE);
        assertThat(refusal(bars, "symbol", "X", "period", "1m", "count", "-1001")).isEqualTo(ErrorCode.COUNT_OUT_OF_RANGE);
        assertThat(refusal(bars, "symbol", "X", "period", "1m", "count", "99999999999999")).isEqualTo(ErrorCode.COUNT_OUT_OF_RANGE);
        assertThat(refusal(trades, "symbol", "X", "from", t, "limit", "0")).isEqualTo(ErrorCode.COUNT_OUT_OF_RANGE);
        assertThat(refusal(trades, "symbol", "X", "from", t, "limit", "1001")).isEqualTo(ErrorCode.COUNT_OUT_OF_RANGE);
        assertThat(refusal(trades, "symbol", "X", "from", "yesterday")).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThat(refusal(trades, "symbol", "X", "from", "2025-13-01T00:00:00Z")).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThat(refusal(trades, "symbol", "X", "from", "-5")).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThat(refusal(trades, "symbol", "X", "from", "1e9")).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThat(refusal(trades, "symbol", "X", "from", "99999999999999999999")).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThat(refusal(trades, "symbol", "X", "from", "10000-01-01T00:00:00Z")).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThat(refusal(trades, "symbol", "X", "from", "2025-11-23T00:00:00.0000001Z")).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
        assertThat(refusal(trades, "from", t)).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(trades, "symbol", "X")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(trades, "symbol", "X", "count", "-5")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(bars, "symbol", "X", "from", t)).isEqualTo(ErrorCode.INVALID_FIELD); // no period
        assertThat(refusal(bars, "symbol", "X", "period", "2m", "from", t)).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(bars, "symbol", "X", "period", "1m", "priceType", "mid", "from", t)).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(bars, "symbol", "X", "period", "1m", "count", "-5", "from", t)).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(bars, "symbol", "X", "period", "1m", "count", "5")).isEqualTo(ErrorCode.INVALID_FIELD); // no at
        assertThat(refusal(bars, "symbol", "X", "period", "1m", "count", "ten")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(null, "symbol", "X", "from", t)).isEqualTo(ErrorCode.INVALID_FIELD); // no kind
        assertThat(refusal(null, "kind", "ticks", "symbol", "X", "from", t)).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(bars, "cursor", "not-a-cursor")).isEqualTo(ErrorCode.INVALID_CURSOR);
    }

    @Test
    void cursorsCarryTheWholeRequestAndOnlyForTheirKind() throws Exception {
        // the testkit sits above this module, so seeded cases by hand
        for (int seed = 0; seed < 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            HistoryRequest.Kind kind = HistoryRequest.Kind.values()[random.nextInt(3)];
            boolean bars = kind == HistoryRequest.Kind.BARS;
            long from = random.nextLong(0, TimeText.MAX_MICROS);
            long to = random.nextBoolean() ? HistoryRequest.OPEN_END : from + random.nextLong(1, 1_000_000_000L);
            HistoryRequest request = new HistoryRequest(kind, random.nextBoolean() ? "BTCUSDT" : "üx", // opaque text
                    bars ? Periodicity.values()[random.nextInt(9)] : null, bars ? PriceType.values()[random.nextInt(3)] : null,
                    from, to, random.nextInt(1, 1_001), bars && random.nextBoolean(), bars ? 0 : random.nextInt(0, 5_000));
            String cursor = HistoryCursor.encode(request);
            assertThat(cursor).as("seed %d", seed).hasSizeLessThanOrEqualTo(HistoryCursor.MAX_LENGTH).matches("[A-Za-z0-9_-]+");
            assertThat(HistoryCursor.decode(cursor)).as("seed %d", seed).isEqualTo(request);
        }
        String tradesCursor = HistoryCursor.encode(new HistoryRequest(HistoryRequest.Kind.TRADES, "X", null, null, 1, 2, 10,
                false, 3));
        assertThat(parse(HistoryRequest.Kind.TRADES, "cursor", tradesCursor, "from", "garbage ignored").skip()).isEqualTo(3);
        assertThat(refusal(HistoryRequest.Kind.BARS, "cursor", tradesCursor)).isEqualTo(ErrorCode.INVALID_CURSOR);
    }

    @Test
    void theNativeOpReadsNumbersAndStrings() throws Exception {
        CommandReader reader = new CommandReader();
        Command c = reader.read("{\"op\":\"history\",\"id\":7,\"kind\":\"trades\",\"symbol\":\"BTCUSDT\",\"from\":" + T
                + ",\"to\":\"2025-11-23T00:00:01Z\",\"limit\":50}");
        assertThat(c).isEqualTo(new Command.History("7", new HistoryRequest(HistoryRequest.Kind.TRADES, "BTCUSDT", null,
                null, T, T + 1_000_000, 50, false, 0)));
        assertThat(reader.read("{\"op\":\"instruments\",\"id\":\"i\"}")).isEqualTo(new Command.Instruments("\"i\""));
        assertThatThrownBy(() -> reader.read("{\"op\":\"history\",\"id\":1,\"kind\":\"bars\",\"symbol\":\"X\","
                + "\"period\":\"1m\",\"count\":-1.5}")).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThatThrownBy(() -> reader.read("{\"op\":\"history\",\"id\":1,\"kind\":\"bars\",\"symbol\":[\"X\"]}"))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    void timestampsReadAndWriteTheSameInstant() {
        assertThat(TimeText.parseMicros("2025-11-23T12:25:47.695519Z")).isEqualTo(1_763_900_747_695_519L);
        assertThat(TimeText.parseMicros("2025-11-23T13:25:47.695519+01:00")).isEqualTo(1_763_900_747_695_519L);
        assertThat(TimeText.formatIso(1_763_900_747_695_519L)).isEqualTo("2025-11-23T12:25:47.695519Z");
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 500; i++) {
            long micros = random.nextLong(0, TimeText.MAX_MICROS + 1);
            assertThat(TimeText.parseMicros(TimeText.formatIso(micros))).as("%d", micros).isEqualTo(micros);
        }
    }
}
