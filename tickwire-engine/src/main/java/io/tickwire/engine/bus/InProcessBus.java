package io.tickwire.engine.bus;

import io.tickwire.engine.Delivery;
import io.tickwire.engine.EngineCommand;
import io.tickwire.engine.EventTap;
import io.tickwire.engine.PartitionEngine;
import io.tickwire.engine.bar.BarSeeding;
import io.tickwire.engine.ingest.Numbering;
import io.tickwire.engine.ingest.Receipt;
import io.tickwire.engine.StreamKey;
import io.tickwire.engine.ingest.Sequencing;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.MarketEvent;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The bus inside one process: a fixed number of partitions, each a thread that owns a
 * {@link PartitionEngine} and drains two bounded queues (session commands first, then source
 * events) in batches.
 *
 * <p>Instruments map to partitions by id modulo the partition count, so one instrument's events
 * are always handled by the same thread, in the order offered by each source. Thread-safe.
 */
public final class InProcessBus implements Bus {

    private final InstrumentCatalog catalog;
    private final Clock clock;
    private final PartitionRunner[] partitions;
    private final EventTap tap;
    private final Sequencing sequencing;
    private final LongSupplier losses = this::losses;
    private boolean started;

    private long staleAfterMicros = PartitionEngine.DEFAULT_STALE_AFTER_MICROS;
    private Numbering numbering = Numbering.FRESH;
    private BarSeeding barSeeding = BarSeeding.NONE;

    /**
     * @param partitions    number of partition threads (at least 1)
     * @param queueCapacity capacity of each partition's event queue; rounded up to a power of two
     */
    public InProcessBus(InstrumentCatalog catalog, Clock clock, int partitions, int queueCapacity) {
        this(catalog, clock, partitions, queueCapacity, EventTap.NONE);
    }

    /**
     * A bus whose partitions also show every sequenced event to {@code tap} (called on partition
     * threads, so it must be thread-safe and must not block).
     */
    public InProcessBus(InstrumentCatalog catalog, Clock clock, int partitions, int queueCapacity, EventTap tap) {
        this(catalog, clock, partitions, queueCapacity, tap, Sequencing.ASSIGN);
    }

    /** A bus whose ingest numbers events as {@code sequencing} says: {@link Sequencing#KEEP_SOURCE} for a replay. */
    public InProcessBus(InstrumentCatalog catalog, Clock clock, int partitions, int queueCapacity, EventTap tap,
                        Sequencing sequencing) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1");
        }
        this.catalog = catalog;
        this.clock = clock;
        this.tap = tap;
        this.sequencing = sequencing;
        this.partitions = new PartitionRunner[partitions];
        for (int i = 0; i < partitions; i++) {
            this.partitions[i] = new PartitionRunner("tickwire-partition-" + i, queueCapacity, clock);
        }
    }

    /**
     * How long an instrument may go without an event before its subscribers are told its source
     * is stale ({@link PartitionEngine#DEFAULT_STALE_AFTER_MICROS} unless set); before {@link #start}.
     */
    public synchronized InProcessBus staleAfter(java.time.Duration silence) {
        if (started) {
            throw new IllegalStateException("set before start");
        }
        this.staleAfterMicros = silence.toNanos() / 1_000;
        return this;
    }

    /** Continues the streams' numbering from a previous run (the history store knows it); before {@link #start}. */
    public synchronized InProcessBus continueNumbering(Numbering from) {
        if (started) {
            throw new IllegalStateException("set before start");
        }
        this.numbering = from;
        return this;
    }

    /**
     * Continues the bars being formed (and the quotes' day volume and last price) from a previous
     * run (the history store knows them; see {@link BarSeeding}); before {@link #start}.
     */
    public synchronized InProcessBus continueBars(BarSeeding from) {
        if (started) {
            throw new IllegalStateException("set before start");
        }
        this.barSeeding = from;
        return this;
    }

    @Override
    public synchronized void start(IntFunction<Delivery> deliveryForPartition) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        for (int i = 0; i < partitions.length; i++) {
            PartitionEngine engine = new PartitionEngine(catalog, clock, deliveryForPartition.apply(i), tap, sequencing);
            engine.staleAfter(staleAfterMicros);
            engine.continueNumbering(numbering);
            int partition = i;
            engine.seedBars(barSeeding, id -> partitionOf(id) == partition);
            partitions[i].start(engine);
        }
        barSeeding = BarSeeding.NONE; // taken: nothing to keep
    }

    @Override
    public boolean offer(MarketEvent event) {
        return partitionFor(event).offerEvent(event, true);
    }

    @Override
    public boolean offerWithoutWake(MarketEvent event) {
        return partitionFor(event).offerEvent(event, false);
    }

    /** Runs the queued work of parked partitions on the calling thread; see {@link PartitionRunner#handOver}. */
    @Override
    public void handOver() {
        for (PartitionRunner partition : partitions) {
            partition.handOver();
        }
    }

    /**
     * A receipt noting the tap's losses (a cluster topic's drops and refused records) and the
     * events the engine failed on, which a tap may never have seen.
     */
    @Override
    public Receipt issueReceipt(Consumer<Receipt.Outcome> settled) {
        return new Receipt(losses, settled);
    }

    private long losses() {
        long failed = 0;
        for (PartitionRunner partition : partitions) {
            failed += partition.failedEvents();
        }
        return tap.losses() + failed;
    }

    /**
     * Puts the receipt behind the caller's events in every partition when the tap keeps events
     * elsewhere (it settles once each partition and the tap have passed it); otherwise settles it
     * at once. Does not wake the partitions: {@link #handOver()} after.
     */
    @Override
    public void offerReceipt(Receipt receipt) {
        if (tap.keepsElsewhere()) {
            for (PartitionRunner partition : partitions) {
                partition.offerReceipt(receipt);
            }
        }
        receipt.release();
    }

    private PartitionRunner partitionFor(MarketEvent event) {
        int id = event.instrumentId();
        if (id < 0 || id >= catalog.size()) {
            return partitions[0]; // ingest rejects and counts it
        }
        return partitions[partitionOf(id)];
    }

    @Override
    public boolean submit(EngineCommand command) {
        return partitions[partitionOf(StreamKey.instrumentId(command.streamKey()))].offerCommand(command);
    }

    @Override
    public int partitions() {
        return partitions.length;
    }

    @Override
    public int partitionOf(int instrumentId) {
        return instrumentId % partitions.length;
    }

    @Override
    public BusStats stats() {
        long offered = 0;
        long refused = 0;
        long accepted = 0;
        long rejected = 0;
        long queued = 0;
        for (PartitionRunner p : partitions) {
            offered += p.offered();
            refused += p.refused();
            accepted += p.accepted();
            rejected += p.rejected();
            queued += p.queued();
        }
        return new BusStats(offered, refused, accepted, rejected, queued);
    }

    @Override
    public void close() {
        for (PartitionRunner partition : partitions) {
            partition.stop();
        }
        for (PartitionRunner partition : partitions) {
            partition.join();
        }
    }
}
