package io.cairn.sdn;

import java.time.Duration;
import java.time.Instant;

/** The counters and state behind {@link SdnHealth}; written by both the callers and the sync. */
final class HealthRecorder {

    private final String driver;
    private SdnHealth.State state = SdnHealth.State.STANDBY;
    private long epoch;
    private String lastError;
    private Instant lastSuccess;
    private Duration lastSyncDuration;
    private long writes;
    private long failures;
    private long driftRepairs;
    private int routesProgrammed;

    HealthRecorder(String driver) {
        this.driver = driver;
    }

    synchronized SdnHealth snapshot() {
        return new SdnHealth(driver, state, epoch, lastError, lastSuccess, lastSyncDuration, writes, failures,
                driftRepairs, routesProgrammed);
    }

    synchronized void leading(long epoch) {
        this.epoch = epoch;
        state = SdnHealth.State.SYNCING;
    }

    synchronized void standby() {
        epoch = 0;
        state = SdnHealth.State.STANDBY;
    }

    /** A sync runs; a failing state stays until one succeeds. */
    synchronized void syncing() {
        if (state == SdnHealth.State.IN_SYNC) {
            state = SdnHealth.State.SYNCING;
        }
    }

    /** Leading and not fenced: a sync that raced with losing leadership must not say otherwise. */
    private boolean active() {
        return state.writer();
    }

    synchronized void wrote() {
        writes++;
    }

    synchronized void synced(int routes, Duration took, boolean drift) {
        if (active()) {
            state = SdnHealth.State.IN_SYNC;
        }
        lastError = null;
        lastSuccess = Instant.now();
        lastSyncDuration = took;
        routesProgrammed = routes;
        if (drift) {
            driftRepairs++;
        }
    }

    synchronized void failed(String message) {
        failures++;
        lastError = message;
        if (active()) {
            state = SdnHealth.State.FAILING;
        }
    }

    synchronized void fenced(String message) {
        lastError = message;
        state = SdnHealth.State.FENCED;
    }
}
