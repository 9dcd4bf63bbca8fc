package io.cairn.cluster.replication;

/** Reconnect delays: doubling from a floor to a ceiling, back to the floor after a success. */
final class Backoff {

    static final long FLOOR_MILLIS = 100;
    static final long CEILING_MILLIS = 5_000;

    private long next = FLOOR_MILLIS;

    /** The delay before the next attempt; each call doubles the one after, up to the ceiling. */
    long nextDelayMillis() {
        long delay = next;
        next = Math.min(CEILING_MILLIS, next * 2);
        return delay;
    }

    void reset() {
        next = FLOOR_MILLIS;
    }
}
