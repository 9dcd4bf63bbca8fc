package io.cairn.cluster.journal;

import java.io.IOException;

/**
 * A record could not be made durable: the disk is (nearly) full, the directory went away, or
 * Chronicle Queue failed while writing. The record was not appended; {@link Journal#healthy()} is
 * false from then on and {@link Journal#healthReason()} says why.
 */
public final class JournalUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public JournalUnavailableException(String message) {
        super(message);
    }

    public JournalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
