package io.cairn.cluster.journal;

/**
 * A tailer met a record that fails its checksum or cannot be read. Reading does not skip it: the
 * tailer stays on that record. Damage at the tail is repaired when the journal is opened; this is
 * damage that appeared afterwards (or in a region the open did not scan).
 */
public final class JournalCorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long index;

    public JournalCorruptException(long index, String reason) {
        super("journal record at index " + RecordFormat.hex(index) + " is damaged: " + reason);
        this.index = index;
    }

    /** The index of the damaged record. */
    public long index() {
        return index;
    }
}
