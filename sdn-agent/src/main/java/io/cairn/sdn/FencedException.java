package io.cairn.sdn;

/** A write was refused because a leader with a higher epoch has written since. Never retried. */
public final class FencedException extends SdnException {

    private final long writerEpoch;
    private final long storedEpoch;

    public FencedException(long writerEpoch, long storedEpoch) {
        super("fenced: epoch " + writerEpoch + " is older than the SDN's epoch " + storedEpoch, false);
        this.writerEpoch = writerEpoch;
        this.storedEpoch = storedEpoch;
    }

    public long writerEpoch() {
        return writerEpoch;
    }

    public long storedEpoch() {
        return storedEpoch;
    }
}
