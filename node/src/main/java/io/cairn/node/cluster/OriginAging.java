package io.cairn.node.cluster;

import io.cairn.cluster.membership.Member;
import io.cairn.cluster.membership.MembershipListener;
import io.cairn.cluster.replication.OriginLag;
import io.cairn.node.rib.RouteServer;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long another member's routes outlive it: an origin that is not a member (it left ZooKeeper,
 * or was never seen since this node started) keeps its paths for the persist time, then they go.
 * What another node still hears from the same NVA stays, through that node's own copy. An origin
 * that comes back is followed again from its replica's latest snapshot.
 *
 * <p>A member whose replication stalls is aged the same way: in ZooKeeper, but unreachable, or
 * connected with the origin ahead of the replica and nothing arriving, its paths are only as new
 * as its replica. Once that has lasted the persist time they go (what other nodes hear of the same
 * NVAs stays, through their own copies); when records flow again it is rebuilt from its replica.
 * Replication that moves at all, however slowly, is not stalled: the SDN never loses a route
 * because replication is slow.
 */
public final class OriginAging implements MembershipListener, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(OriginAging.class);

    private final String self;
    private final Duration persist;
    private final RouteServer origins;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-origin-aging");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> leaving = new HashMap<>();
    private final Supplier<Map<String, OriginLag>> pulled;
    private final Departures departures;
    /** Per origin pulled: the replica's last index at the previous look, and since when it is out of step. */
    private final Map<String, Long> heldBefore = new HashMap<>();
    private final Map<String, Long> outOfStepSince = new HashMap<>();
    /** Members whose replication stalled past the persist time: their paths are gone until it moves again. */
    private final Set<String> stalled = new HashSet<>();
    /** Members that joined, read again once their replica has caught up with them (see {@link #joined}). */
    private final Set<String> returning = new HashSet<>();

    /**
     * @param held       the origins this node holds replicas of at start: each ages until it shows up
     *                   as a member, from its noted departure if there is one, else from now
     * @param pulled     the replication lag of every member pulled now, looked at every second
     * @param replicaDir the directory of an origin's replica, beside which its departure is noted
     */
    public OriginAging(String self, Duration persist, RouteServer origins, Iterable<String> held,
                       Supplier<Map<String, OriginLag>> pulled, Function<String, Path> replicaDir) {
        this.self = self;
        this.persist = persist;
        this.origins = origins;
        this.pulled = pulled;
        this.departures = new Departures(replicaDir);
        Instant now = Instant.now();
        held.forEach(origin -> age(origin, persist.minus(Duration.between(
                departures.of(origin).orElse(now), now)).toMillis()));
        timer.scheduleWithFixedDelay(this::lookAtReplication, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Out of step: not streaming, or streaming with the origin ahead and no record stored since
     * the last look. Out of step for the persist time: stalled. Caught up: read again if stalled
     * or returning.
     */
    private synchronized void lookAtReplication() {
        long now = System.nanoTime();
        Map<String, OriginLag> lag = pulled.get();
        heldBefore.keySet().retainAll(lag.keySet());
        outOfStepSince.keySet().retainAll(lag.keySet());
        stalled.retainAll(lag.keySet()); // one that left ages as a departed member
        lag.forEach((origin, l) -> {
            Long before = heldBefore.put(origin, l.heldIndex());
            boolean moved = before != null && before != l.heldIndex();
            boolean caughtUp = l.streaming() && l.heldIndex() >= l.originLastIndex();
            if (caughtUp || l.streaming() && moved) {
                outOfStepSince.remove(origin);
            } else if (now - outOfStepSince.computeIfAbsent(origin, o -> now) >= persist.toNanos()
                    && stalled.add(origin)) {
                LOG.warn("origin {}: a member, but its replication has not moved for {} s ({}); its routes go (what"
                        + " other nodes still hear stays)", origin, persist.toSeconds(),
                        l.streaming() ? "the origin is at " + l.originLastIndex() + ", the replica at " + l.heldIndex()
                                : "unreachable");
                origins.originGone(origin);
            }
            if (caughtUp && stalled.remove(origin)) {
                LOG.info("origin {}: its replica caught up again; its routes are read again from it", origin);
                returning.add(origin);
            }
            if (caughtUp && returning.remove(origin)) {
                origins.originBack(origin);
            }
        });
    }

    @Override
    public synchronized void joined(Member member) {
        ScheduledFuture<?> pending = leaving.remove(member.id());
        if (pending != null) {
            pending.cancel(false);
        }
        if (!member.id().equals(self)) {
            departures.joined(member.id());
            // Read again once its replica holds what it journaled since (a restart ends its sessions
            // in its journal): a rebuild from a replica still behind would bring back what it no
            // longer has, such as routes an NVA withdrew meanwhile.
            returning.add(member.id());
        }
    }

    @Override
    public synchronized void left(Member member) {
        if (!member.id().equals(self)) {
            returning.remove(member.id());
            departures.left(member.id(), Instant.now());
            origins.originLeft(member.id());
        }
        age(member.id(), persist.toMillis());
    }

    /** {@code origin}'s routes go in {@code millis} (at once when 0 or less) unless it returns. */
    private synchronized void age(String origin, long millis) {
        if (origin.equals(self) || leaving.containsKey(origin)) {
            return;
        }
        LOG.info("origin {}: not a member; its routes stay {} s unless it returns", origin,
                Math.max(0, millis) / 1000);
        leaving.put(origin, timer.schedule(() -> expire(origin), Math.max(0, millis), TimeUnit.MILLISECONDS));
    }

    private synchronized void expire(String origin) {
        if (leaving.remove(origin) != null) {
            LOG.warn("origin {}: gone for {} s; its routes go (what other nodes still hear stays)", origin,
                    persist.toSeconds());
            origins.originGone(origin);
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        leaving.clear();
    }
}
