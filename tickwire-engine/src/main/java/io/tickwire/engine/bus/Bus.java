package io.tickwire.engine.bus;

import io.tickwire.engine.Delivery;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.ingest.MarketDataSink;
import java.util.function.IntFunction;

/**
 * Carries events from sources, and commands from sessions, to the partition that owns their
 * instrument, in order per instrument.
 *
 * <p>The in-process implementation ({@link InProcessBus}) runs each partition's ingest and engine
 * on one thread. Every node of a cluster runs one too: the ingest node's engine numbers events and
 * a tap appends them to Kafka, a gateway's engine keeps those numbers (see {@code tickwire-kafka}).
 * All methods are thread-safe; {@link #offer} and {@link #submit} never block.
 */
public interface Bus extends MarketDataSink, AutoCloseable {

    /**
     * Starts the partitions. Each partition gets its own {@link Delivery} from
     * {@code deliveryForPartition} (called once per partition index), so a delivery's state,
     * such as its encoders, is confined to one thread.
     */
    void start(IntFunction<Delivery> deliveryForPartition);

    /**
     * Hands a command to the partition owning its stream.
     *
     * @return {@code false} if the partition's command queue is full; the caller tells its client to retry
     */
    boolean submit(EngineCommand command);

    /** The number of partitions. */
    int partitions();

    /** The partition owning an instrument; stable for the life of the bus. */
    int partitionOf(int instrumentId);

    /** Counters for health and metrics. */
    BusStats stats();

    /** Stops the partitions after they finish what they hold; idempotent. */
    @Override
    void close();
}
