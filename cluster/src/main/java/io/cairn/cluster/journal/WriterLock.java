package io.cairn.cluster.journal;

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
 * One writer per queue: an exclusive lock on {@code <dir>/writer.lock}, held while the journal is
 * open. The OS releases it when the process dies, so a killed node never leaves a stale lock. The
 * file holds the holder's pid, which the refusal names.
 */
final class WriterLock implements AutoCloseable {
    static final String FILE_NAME = "writer.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static WriterLock acquire(Path dir) throws JournalOpenException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new JournalOpenException("journal directory " + dir + " is not writable: cannot create " + file + ": " + e, e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new JournalLockedException("journal " + dir + " already has a writer (" + holder(file)
                        + " holds " + file + "); one writer per journal");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new WriterLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            if (e instanceof JournalOpenException) {
                throw (JournalOpenException) e;
            }
            throw new JournalOpenException("cannot lock journal " + dir + " through " + file + ": " + e, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM already holds it: a second Journal on the same directory
        }
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? "another process" : text;
        } catch (IOException e) {
            return "another process";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the original error is the one to report
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
