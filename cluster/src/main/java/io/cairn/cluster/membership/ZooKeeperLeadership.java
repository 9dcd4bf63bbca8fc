package io.cairn.cluster.membership;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Leadership through a Curator {@link LeaderLatch}, with an epoch from {@link EpochCounter}.
 *
 * <p>Losing is immediate, winning is careful. When ZooKeeper's event thread reports the session
 * disconnected or expired, leadership is revoked right there, synchronously, before Curator or
 * anything else acts on the event: once ZooKeeper cannot vouch for us, another node may be
 * elected at any moment. Curator's SUSPENDED, LOST and READ_ONLY do the same, as a second line. Winning runs on
 * one election thread: when the latch says we lead and the connection is up, a new epoch is
 * taken from ZooKeeper, and published only if nothing was lost meanwhile (a generation count,
 * bumped by every loss, tells). So every term, including one after a reconnect, has a new epoch.
 */
public final class ZooKeeperLeadership implements Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeadership.class);
    /** After a failed epoch increment with the connection still up (e.g. a corrupt counter). */
    private static final long RETRY_MILLIS = 1000;

    private final ZooKeeperConnection connection;
    private final String nodeId;
    private final LeaderLatch latch;
    private final EpochCounter counter;
    private final ScheduledExecutorService elections;
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile long epoch = NO_EPOCH;
    private long generation;
    private volatile boolean connected;
    private volatile boolean closed;

    public ZooKeeperLeadership(ZooKeeperConnection connection, ClusterPaths paths, String nodeId) {
        this.connection = connection;
        CuratorFramework client = connection.client();
        this.nodeId = nodeId;
        this.latch = new LeaderLatch(client, paths.leaderLatch(), nodeId);
        this.counter = new EpochCounter(client, paths.epoch());
        this.elections = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-election-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void addListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    @Override
    public void start() {
        // The raw event comes first: Curator's SUSPENDED/LOST reach listeners later, from a queue.
        connection.onSessionDoubt(reason -> {
            connected = false;
            stepDown(reason, Level.WARN);
        });
        connection.client().getConnectionStateListenable().addListener((c, state) -> connectionChanged(state));
        connected = connection.client().getZookeeperClient().isConnected();
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                contendSoon();
            }

            @Override
            public void notLeader() {
                stepDown("the leader latch was lost", Level.WARN);
            }
        });
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the leader latch", e);
        }
    }

    private void connectionChanged(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST, READ_ONLY -> {
                connected = false;
                stepDown("ZooKeeper connection " + state, Level.WARN);
            }
            case CONNECTED, RECONNECTED -> {
                connected = true;
                contendSoon();
            }
            default -> throw new AssertionError(state);
        }
    }

    /** Contends on the election thread; after {@link #close} (events still arriving from Curator), not at all. */
    private void contendSoon() {
        try {
            elections.execute(this::contend);
        } catch (RejectedExecutionException closedMeanwhile) {
            // the election thread is gone: this node contends no more
        }
    }

    /** Takes a new epoch if the latch is ours and nothing interferes. Election thread only. */
    private void contend() {
        long started;
        synchronized (lock) {
            if (epoch != NO_EPOCH || closed) {
                return;
            }
            started = generation;
        }
        if (!connectedNow() || !latch.hasLeadership()) {
            return;
        }
        long taken;
        try {
            taken = counter.next();
        } catch (Exception e) {
            if (closed) {
                return;
            }
            LOG.error("node {}: cannot take a new epoch, staying non-leader: {}", nodeId, e.toString());
            if (connected) {
                elections.schedule(this::contend, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        synchronized (lock) {
            if (generation != started || !connectedNow() || closed || !latch.hasLeadership()) {
                LOG.info("node {}: epoch {} taken, but leadership was lost meanwhile; not used", nodeId, taken);
                return;
            }
            epoch = taken;
            LOG.info("node {}: leader with epoch {}", nodeId, taken);
            listeners.forEach(l -> l.elected(taken));
        }
    }

    /** Curator's view and the raw handle's: a stale RECONNECTED must not outvote a fresh disconnect. */
    private boolean connectedNow() {
        return connected && connection.client().getZookeeperClient().isConnected();
    }

    /** @param level WARN when leadership was taken away, INFO when this node gave it up */
    private void stepDown(String reason, Level level) {
        synchronized (lock) {
            generation++;
            long old = epoch;
            if (old == NO_EPOCH) {
                return;
            }
            epoch = NO_EPOCH;
            LOG.atLevel(level).log("node {}: no longer leader (epoch {}): {}", nodeId, old, reason);
            listeners.forEach(l -> l.revoked(old));
        }
    }

    @Override
    public boolean isLeader() {
        return epoch != NO_EPOCH;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        stepDown("shutting down", Level.INFO);
        elections.shutdownNow();
        latch.close();
    }
}
