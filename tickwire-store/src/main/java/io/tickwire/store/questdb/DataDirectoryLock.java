package io.tickwire.store.questdb;

import io.tickwire.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory ({@code tickwire.lock}, holding the owner's pid), so two
 * processes never open the same database: embedded QuestDB is single-process. The operating
 * system releases the lock when the process dies, kill -9 included.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "tickwire.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock.
     *
     * @throws StoreException if another process holds it, or the directory cannot be used
     */
    static DataDirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very process holds it
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.US_ASCII).trim();
                channel.close();
                throw new StoreException("data directory " + dir.toAbsolutePath() + " is in use by another Tickwire process"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + "; stop it, or give this one another data directory (store.dataDir or --data)");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new StoreException("cannot use data directory " + dir.toAbsolutePath() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is letting go anyway; the OS releases the lock with the file
        }
    }
}
