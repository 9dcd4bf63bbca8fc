package io.cairn.cluster.membership;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's leadership as every member sees it, for the operator: the newest epoch taken (by
 * any node) and which member holds the leader latch. Read from a {@link CuratorCache} of the
 * cluster's ZooKeeper state, so reading costs no ZooKeeper round trip and a node that lost
 * ZooKeeper shows the last state it saw. It decides nothing: who writes the SDN is
 * {@link ZooKeeperLeadership}'s alone.
 */
public final class LeaderWatch implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);
    /** Curator's LeaderLatch names its nodes {@code ..latch-<10-digit sequence>}; the lowest leads. */
    private static final String LATCH_NODE = "latch-";

    private final ClusterPaths paths;
    private final CuratorCache cache;
    private volatile long firstEpoch = Leadership.NO_EPOCH;
    private volatile long epoch = Leadership.NO_EPOCH;

    public LeaderWatch(CuratorFramework client, ClusterPaths paths) {
        this.paths = paths;
        this.cache = CuratorCache.build(client, paths.root());
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> {
                    if (after.getPath().equals(paths.epoch())) {
                        epochSeen(after.getData());
                    }
                })
                .build());
    }

    public void start() {
        cache.start();
    }

    private void epochSeen(byte[] data) {
        long seen;
        try {
            seen = Long.parseLong(new String(data, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            LOG.warn("{} is not an epoch number; leadership metrics keep epoch {}", paths.epoch(), epoch);
            return;
        }
        if (firstEpoch == Leadership.NO_EPOCH) {
            firstEpoch = seen;
        }
        epoch = Math.max(epoch, seen);
    }

    /** The newest epoch any leader of the cluster took, as last seen; {@link Leadership#NO_EPOCH} before any. */
    public long epoch() {
        return epoch;
    }

    /**
     * Leadership terms begun since this node first saw one: each new epoch is a new SDN writer
     * (another node after a failover, or this one again after its ZooKeeper session was lost).
     * Exact, as every term takes the next epoch, even when several begin between two reads.
     */
    public long termsSinceFirstSeen() {
        return firstEpoch == Leadership.NO_EPOCH ? 0 : epoch - firstEpoch;
    }

    /** The member holding the leader latch (about to lead, or leading), if any. */
    public Optional<String> latchHolder() {
        String latch = paths.leaderLatch() + "/";
        return cache.stream()
                .filter(d -> d.getPath().startsWith(latch) && d.getPath().contains(LATCH_NODE) && d.getData() != null)
                .min(Comparator.comparing(LeaderWatch::sequence))
                .map(d -> new String(d.getData(), StandardCharsets.UTF_8));
    }

    private static String sequence(ChildData latchNode) {
        String path = latchNode.getPath();
        return path.substring(path.lastIndexOf(LATCH_NODE) + LATCH_NODE.length());
    }

    @Override
    public void close() {
        cache.close();
    }
}
