package io.cairn.node.cluster;

import io.cairn.cluster.membership.Member;
import io.cairn.cluster.membership.MembershipListener;
import io.cairn.node.rib.RouteServer;
import java.io.Closeable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long another member's routes outlive it: an origin that is not a member (it left ZooKeeper,
 * or was never seen since this node started) keeps its paths for the persist time, then they go.
 * What another node still hears from the same NVA stays, through that node's own copy. An origin
 * that comes back is followed again from its replica's latest snapshot.
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

    /** @param held the origins this node holds replicas of at start: each ages until it shows up as a member */
    public OriginAging(String self, Duration persist, RouteServer origins, Iterable<String> held) {
        this.self = self;
        this.persist = persist;
        this.origins = origins;
        held.forEach(this::age);
    }

    @Override
    public synchronized void joined(Member member) {
        ScheduledFuture<?> pending = leaving.remove(member.id());
        if (pending != null) {
            pending.cancel(false);
        }
        if (!member.id().equals(self)) {
            origins.originBack(member.id());
        }
    }

    @Override
    public synchronized void left(Member member) {
        if (!member.id().equals(self)) {
            origins.originLeft(member.id());
        }
        age(member.id());
    }

    private synchronized void age(String origin) {
        if (origin.equals(self) || leaving.containsKey(origin)) {
            return;
        }
        LOG.info("origin {}: not a member; its routes stay {} s unless it returns", origin, persist.toSeconds());
        leaving.put(origin, timer.schedule(() -> expire(origin), persist.toMillis(), TimeUnit.MILLISECONDS));
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
