package io.tickwire.server.fanout;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.tickwire.engine.Delivery;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fan-out from engine partitions to connections: one {@link LoopOutbox} per I/O event loop and
 * one {@link PartitionFanOut} per partition.
 *
 * <p>Wire formats are registered once at construction; their index is the format number in a
 * {@link io.tickwire.engine.Route}. Thread-safe after construction.
 */
public final class FanOut {

    private final List<LoopOutbox> outboxes = new ArrayList<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<WireFormat> formats;
    private final InstrumentCatalog catalog;
    private final Clock clock;
    private final ByteBufAllocator alloc;

    /**
     * @param group          the I/O event loops connections run on
     * @param formats        the wire formats, indexed by position
     * @param outboxCapacity items each loop's outbox holds before it overflows
     * @param flushCoalescing how long a busy connection's messages may be gathered before a write
     *                        ({@link FlushCoalescer}); zero flushes every connection after every batch
     */
    public FanOut(EventLoopGroup group, List<WireFormat> formats, InstrumentCatalog catalog, Clock clock,
                  ByteBufAllocator alloc, int outboxCapacity, Duration flushCoalescing) {
        this.formats = List.copyOf(formats);
        this.catalog = catalog;
        this.clock = clock;
        this.alloc = alloc;
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            loops.add(loop);
            outboxes.add(new LoopOutbox(loop, outboxCapacity, formats.size(),
                    flushCoalescing.isZero() ? null : new FlushCoalescer(loop, flushCoalescing.toNanos(), clock)));
        }
    }

    /** The delivery for one engine partition; call once per partition. */
    public Delivery deliveryForPartition(int partition) {
        return new PartitionFanOut(outboxes, formats, catalog, clock, alloc);
    }

    /** The index of an event loop, for routes. */
    public int loopIndex(EventLoop loop) {
        int i = loops.indexOf(loop);
        if (i < 0) {
            throw new IllegalArgumentException("not one of the fan-out's loops: " + loop);
        }
        return i;
    }

    /** A new encoder of a wire format, for the calling thread's exclusive use. */
    public WireFormat.Encoder newEncoder(int format) {
        return formats.get(format).newEncoder();
    }

    /** The outbox of a loop. */
    public LoopOutbox outbox(int loopIndex) {
        return outboxes.get(loopIndex);
    }

    /** The index of a wire format, for routes. */
    public int formatIndex(Class<? extends WireFormat> type) {
        for (int i = 0; i < formats.size(); i++) {
            if (type.isInstance(formats.get(i))) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such wire format registered: " + type.getSimpleName());
    }

    /** Items dropped because an outbox was full, over all loops. */
    public long overflows() {
        long total = 0;
        for (LoopOutbox outbox : outboxes) {
            total += outbox.overflows();
        }
        return total;
    }
}
