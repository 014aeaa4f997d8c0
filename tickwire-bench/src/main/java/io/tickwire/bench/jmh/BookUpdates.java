package io.tickwire.bench.jmh;

import io.tickwire.model.BookSide;
import io.tickwire.model.BookUpdate;
import java.util.SplittableRandom;

/**
 * A fixed, seeded ring of realistic book updates for benchmarks: one to three level changes each,
 * mostly within a few ticks of the touch, some removals, a mid that wanders slowly.
 */
final class BookUpdates {

    private BookUpdates() {
    }

    /** {@code count} updates (a power of two) for instrument 0 around a mid of 1,000,000 ticks. */
    static BookUpdate[] ring(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BookUpdate[] out = new BookUpdate[count];
        long mid = 1_000_000;
        for (int n = 0; n < count; n++) {
            BookUpdate.Builder b = BookUpdate.builder(0, 1_700_000_000_000_000L + n);
            mid += r.nextInt(-1, 2);
            int changes = 1 + r.nextInt(3);
            for (int c = 0; c < changes; c++) {
                BookSide side = r.nextBoolean() ? BookSide.BID : BookSide.ASK;
                int offset = r.nextInt(12) < 9 ? r.nextInt(0, 4) : r.nextInt(4, 30);
                long price = side == BookSide.BID ? mid - 1 - offset : mid + 1 + offset;
                long size = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(10_000);
                b.set(side, price, size);
            }
            out[n] = b.build().withSeq(n + 1);
        }
        return out;
    }
}
