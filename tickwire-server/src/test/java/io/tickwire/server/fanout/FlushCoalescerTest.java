package io.tickwire.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.tickwire.model.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What flush coalescing guarantees: a connection flushed three quarters of the interval ago or
 * earlier is flushed at once; one flushed more recently waits, and the loop's timer flushes it later without anything
 * else happening. The calls run inside one task on the loop, so the timer cannot fire between them:
 * "not flushed yet" is decided by the code, not by timing.
 */
class FlushCoalescerTest {

    private static final long INTERVAL = Duration.ofMillis(5).toNanos();

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aConnectionFlushedThreeQuartersOfAnIntervalAgoOrEarlierIsFlushedAtOnce() throws Exception {
        FlushCoalescer coalescer = new FlushCoalescer(loop, INTERVAL, Clock.system());
        CountingSubscriber s = new CountingSubscriber();
        long now = Clock.system().monotonicNanos();
        int[] seen = loop.submit(() -> {
            coalescer.flush(s, now);                       // never flushed before
            int first = s.flushes.get();
            coalescer.flush(s, now + INTERVAL);            // one interval later
            int second = s.flushes.get();
            coalescer.flush(s, now + INTERVAL + coalescer.flushAtOnceAfter()); // three quarters after that
            return new int[] {first, second, s.flushes.get()};
        }).get();
        assertThat(seen).containsExactly(1, 2, 3);
        assertThat(s.flushedAt()).isEqualTo(now + INTERVAL + coalescer.flushAtOnceAfter());
    }

    @Test
    void aConnectionFlushedWithinTheIntervalWaitsForTheTimerWhichFlushesItWithoutFurtherTraffic() throws Exception {
        FlushCoalescer coalescer = new FlushCoalescer(loop, INTERVAL, Clock.system());
        CountingSubscriber busy = new CountingSubscriber();
        CountingSubscriber alsoBusy = new CountingSubscriber();
        long now = Clock.system().monotonicNanos();
        int[] seen = loop.submit(() -> {
            coalescer.flush(busy, now);
            coalescer.flush(alsoBusy, now);
            coalescer.flush(busy, now + 1);                // deferred
            coalescer.flush(alsoBusy, now + coalescer.flushAtOnceAfter() - 1); // deferred
            return new int[] {busy.flushes.get(), alsoBusy.flushes.get()};
        }).get();
        assertThat(seen).as("each flushed once at once, the second batch held back").containsExactly(1, 1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(busy.flushes).hasValue(2);
            assertThat(alsoBusy.flushes).hasValue(2);
        });
    }

    /** A subscriber that only counts flushes and keeps its flush time, as a session does. */
    private static final class CountingSubscriber implements Subscriber {
        final AtomicInteger flushes = new AtomicInteger();
        private volatile long flushedAt = Long.MIN_VALUE / 2;

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        @Override
        public long flushedAt() {
            return flushedAt;
        }

        @Override
        public void flushedAt(long nanos) {
            flushedAt = nanos;
        }

        @Override
        public boolean wants(long streamKey, long generation) {
            return true;
        }

        @Override
        public boolean deliver(long streamKey, ByteBuf frame, boolean snapshot) {
            frame.release();
            return true;
        }

        @Override
        public void lost(long streamKey) {
        }

        @Override
        public void activationLost(long streamKey) {
        }

        @Override
        public void noSnapshot(long streamKey, String rawRequestId) {
        }

        @Override
        public void snapshotOfGoneStream(long streamKey, String rawRequestId) {
        }
    }
}
