package io.tickwire.bench.jmh;

import io.tickwire.model.AssetClass;
import io.tickwire.model.DepthUpdate;
import io.tickwire.model.Instrument;
import io.tickwire.model.Quote;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.v1.MessageWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding messages to native JSON (what fan-out does once per message and format, before the
 * shared frame goes to every subscriber). Target: 2 M book updates/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class EncodingBenchmark {

    private final Instrument btc = new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, null, "BTC", "USDT", 2, 6, 20);
    private final MessageWriter writer = new MessageWriter();
    private final DepthUpdate bookChange = new DepthUpdate(0, 1_000_001, 1_000_000, 1_700_000_000_000_000L, 10, false,
            new long[] {10_123_450}, new long[] {1_250_000}, new long[] {10_123_500, 10_124_000},
            new long[] {0, 3_400_000}, 2_780_914_395L);
    private final Quote quote = new Quote(0, 42, 1_700_000_000_000_000L, 10_123_450, 1_250_000, 10_123_500, 800_000,
            10_123_475, 123_456_000_000L);
    private final Trade trade = new Trade(0, 77, 1_700_000_000_000_000L, 10_123_500, 15_000, Side.BUY, 77);

    @Benchmark
    public ByteSink bookChange() {
        return writer.book(btc, bookChange, 1_700_000_000_000_100L, null);
    }

    @Benchmark
    public ByteSink quote() {
        return writer.quote(btc, quote, 1_700_000_000_000_100L, false);
    }

    @Benchmark
    public ByteSink trade() {
        return writer.trade(btc, trade, 1_700_000_000_000_100L);
    }
}
