package io.tickwire.bench.jmh;

import io.tickwire.engine.book.OrderBook;
import io.tickwire.model.BookUpdate;
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

/** Applying book updates (1-3 level changes each) to a book of a given capacity. Target: 5 M/s, 0 B/op. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class OrderBookBenchmark {

    @Param({"20", "50"})
    int capacity;

    private OrderBook book;
    private BookUpdate[] updates;
    private int next;

    @Setup
    public void setUp() {
        book = new OrderBook(capacity);
        updates = BookUpdates.ring(1 << 14, 42);
        for (BookUpdate u : updates) {
            book.apply(u); // fill the book so the measured updates land on a populated one
        }
    }

    @Benchmark
    public long applyUpdate() {
        book.apply(updates[next++ & (updates.length - 1)]);
        return book.seq();
    }
}
