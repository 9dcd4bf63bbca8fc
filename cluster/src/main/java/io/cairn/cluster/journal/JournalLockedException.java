package io.cairn.cluster.journal;

/** Another writer (this process or another one) holds the journal's lock file: one writer per queue. */
public final class JournalLockedException extends JournalOpenException {
    private static final long serialVersionUID = 1L;

    public JournalLockedException(String message) {
        super(message);
    }
}
