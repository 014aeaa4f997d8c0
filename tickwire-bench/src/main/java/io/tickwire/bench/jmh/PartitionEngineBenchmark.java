package io.tickwire.bench.jmh;

import io.tickwire.engine.Delivery;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.Interest;
import io.tickwire.engine.PartitionEngine;
import io.tickwire.engine.Route;
import io.tickwire.engine.StreamKey;
import io.tickwire.model.AssetClass;
import io.tickwire.model.BookSnapshot;
import io.tickwire.model.BookUpdate;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.StreamMessage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A whole partition engine taking a book update: ingest (sequencing), the book, quote derivation,
 * the bid/ask bars of all nine periods, and — with a subscriber — the depth-10 diff and its
 * checksum, handed to a delivery that only consumes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PartitionEngineBenchmark {

    @Param({"false", "true"})
    boolean bookSubscriber;

    /** Whether something keeps the engine's events and book pictures, as the history store does (store on). */
    @Param({"false", "true"})
    boolean tap;

    private PartitionEngine engine;
    private BookUpdate[] updates;
    private int next;
    private Blackhole sink;

    @Setup
    public void setUp(Blackhole blackhole) {
        sink = blackhole;
        InstrumentCatalog catalog = InstrumentCatalog.of(List.of(
                new Instrument(0, "BTCUSDT", AssetClass.CRYPTO, null, "BTC", "USDT", 2, 6, 20)));
        engine = new PartitionEngine(catalog, Clock.system(), new Delivery() {
            @Override
            public void publish(long key, StreamMessage message, long prevSeq, Interest interest) {
                sink.consume(message);
            }

            @Override
            public void activate(EngineCommand.Subscribe subscribe, StreamMessage snapshot) {
            }

            @Override
            public void snapshot(EngineCommand.Snapshot request, StreamMessage snapshot) {
            }

            @Override
            public void endOfBatch() {
            }
        }, !tap ? EventTap.NONE : new EventTap() {
            @Override
            public void onEvent(MarketEvent event) {
                sink.consume(event);
            }

            @Override
            public void onBookSnapshot(BookSnapshot snapshot) {
                sink.consume(snapshot);
            }
        });
        if (bookSubscriber) {
            engine.onCommand(new EngineCommand.Subscribe(StreamKey.book(0, 10, 0), Route.of(0, 0), "s", 1));
        }
        updates = BookUpdates.ring(1 << 14, 42);
        for (int i = 0; i < updates.length; i++) {
            updates[i] = updates[i].withSeq(0); // raw, as a source sends them: ingest numbers them
        }
    }

    @Benchmark
    public void bookUpdate() {
        engine.onSourceEvent(updates[next++ & (updates.length - 1)]);
    }
}
