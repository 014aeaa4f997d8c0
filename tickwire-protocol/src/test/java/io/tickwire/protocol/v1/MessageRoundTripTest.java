package io.tickwire.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ErrorCode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the server writes, a client reads back exactly. */
class MessageRoundTripTest {

    private static final Instrument BTC = new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, "Bitcoin", "BTC", "USDT", 2, 6, 50);

    private final MessageWriter writer = new MessageWriter();
    private final MessageReader reader = new MessageReader();

    @Test
    void quoteKeepsEveryDigit() {
        Quote q = new Quote(0, 42, 1_731_689_407_000_123L, 6_701_250, 800_000, 6_701_300, 1_200_000, 6_701_275, 1_234_500_000L);
        writer.quote(BTC, q, 1_731_689_407_000_456L, true);
        assertThat(writer.text()).isEqualTo("{\"type\":\"quote\",\"symbol\":\"BTCUSDT\",\"seq\":42,\"ts\":1731689407000123,"
                + "\"sent\":1731689407000456,\"snapshot\":true,\"bid\":67012.50,\"bidSize\":0.800000,\"ask\":67013.00,"
                + "\"askSize\":1.200000,\"last\":67012.75,\"volume\":1234.500000}");
        ServerMessage.Quote read = (ServerMessage.Quote) reader.read(writer.text());
        assertThat(read.seq()).isEqualTo(42);
        assertThat(read.snapshot()).isTrue();
        assertThat(read.bid()).isEqualByComparingTo(new BigDecimal("67012.50"));
        assertThat(read.volume()).isEqualByComparingTo("1234.5");
    }

    @Test
    void tradeRoundTrips() {
        writer.trade(BTC, new Trade(0, 7, 10, 6_701_250, 15_000, Side.SELL, 99), 11);
        assertThat(reader.read(writer.text())).isEqualTo(new ServerMessage.Trade("BTCUSDT", 7, 10, 11,
                new BigDecimal("67012.50"), new BigDecimal("0.015000"), Side.SELL, 99));
    }

    @Test
    void bookBarAndGapMessagesRoundTrip() {
        io.tickwire.model.DepthUpdate d = new io.tickwire.model.DepthUpdate(0, 9, 7, 100, 10, false,
                new long[] {6_701_250}, new long[] {0}, new long[] {6_701_300, 6_701_400}, new long[] {1_200_000, 5}, 4242);
        writer.book(BTC, d, 101, "\"r1\"");
        assertThat(writer.text()).contains("\"bids\":[[67012.50,0.000000]]").contains("\"asks\":[[67013.00,1.200000],[67014.00,0.000005]]")
                .contains("\"prevSeq\":7").contains("\"id\":\"r1\"").doesNotContain("snapshot");
        ServerMessage.Book book = (ServerMessage.Book) reader.read(writer.text());
        assertThat(book.seq()).isEqualTo(9);
        assertThat(book.prevSeq()).isEqualTo(7);
        assertThat(book.depth()).isEqualTo(10);
        assertThat(book.checksum()).isEqualTo(4242);
        assertThat(book.asks()).extracting(ServerMessage.Level::price).containsExactly(new BigDecimal("67013.00"), new BigDecimal("67014.00"));
        assertThat(book.id()).isEqualTo("r1");

        io.tickwire.model.Bar bar = new io.tickwire.model.Bar(0, 3, io.tickwire.model.Periodicity.M5,
                io.tickwire.model.PriceType.LAST, 300_000_000L, 100, 150, 90, 120, 2_500_000, 4, 310_000_000L, true);
        writer.bar(BTC, bar, 311_000_000L, false, 1, null);
        ServerMessage.Bar read = (ServerMessage.Bar) reader.read(writer.text());
        assertThat(read.period()).isEqualTo(io.tickwire.model.Periodicity.M5);
        assertThat(read.close()).isEqualByComparingTo("1.20");
        assertThat(read.volume()).isEqualByComparingTo("2.5");
        assertThat(read.closed()).isTrue();
        assertThat(read.prevSeq()).isEqualTo(1);
        assertThat(read.ts()).isEqualTo(310_000_000L);

        writer.gap("BTCUSDT", Channel.BOOK, "lost");
        assertThat(reader.read(writer.text())).isEqualTo(new ServerMessage.Gap("BTCUSDT", Channel.BOOK, "lost"));
        writer.gap("BTCUSDT", Channel.BAR, io.tickwire.model.Periodicity.M5, io.tickwire.model.PriceType.BID, "lost");
        assertThat(writer.text()).contains("\"period\":\"5m\",\"priceType\":\"bid\"");
        assertThat(reader.read(writer.text())).isEqualTo(new ServerMessage.Gap("BTCUSDT", Channel.BAR,
                io.tickwire.model.Periodicity.M5, io.tickwire.model.PriceType.BID, "lost"));
    }

    @Test
    void writerIsReusableAcrossMessages() {
        writer.heartbeat(1);
        writer.heartbeat(2);
        assertThat(writer.text()).isEqualTo("{\"type\":\"heartbeat\",\"time\":2}");
    }

    @Test
    void sessionMessagesRoundTrip() {
        writer.welcome(new ServerMessage.Welcome("tickwire", "0.1.0", 1, "s1", false, null, List.of("token"), 10_000, 5_000, 65_536, 77));
        assertThat(reader.read(writer.text())).isEqualTo(
                new ServerMessage.Welcome("tickwire", "0.1.0", 1, "s1", false, null, List.of("token"), 10_000, 5_000, 65_536, 77));

        ServerMessage.Limits limits = new ServerMessage.Limits(5, 100, List.of(Channel.QUOTE, Channel.TRADE), 20);
        writer.authenticated("\"a\"", "demo", "pro", limits);
        assertThat(reader.read(writer.text())).isEqualTo(new ServerMessage.Authenticated("a", "demo", "pro", limits));

        List<ServerMessage.StreamRef> refs = List.of(new ServerMessage.StreamRef("BTCUSDT", Channel.QUOTE));
        List<ServerMessage.InstrumentInfo> infos = List.of(new ServerMessage.InstrumentInfo("BTCUSDT", AssetClass.CRYPTO, 2, 6));
        List<ServerMessage.Rejection> rejected = List.of(new ServerMessage.Rejection("NOPE", null, "unknown_symbol", "no such symbol"));
        writer.subscribed("3", refs, infos, rejected);
        assertThat(reader.read(writer.text())).isEqualTo(new ServerMessage.Subscribed("3", refs, infos, rejected));

        writer.pong("\"p\"", "{\"a\":[1,2]}", 9);
        assertThat(reader.read(writer.text())).isEqualTo(new ServerMessage.Pong("p", "{\"a\":[1,2]}", 9));

        writer.error("\"s\"", ErrorCode.SYMBOL_LIMIT, "too many", 100, -1);
        ServerMessage.Error error = (ServerMessage.Error) reader.read(writer.text());
        assertThat(error.errorCode()).isEqualTo(ErrorCode.SYMBOL_LIMIT);
        assertThat(error.limit()).isEqualTo(100);
        assertThat(error.retryAfterMs()).isEqualTo(-1);
    }

    @Test
    void unknownTypesArePassedThrough() {
        assertThat(reader.read("{\"type\":\"news\",\"x\":1}")).isEqualTo(new ServerMessage.Unknown("news", "{\"type\":\"news\",\"x\":1}"));
    }

    @Test
    void commandWriterOutputIsReadByTheServer() throws Exception {
        CommandReader commands = new CommandReader();
        assertThat(commands.read(CommandWriter.subscribe("1", List.of("A", "B"), List.of(Channel.TRADE))))
                .isEqualTo(new Command.Subscribe("\"1\"", List.of("A", "B"), List.of(Channel.TRADE)));
        assertThat(commands.read(CommandWriter.auth("2", "secret"))).isEqualTo(new Command.Auth("\"2\"", "secret"));
        assertThat(commands.read(CommandWriter.ping(null, "hi"))).isEqualTo(new Command.Ping(null, "\"hi\""));
    }
}
