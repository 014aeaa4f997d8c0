package io.tickwire.store.questdb;

import io.tickwire.engine.ingest.NumberReservations;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable side of {@link NumberReservations}: {@value #FILE} in the data directory, one line
 * per instrument, {@code SYMBOL tradeSeq quoteSeq tradeId}, the numbers up to which the running
 * server may have handed them out. The store commits events every half second or so, so a server
 * killed with {@code kill -9} has handed out numbers it never stored; the next run continues past
 * this file's numbers instead of past the stored ones, and never gives a number a client has seen
 * to another event. A clean stop that stored everything writes the exact last numbers instead, so
 * the next start skips none.
 *
 * <p>Each counter is reserved {@value #AHEAD} numbers ahead of what it handed out, and again when
 * it has used half of that, so a restart after a kill skips at most {@value #AHEAD} numbers per
 * stream. The file is written whole to a temporary file, forced to disk and renamed over the old
 * one (then the directory is forced), so a reader finds the old or the new file, never a part.
 *
 * <p>Threads: {@link #handedOut} runs on partition threads, never blocks and never allocates; one
 * writer thread ({@value #THREAD_NAME}) writes. Live data never waits for the disk: a number
 * handed out before its reservation was written is counted and logged (a kill in that moment could
 * reuse it), which only a disk slower than {@value #AHEAD}/2 events of one stream can cause.
 */
final class NumberReservationFile implements NumberReservations, AutoCloseable {

    static final String FILE = "numbering.reserved";
    static final String THREAD_NAME = "tickwire-numbering";
    /** How far ahead of what a counter handed out it is reserved. */
    static final long AHEAD = 8_192;

    private static final Logger LOG = LoggerFactory.getLogger(NumberReservationFile.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final InstrumentCatalog catalog;
    /** Per counter: the highest number a partition asked to have reserved. */
    private final AtomicLongArray wanted;
    /** Per counter: what the file on disk holds. */
    private final AtomicLongArray durable;
    private final AtomicLong handedOutUnreserved = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private NumberReservationFile(Path dataDir, InstrumentCatalog catalog, long[] reserved) {
        this.file = dataDir.resolve(FILE);
        this.catalog = catalog;
        this.wanted = new AtomicLongArray(reserved);
        this.durable = new AtomicLongArray(reserved.length);
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    /**
     * What a previous run reserved, per {@link NumberReservations#counter} (0 where nothing): the
     * numbers it may have handed out (exactly those after a clean stop). No file: all 0.
     *
     * @throws StoreException if the file is there but unreadable (then nobody can say which numbers were used)
     */
    static long[] read(Path dataDir, InstrumentCatalog catalog) {
        long[] reserved = new long[catalog.size() * KINDS];
        Path file = dataDir.resolve(FILE);
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                if (f.length != 1 + KINDS) {
                    throw new IOException("a line is not 'symbol tradeSeq quoteSeq tradeId': '" + line + "'");
                }
                Instrument instrument = catalog.find(f[0]);
                if (instrument == null) {
                    continue; // an instrument no longer in the catalogue has nobody to number
                }
                for (int kind = 0; kind < KINDS; kind++) {
                    reserved[NumberReservations.counter(instrument.id(), kind)] = Long.parseLong(f[1 + kind]);
                }
            }
        } catch (NoSuchFileException e) {
            return reserved;
        } catch (IOException | NumberFormatException e) {
            throw new StoreException("cannot read " + file.toAbsolutePath() + " (" + e.getMessage() + "): it says which "
                    + "numbers a stopped server may have handed out; restore it, or delete it if you accept that numbers "
                    + "clients saw before a crash may be given to other events", e);
        }
        return reserved;
    }

    /**
     * Deletes what a previous run reserved; whether there was anything.
     *
     * @throws StoreException if the file is there and cannot be deleted
     */
    static boolean discard(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreException("cannot delete " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts reserving, from {@code last} (per counter: the last number handed out so far), and
     * writes the first reservation before returning, so nothing is handed out unreserved. If that
     * write fails (a full disk) the server starts anyway, as it does with a store that cannot
     * commit: the writer keeps trying, and numbers handed out meanwhile are logged as unreserved.
     */
    static NumberReservationFile start(Path dataDir, InstrumentCatalog catalog, long[] last) {
        long[] first = new long[last.length];
        for (int i = 0; i < last.length; i++) {
            first[i] = last[i] + AHEAD;
        }
        NumberReservationFile reservations = new NumberReservationFile(dataDir, catalog, first);
        try {
            reservations.write(first);
        } catch (IOException e) {
            LOG.error("cannot write {}: {}; numbers are handed out unreserved until it can be written",
                    reservations.file.toAbsolutePath(), e.getMessage());
        }
        reservations.thread.start();
        return reservations;
    }

    @Override
    public long handedOut(int counter, long handedOut) {
        if (handedOut > durable.get(counter)) {
            handedOutUnreserved.incrementAndGet();
        }
        if (handedOut + AHEAD > wanted.get(counter)) {
            wanted.accumulateAndGet(counter, handedOut + AHEAD, Math::max);
            LockSupport.unpark(thread);
        }
        return handedOut + AHEAD / 2;
    }

    private void run() {
        long unreservedLogged = 0;
        while (running) {
            LockSupport.parkNanos(IDLE_PARK_NANOS);
            writeWanted();
            long unreserved = handedOutUnreserved.get();
            if (unreserved > unreservedLogged) {
                LOG.warn("{} number(s) were handed out before their reservation reached the disk: a crash now could reuse "
                        + "them after a restart", unreserved - unreservedLogged);
                unreservedLogged = unreserved;
            }
        }
    }

    /** Writes what was asked for if the file holds less. */
    private void writeWanted() {
        long[] next = new long[wanted.length()];
        boolean more = false;
        for (int i = 0; i < next.length; i++) {
            next[i] = wanted.get(i);
            more |= next[i] > durable.get(i);
        }
        if (!more) {
            return;
        }
        try {
            write(next);
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}; retrying", file.toAbsolutePath(), e.getMessage());
        }
    }

    /** Synchronized: the writer thread and a close whose join timed out never share the temporary file. */
    private synchronized void write(long[] reserved) throws IOException {
        StringBuilder text = new StringBuilder(64 * catalog.size())
                .append("# Tickwire: numbers this server may have handed out (symbol tradeSeq quoteSeq tradeId).\n")
                .append("# Exact after a clean stop; a server that starts here continues past these numbers.\n");
        for (Instrument instrument : catalog.all()) {
            text.append(instrument.symbol());
            for (int kind = 0; kind < KINDS; kind++) {
                text.append(' ').append(reserved[NumberReservations.counter(instrument.id(), kind)]);
            }
            text.append('\n');
        }
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // the rename itself
        } catch (IOException e) {
            // not every file system lets a directory be forced; the rename stays atomic
        }
        for (int i = 0; i < reserved.length; i++) {
            durable.set(i, reserved[i]);
        }
    }

    /**
     * Stops the writer. With {@code exact} (when every event numbered was committed: per counter
     * the last number handed out) the file is rewritten with exactly those, so the next start
     * continues with no numbers skipped; without ({@code null}), with the last reservation.
     */
    void close(long[] exact) {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (exact == null) {
                writeWanted();
            } else {
                write(exact);
            }
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}; the next start skips the numbers it reserves", file.toAbsolutePath(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        close(null);
    }
}
