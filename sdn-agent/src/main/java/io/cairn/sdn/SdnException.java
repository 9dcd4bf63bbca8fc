package io.cairn.sdn;

/** The SDN could not be read or written; {@link #retryable()} says whether backing off and trying again may help. */
public class SdnException extends Exception {

    private final boolean retryable;

    public SdnException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public SdnException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    /** True for unreachable or busy back ends; false for schema, permission or config problems. */
    public boolean retryable() {
        return retryable;
    }
}
