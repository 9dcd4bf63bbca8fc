package io.cairn.cluster.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Checks, cheaply, every {@link JournalOptions#storageCheckInterval()} and after every quarter of
 * the free-space reserve written, that appends can still become durable: the directory is the one
 * opened (not removed, not replaced), writable, and the file system has
 * {@link JournalOptions#minFreeBytes()} free. Chronicle writes through mapped memory, so these
 * conditions show up as lost data or SIGBUS rather than as write errors. The byte budget matters
 * for bursts: a fast writer once filled a small file system between two timed checks (SIGBUS).
 */
final class StorageGuard {
    private final Path dir;
    private final Object dirKey;
    /**
     * Looked up once: {@code Files.getFileStore} parses the mount table on every call (0.4-0.6 ms
     * measured, most of a busy writer's storage checks), and the directory, checked to be the one
     * opened before each use, cannot move to another file system.
     */
    private final FileStore store;
    private final long minFreeBytes;
    private final long intervalNanos;
    private final long bytesBetweenChecks;
    private long nextCheck;
    private long bytesSinceCheck;
    private String problem;

    StorageGuard(Path dir, JournalOptions options) throws IOException {
        this.dir = dir;
        this.dirKey = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
        this.store = Files.getFileStore(dir);
        this.minFreeBytes = options.minFreeBytes();
        this.intervalNanos = options.storageCheckInterval().toNanos();
        this.bytesBetweenChecks = minFreeBytes > 0 ? Math.max(1, minFreeBytes / 4) : Long.MAX_VALUE;
        this.nextCheck = System.nanoTime();
    }

    /**
     * The storage problem seen at the last check, or null when fine; checks again first when the
     * interval has passed or {@code bytes} more would exceed the byte budget since the last check.
     */
    String problem(int bytes) {
        bytesSinceCheck += bytes;
        long now = System.nanoTime();
        if (now - nextCheck >= 0 || bytesSinceCheck >= bytesBetweenChecks) {
            problem = check();
            nextCheck = now + intervalNanos;
            bytesSinceCheck = 0;
        }
        return problem;
    }

    /** Checks now, whatever the interval. */
    String checkNow() {
        nextCheck = System.nanoTime();
        return problem(0);
    }

    private String check() {
        try {
            if (!Files.isDirectory(dir)) {
                return "journal directory " + dir + " was removed";
            }
            if (!Objects.equals(Files.readAttributes(dir, BasicFileAttributes.class).fileKey(), dirKey)) {
                return "journal directory " + dir + " was replaced by another directory";
            }
            if (!Files.isWritable(dir)) {
                return "journal directory " + dir + " is no longer writable";
            }
            long free = store.getUsableSpace();
            if (free < minFreeBytes) {
                return "file system of " + dir + " has " + free + " bytes free, below the " + minFreeBytes + " the journal keeps in reserve";
            }
            return null;
        } catch (IOException e) {
            return "cannot check journal directory " + dir + ": " + e;
        }
    }
}
