package io.cairn.cluster.journal;

import java.io.IOException;

/** The journal directory cannot be used: it names the directory and the problem. */
public class JournalOpenException extends IOException {
    private static final long serialVersionUID = 1L;

    public JournalOpenException(String message) {
        super(message);
    }

    public JournalOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}
