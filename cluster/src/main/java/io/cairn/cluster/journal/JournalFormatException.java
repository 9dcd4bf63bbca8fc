package io.cairn.cluster.journal;

/**
 * The journal holds a record of a format version newer than this code understands. Opening fails
 * rather than skipping it: the newer records are intact and a newer Cairn can read them.
 */
public final class JournalFormatException extends JournalOpenException {
    private static final long serialVersionUID = 1L;

    public JournalFormatException(String message) {
        super(message);
    }
}
