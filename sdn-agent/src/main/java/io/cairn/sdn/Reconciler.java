package io.cairn.sdn;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the SDN equal to the desired route table, level-triggered: every sync reads what the SDN
 * holds of Cairn's entries, diffs it against the desired table and applies the difference in
 * batches, each fenced by the leader's epoch. Nothing depends on having seen earlier events, so a
 * missed one, a restart, a hand edit or a leader change all converge the same way.
 *
 * <p>A sync runs when leadership starts (the first one always calls the driver, with an empty diff
 * if the SDN already matches, so the new epoch is stored and an old leader is fenced), shortly after
 * the desired table changes (changes within the debounce window share one sync), when
 * {@link #resync()} is called (the driver reconnected, or saw its entries changed), and every drift
 * repair interval.
 *
 * <p>Trouble: a retryable {@link SdnException} is retried with exponential backoff while the desired
 * table keeps taking changes; the retry applies the latest table, so nothing is lost. A
 * non-retryable one (schema, permission, configuration, a file Cairn cannot read) is reported in
 * {@link #health()} and logged, and tried again only at the next drift repair tick or
 * {@link #resync()}, once the operator has had a chance to fix it. {@link FencedException} stops
 * writing until leadership starts again with a new epoch. Losing leadership stops writing at once:
 * pending syncs and retries are dropped and a sync in progress stops before its next batch.
 *
 * <p>All driver calls happen on one thread of the reconciler's own; the callers' methods only
 * record what they want and never wait for the SDN. The reconciler owns the driver and closes it.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /**
     * Tuning.
     *
     * @param maxBatch            most entries (upserts plus removals) in one driver write
     * @param debounce            how long a change waits for more changes to share its sync
     * @param driftRepairInterval how often the SDN is read back and repaired even if nothing changed
     * @param minBackoff          first wait after a retryable failure; doubles on each failure
     * @param maxBackoff          the longest wait between retries
     */
    public record Settings(int maxBatch, Duration debounce, Duration driftRepairInterval, Duration minBackoff,
                           Duration maxBackoff) {

        public static final Settings DEFAULT = new Settings(1000, Duration.ofMillis(5), Duration.ofSeconds(60),
                Duration.ofMillis(200), Duration.ofSeconds(30));

        public Settings {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
            }
            if (debounce.isNegative() || driftRepairInterval.isNegative() || driftRepairInterval.isZero()
                    || minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("durations must be positive and minBackoff <= maxBackoff: " + this);
            }
        }
    }

    private final SdnDriver driver;
    private final Settings settings;
    private final ScheduledExecutorService thread;
    private final HealthRecorder health;

    /**
     * Guarded by itself: replace-all must never be seen half done, or a sync would remove routes.
     * Kept in prefix order, so the copy every sync takes costs no comparisons.
     */
    private final Map<IpPrefix, Set<InetAddress>> desired = new TreeMap<>();
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    private volatile Term term;

    public Reconciler(SdnDriver driver, Settings settings) {
        this.driver = driver;
        this.settings = settings;
        this.health = new HealthRecorder(driver.name());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-sdn-" + driver.name());
            t.setDaemon(true);
            return t;
        });
        long interval = settings.driftRepairInterval().toMillis();
        thread.scheduleWithFixedDelay(this::driftRepairTick, interval, interval, TimeUnit.MILLISECONDS);
        driver.onExternalChange(this::resync);
    }

    // ---- the desired table (any thread) ---------------------------------------------------

    /** Sets the next hops of {@code prefix}; an empty set removes it. */
    public void set(IpPrefix prefix, Set<InetAddress> nextHops) {
        update(Map.of(prefix, nextHops));
    }

    /** Sets several prefixes at once (one sync for all): prefix to next hops, an empty set removes. */
    public void update(Map<IpPrefix, Set<InetAddress>> changes) {
        synchronized (desired) {
            changes.forEach((prefix, nextHops) -> {
                if (nextHops.isEmpty()) {
                    desired.remove(prefix);
                } else {
                    desired.put(prefix, Set.copyOf(nextHops));
                }
            });
        }
        changed();
    }

    public void remove(IpPrefix prefix) {
        set(prefix, Set.of());
    }

    /** Replaces the whole desired table at once. */
    public void replaceAll(RouteTable table) {
        synchronized (desired) {
            desired.clear();
            desired.putAll(table.routes());
        }
        changed();
    }

    /** The desired table now. */
    public RouteTable desired() {
        Map<IpPrefix, Set<InetAddress>> copy;
        synchronized (desired) {
            copy = new TreeMap<>(desired);
        }
        return new RouteTable(copy);
    }

    // ---- leadership (any thread) ----------------------------------------------------------

    /** This node leads with {@code epoch} (from the cluster; 1 when standalone): sync now. */
    public void startLeading(long epoch) {
        Term previous = term;
        if (previous != null) {
            previous.end();
        }
        term = new Term(epoch);
        health.leading(epoch);
        LOG.info("SDN ({}): leading with epoch {}, syncing", driver.name(), epoch);
        queueSync(Duration.ZERO);
    }

    /** Leadership lost: no write from now on; whatever the SDN holds stays (fail static). */
    public void stopLeading() {
        Term previous = term;
        term = null;
        if (previous != null) {
            previous.end();
            health.standby();
            LOG.info("SDN ({}): no longer leading; writes stopped", driver.name());
        }
    }

    /**
     * Syncs now, retry wait or not: for drivers that reconnected or saw their entries change, and
     * for an operator who fixed what a non-retryable error named.
     */
    public void resync() {
        Term t = term;
        if (t != null) {
            t.clearWait();
            queueSync(Duration.ZERO);
        }
    }

    public SdnHealth health() {
        return health.snapshot();
    }

    /**
     * What the SDN holds of Cairn's entries now, read back from it (not what Cairn meant to
     * write). Read on the reconciler's thread, so the driver is never used from two threads;
     * fails with the driver's {@link SdnException} when the SDN cannot be read.
     */
    public CompletableFuture<RouteTable> readBack() {
        CompletableFuture<RouteTable> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    result.complete(driver.read());
                } catch (SdnException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException closed) {
            result.completeExceptionally(new SdnException("the SDN agent (" + driver.name() + ") is closed", false));
        }
        return result;
    }

    @Override
    public void close() {
        stopLeading();
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("SDN ({}): a driver call did not finish within 10 s of close", driver.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        driver.close();
    }

    // ---- scheduling -----------------------------------------------------------------------

    private void changed() {
        queueSync(settings.debounce());
    }

    /** At most one sync waits in the queue; a change during a sync queues the next one. */
    private void queueSync(Duration delay) {
        Term t = term;
        if (t == null || t.waiting()) {
            return; // standby writes nothing; a retry or the operator's fix picks up the latest table
        }
        if (syncQueued.compareAndSet(false, true)) {
            try {
                thread.schedule(() -> {
                    syncQueued.set(false);
                    Term current = term; // a term started since queueing syncs under its own epoch
                    if (current != null) {
                        sync(current, false);
                    }
                }, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                syncQueued.set(false);
            }
        }
    }

    private void driftRepairTick() {
        Term t = term;
        if (t != null && !t.backingOff()) {
            t.clearWait();
            sync(t, false);
        }
    }

    // ---- the sync (reconciler thread only) ------------------------------------------------

    private void sync(Term t, boolean isRetry) {
        if (term != t || (!isRetry && t.backingOff())) {
            return; // leadership moved on, or a retry is already scheduled for this term
        }
        long start = System.nanoTime();
        RouteTable want = desired();
        health.syncing();
        try {
            RouteTable actual = driver.read();
            RouteDiff diff = RouteDiff.between(actual, want);
            boolean drift = t.lastWritten != null && !actual.equals(t.lastWritten);
            if (!t.claimed || !diff.isEmpty()) {
                if (!applyInBatches(t, diff)) {
                    return;
                }
            }
            t.claimed = true;
            t.lastWritten = want;
            if (t.failing != null) {
                LOG.info("SDN ({}): in sync again after {} failed attempts, {} routes", driver.name(), t.failedAttempts,
                        want.size());
                t.failing = null;
                t.failedAttempts = 0;
            }
            t.backoff = null;
            if (drift) {
                LOG.warn("SDN ({}): entries changed outside Cairn; repaired {} of them", driver.name(), diff.size());
            }
            // A sync that changed something is an audit line; one that found nothing to do is noise.
            if (diff.isEmpty()) {
                LOG.debug("SDN ({}): in sync at epoch {}, {} routes", driver.name(), t.epoch, want.size());
            } else {
                LOG.info("SDN ({}): synced at epoch {}: {} changes applied, {} routes", driver.name(), t.epoch,
                        diff.size(), want.size());
            }
            health.synced(want.size(), Duration.ofNanos(System.nanoTime() - start), drift);
        } catch (FencedException e) {
            fenced(t, e);
        } catch (SdnException e) {
            failed(t, e.getMessage(), e.retryable(), null);
        } catch (RuntimeException e) {
            // A driver bug must not kill the reconciler thread; the next tick tries again.
            failed(t, "driver error: " + e, false, e);
        }
    }

    /** Applies {@code diff} (upserts first, so no prefix is left without a route) batch by batch. */
    private boolean applyInBatches(Term t, RouteDiff diff) throws SdnException {
        if (diff.isEmpty()) {
            driver.apply(t.epoch, diff);
            return true;
        }
        boolean complete = driver.apply(t.epoch, batches(diff, settings.maxBatch()), new BatchProgress() {
            @Override
            public boolean proceed() {
                return term == t;
            }

            @Override
            public void written() {
                health.wrote();
            }
        });
        if (!complete) {
            LOG.info("SDN ({}): leadership lost mid-sync; remaining batches dropped", driver.name());
        }
        return complete;
    }

    /** Batches in prefix order, kept sorted as they fill, so each batch is copied without sorting. */
    static List<RouteDiff> batches(RouteDiff diff, int maxBatch) {
        List<RouteDiff> out = new ArrayList<>();
        Map<IpPrefix, Set<InetAddress>> upserts = new TreeMap<>();
        Set<IpPrefix> removals = new TreeSet<>();
        Runnable flush = () -> {
            out.add(new RouteDiff(upserts, removals));
            upserts.clear();
            removals.clear();
        };
        for (Map.Entry<IpPrefix, Set<InetAddress>> e : diff.upserts().entrySet()) {
            upserts.put(e.getKey(), e.getValue());
            if (upserts.size() == maxBatch) {
                flush.run();
            }
        }
        for (IpPrefix p : diff.removals()) {
            removals.add(p);
            if (upserts.size() + removals.size() == maxBatch) {
                flush.run();
            }
        }
        if (!upserts.isEmpty() || !removals.isEmpty()) {
            flush.run();
        }
        return out;
    }

    private void fenced(Term t, FencedException e) {
        if (term == t) {
            term = null;
            t.end();
        }
        health.fenced(e.getMessage());
        LOG.error("SDN ({}): {}; this node stops writing until it leads with a newer epoch", driver.name(),
                e.getMessage());
    }

    /**
     * Records a failed sync and schedules what comes next. The log says it once per transition:
     * when syncing starts to fail, and again only if the failure changes kind (retried by itself,
     * or waiting for the operator); every further attempt is counted in {@link #health()} and
     * logged at DEBUG, so a long outage does not flood the log.
     *
     * @param cause logged with its stack trace at the transition (a driver bug), or null
     */
    private void failed(Term t, String message, boolean retryable, Throwable cause) {
        health.failed(message);
        t.lastWritten = null; // part of a sync may have landed: the next read is no evidence of drift
        boolean transition = t.failing == null || t.failing != retryable;
        t.failing = retryable;
        t.failedAttempts++;
        if (term != t) {
            return;
        }
        if (retryable) {
            t.backoff = t.backoff == null ? settings.minBackoff()
                    : min(t.backoff.multipliedBy(2), settings.maxBackoff());
            if (transition) {
                LOG.warn("SDN ({}): sync failing: {}; retrying with backoff from {} ms up to {} ms", driver.name(), message,
                        t.backoff.toMillis(), settings.maxBackoff().toMillis(), cause);
            } else {
                LOG.debug("SDN ({}): attempt {} failed: {}; retrying in {} ms", driver.name(), t.failedAttempts, message,
                        t.backoff.toMillis());
            }
            t.retry = thread.schedule(() -> {
                t.retry = null;
                sync(t, true);
            }, t.backoff.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            t.blocked = true;
            if (transition) {
                LOG.error("SDN ({}): sync failing: {}; not retried until the next drift repair (every {} ms) or a resync",
                        driver.name(), message, settings.driftRepairInterval().toMillis(), cause);
            } else {
                LOG.debug("SDN ({}): attempt {} failed: {}", driver.name(), t.failedAttempts, message);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * One leadership term. Its fields other than the epoch are reconciler-thread state, except
     * that callers may read whether it waits and end it.
     */
    private static final class Term {
        final long epoch;
        /** The epoch has been written (stored) by this term's first sync. */
        boolean claimed;
        /** What the SDN held after this term's last successful sync: a different read is drift. */
        RouteTable lastWritten;
        /**
         * Null while syncs succeed; after a failure, whether it was retryable. The next success
         * is logged, and so is a change of kind.
         */
        Boolean failing;
        /** Failed attempts since the last success. */
        int failedAttempts;
        Duration backoff;
        volatile ScheduledFuture<?> retry;
        /** A non-retryable failure: wait for the next drift repair tick or resync. */
        volatile boolean blocked;

        Term(long epoch) {
            this.epoch = epoch;
        }

        boolean backingOff() {
            return retry != null;
        }

        boolean waiting() {
            return blocked || retry != null;
        }

        void clearWait() {
            blocked = false;
            ScheduledFuture<?> r = retry;
            if (r != null) {
                r.cancel(false);
                retry = null;
            }
        }

        void end() {
            clearWait();
        }
    }
}
