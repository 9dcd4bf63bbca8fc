package io.cairn.cluster.membership;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node without ZooKeeper: the only node, so always the leader, with a fixed epoch. The fixed
 * epoch fences nothing, so a standalone node must never share its SDN with another node.
 */
public final class StandaloneLeadership implements Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneLeadership.class);

    public static final long EPOCH = 1;

    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean started;

    @Override
    public void addListener(LeadershipListener listener) {
        listeners.add(listener);
        if (started) {
            listener.elected(EPOCH);
        }
    }

    @Override
    public void start() {
        started = true;
        LOG.info("standalone (no ZooKeeper): leader with epoch {}", EPOCH);
        listeners.forEach(l -> l.elected(EPOCH));
    }

    @Override
    public boolean isLeader() {
        return started;
    }

    @Override
    public long epoch() {
        return started ? EPOCH : NO_EPOCH;
    }

    @Override
    public void close() {
        if (started) {
            started = false;
            LOG.info("standalone: no longer leader (epoch {}): shutting down", EPOCH);
            listeners.forEach(l -> l.revoked(EPOCH));
        }
    }
}
