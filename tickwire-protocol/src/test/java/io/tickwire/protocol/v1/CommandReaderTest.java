package io.tickwire.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tickwire.model.Channel;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandReaderTest {

    private final CommandReader reader = new CommandReader();

    @Test
    void readsEveryOpWithItsId() throws Exception {
        assertThat(reader.read("{\"op\":\"auth\",\"id\":\"a1\",\"token\":\"t0k\"}"))
                .isEqualTo(new Command.Auth("\"a1\"", "t0k"));
        assertThat(reader.read("{\"op\":\"subscribe\",\"id\":7,\"symbols\":[\"BTCUSDT\",\"EURUSD\"],\"channels\":[\"quote\"]}"))
                .isEqualTo(new Command.Subscribe("7", List.of("BTCUSDT", "EURUSD"), List.of(Channel.QUOTE)));
        assertThat(reader.read("{\"op\":\"unsubscribe\",\"symbols\":\"BTCUSDT, ETHUSDT\"}"))
                .isEqualTo(new Command.Unsubscribe(null, List.of("BTCUSDT", "ETHUSDT"), CommandReader.DEFAULT_CHANNELS));
        assertThat(reader.read("{\"op\":\"ping\",\"id\":\"p\",\"payload\":{\"n\":[1, 2.50,\"x\"]}}"))
                .isEqualTo(new Command.Ping("\"p\"", "{\"n\":[1, 2.50,\"x\"]}"));
        assertThat(reader.read("{\"payload\":1731688569840,\"op\":\"ping\"}"))
                .isEqualTo(new Command.Ping(null, "1731688569840"));
        assertThat(reader.read("{\"op\":\"ping\",\"payload\":\"x\\\"y\"}"))
                .isEqualTo(new Command.Ping(null, "\"x\\\"y\""));
    }

    @Test
    void readsAFrameThatStartsInsideALargerArray() throws Exception {
        // a pooled heap buffer hands over its whole array with the frame at an offset: raw values
        // (ids, ping payloads, cursors) must be copied from the frame, not from the array's start
        for (String json : java.util.List.of("{\"op\":\"ping\",\"id\":\"p-1\",\"payload\":{\"n\":[1,\"x\"]}}",
                "{\"op\":\"subscribe\",\"id\":42,\"symbols\":[\"BTCUSDT\"]}")) {
            String before = "{\"op\":\"garbage\",\"id\":\"zzzzzz\"}";
            byte[] array = (before + json + "trailing").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(reader.read(array, before.length(), json.length())).as(json).isEqualTo(reader.read(json));
        }
    }

    @Test
    void anIntegerTooBigForItsFieldIsThatFieldsFaultNotMalformedJson() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> reader.read("{\"op\":\"subscribe\","
                + "\"id\":\"d\",\"symbols\":[\"BTCUSDT\"],\"channels\":[\"book\"],\"depth\":123456789012345678901}"));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.getMessage()).contains("depth").contains("out of range");
        assertThat(e.requestId()).isEqualTo("\"d\"");
    }

    @Test
    void ignoresUnknownFieldsAndDuplicateChannels() throws Exception {
        assertThat(reader.read("{\"op\":\"subscribe\",\"future\":{\"a\":[1]},\"symbols\":[\"X\"],\"channels\":[\"trade\",\"trade\"]}"))
                .isEqualTo(new Command.Subscribe(null, List.of("X"), List.of(Channel.TRADE)));
    }

    @Test
    void shouldRejectMalformedJson() {
        assertThat(fail("{\"op\":\"ping\"").code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(fail("not json").code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(fail("").code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(fail("{\"op\":\"ping\"} {}").code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    @Test
    void shouldRejectJsonThatIsNotAnObject() {
        assertThat(fail("[1,2]").code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(fail("\"subscribe\"").code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(fail("42").code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRejectUnknownOpEchoingTheId() {
        ProtocolException e = fail("{\"op\":\"buy\",\"id\":\"x9\"}");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OP);
        assertThat(e.requestId()).isEqualTo("\"x9\"");
        assertThat(e.getMessage()).contains("buy");
    }

    @Test
    void shouldRejectMissingOrWronglyTypedFields() {
        assertThat(fail("{\"id\":1}").getMessage()).contains("'op' is required");
        assertThat(fail("{\"op\":5}").getMessage()).contains("'op' must be a string");
        assertThat(fail("{\"op\":\"auth\"}").getMessage()).contains("'token'");
        assertThat(fail("{\"op\":\"auth\",\"token\":5}").getMessage()).contains("'token' must be a string");
        assertThat(fail("{\"op\":\"subscribe\"}").getMessage()).contains("'symbols'");
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[]}").getMessage()).contains("'symbols'");
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[1,2]}").getMessage()).contains("'symbols' must be an array of strings");
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":{\"a\":1}}").getMessage()).contains("'symbols'");
        assertThat(fail("{\"op\":\"ping\",\"id\":{\"a\":1}}").getMessage()).contains("'id'");
        ProtocolException e = fail("{\"op\":\"subscribe\",\"id\":\"k\",\"symbols\":[\"X\"],\"channels\":[\"candles\"]}");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
        assertThat(e.requestId()).isEqualTo("\"k\"");
        assertThat(fail("{\"op\":\"auth\",\"token\":\"t\",\"id\":\"" + "x".repeat(100) + "\"}").code())
                .isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    void readsDeliveryOptionsAndSnapshotRequests() throws Exception {
        Command.Subscribe sub = (Command.Subscribe) reader.read("{\"op\":\"subscribe\",\"symbols\":[\"X\"],"
                + "\"channels\":[\"book\",\"bar\"],\"depth\":5,\"throttleMs\":500,\"periods\":\"1m,1h\",\"priceTypes\":[\"bid\",\"ASK\"]}");
        assertThat(sub.options()).isEqualTo(new Command.Options(5, 500, List.of(io.tickwire.model.Periodicity.M1,
                io.tickwire.model.Periodicity.H1), List.of(io.tickwire.model.PriceType.BID, io.tickwire.model.PriceType.ASK)));
        assertThat(((Command.Subscribe) reader.read("{\"op\":\"subscribe\",\"symbols\":[\"X\"]}")).options())
                .isEqualTo(Command.Options.DEFAULT);
        assertThat(reader.read("{\"op\":\"snapshot\",\"id\":\"s\",\"symbol\":\"X\",\"channel\":\"bar\",\"period\":\"1d\"}"))
                .isEqualTo(new Command.Snapshot("\"s\"", "X", Channel.BAR, io.tickwire.model.Periodicity.D1,
                        io.tickwire.model.PriceType.LAST));
        Command.Unsubscribe unsub = (Command.Unsubscribe) reader.read(
                "{\"op\":\"unsubscribe\",\"symbols\":[\"X\"],\"channels\":[\"bar\"],\"periods\":[\"5m\"]}");
        assertThat(unsub.periods()).containsExactly(io.tickwire.model.Periodicity.M5);
        assertThat(unsub.priceTypes()).isNull();
    }

    @Test
    void shouldRejectBadDeliveryOptionsWithTheirOwnCodes() {
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[\"X\"],\"depth\":0}").code()).isEqualTo(ErrorCode.INVALID_DEPTH);
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[\"X\"],\"depth\":5000}").code()).isEqualTo(ErrorCode.INVALID_DEPTH);
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[\"X\"],\"depth\":5000}").getMessage())
                .as("names the bound the request broke, not the per-instrument maximum checked later")
                .startsWith("depth must be 1..4095, was 5000");
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[\"X\"],\"depth\":\"ten\"}").code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[\"X\"],\"throttleMs\":333}").code()).isEqualTo(ErrorCode.INVALID_THROTTLE);
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[\"X\"],\"periods\":[\"7m\"]}").code()).isEqualTo(ErrorCode.UNKNOWN_PERIOD);
        assertThat(fail("{\"op\":\"subscribe\",\"symbols\":[\"X\"],\"priceTypes\":[\"mid\"]}").code()).isEqualTo(ErrorCode.UNKNOWN_PRICE_TYPE);
        assertThat(fail("{\"op\":\"snapshot\",\"channel\":\"book\"}").getMessage()).contains("'symbol'");
        assertThat(fail("{\"op\":\"snapshot\",\"symbol\":\"X\"}").getMessage()).contains("'channel'");
        assertThat(fail("{\"op\":\"snapshot\",\"symbol\":\"X\",\"channel\":\"trade\"}").getMessage()).contains("no snapshot");
    }

    private ProtocolException fail(String frame) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> reader.read(frame));
        assertThat(e).as("expected %s to be rejected", frame).isNotNull();
        return e;
    }
}
