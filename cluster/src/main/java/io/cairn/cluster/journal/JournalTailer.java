package io.cairn.cluster.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.RollingChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads records in index order without blocking, so an Agrona agent can call {@link #poll} from its
 * duty cycle. Every record is checked before it is handed over; a damaged one is never skipped.
 * One thread at a time.
 */
public final class JournalTailer implements AutoCloseable {
    private final ExcerptTailer tailer;
    private final RecordBuffer record = new RecordBuffer();

    JournalTailer(ExcerptTailer tailer) {
        this.tailer = tailer;
    }

    /**
     * Hands up to {@code limit} available records to {@code handler}; returns how many (0 when none is
     * waiting). If the handler throws, that record is handed over again by the next poll.
     *
     * @throws JournalCorruptException the next record is damaged (the tailer stays on it)
     */
    public int poll(JournalRecordHandler handler, int limit) {
        int read = 0;
        while (read < limit && pollOne(handler)) {
            read++;
        }
        return read;
    }

    private boolean pollOne(JournalRecordHandler handler) {
        long next = tailer.index();
        DocumentContext dc;
        try {
            dc = tailer.readingDocument();
        } catch (RuntimeException e) {
            throw new JournalCorruptException(next, "Chronicle cannot read it: " + e);
        }
        try {
            if (!dc.isPresent()) {
                return false;
            }
            long index = dc.index();
            record.load(dc.wire().bytes());
            RecordFormat.Verdict verdict = record.verify(index);
            if (verdict != null) {
                throw new JournalCorruptException(index, verdict.reason());
            }
            record.deliver(index, handler);
            return true;
        } catch (RuntimeException e) {
            dc.rollbackOnClose();
            throw e;
        } finally {
            dc.close();
        }
    }

    /** The index the next record will have if it is in the current cycle. */
    public long nextIndex() {
        return tailer.index();
    }

    /**
     * How many records are still to read up to {@code lastIndex} (the journal's last), or -1 if a
     * cycle between here and there is gone and they cannot be counted. Counting across a cycle roll
     * reads the cycles' sizes (index numbers jump there), so this is for occasional reports.
     */
    public long remaining(long lastIndex) {
        long next = tailer.index();
        if (lastIndex < 0 || next > lastIndex) {
            return 0;
        }
        try {
            // countExcerpts counts from its first index inclusive to its second exclusive.
            return ((RollingChronicleQueue) tailer.queue()).countExcerpts(next, lastIndex) + 1;
        } catch (IllegalStateException cycleGone) {
            return -1;
        }
    }

    @Override
    public void close() {
        tailer.close();
    }
}
