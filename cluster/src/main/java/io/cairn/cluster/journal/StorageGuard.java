package io.cairn.cluster.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Checks, cheaply and at most every {@link JournalOptions#storageCheckInterval()}, that appends can
 * still become durable: the directory is the one opened (not removed, not replaced), writable, and
 * the file system has {@link JournalOptions#minFreeBytes()} free. Chronicle writes through mapped
 * memory, so these conditions show up as lost data or SIGBUS rather than as write errors.
 */
final class StorageGuard {
    private final Path dir;
    private final Object dirKey;
    private final long minFreeBytes;
    private final long intervalNanos;
    private long nextCheck;
    private String problem;

    StorageGuard(Path dir, JournalOptions options) throws IOException {
        this.dir = dir;
        this.dirKey = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
        this.minFreeBytes = options.minFreeBytes();
        this.intervalNanos = options.storageCheckInterval().toNanos();
        this.nextCheck = System.nanoTime();
    }

    /** The storage problem seen at the last check (re-checked when due), or null when fine. */
    String problem() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            problem = check();
            nextCheck = now + intervalNanos;
        }
        return problem;
    }

    /** Checks now, whatever the interval. */
    String checkNow() {
        nextCheck = System.nanoTime();
        return problem();
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
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < minFreeBytes) {
                return "file system of " + dir + " has " + free + " bytes free, below the " + minFreeBytes + " the journal keeps in reserve";
            }
            return null;
        } catch (IOException e) {
            return "cannot check journal directory " + dir + ": " + e;
        }
    }
}
