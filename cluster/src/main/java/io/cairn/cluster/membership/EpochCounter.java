package io.cairn.cluster.membership;

import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster's fencing epoch: a znode holding a decimal number that each new leader raises by
 * one with a compare-and-set on the znode's version, so two contenders can never take the same
 * epoch and no epoch is ever handed out twice, whatever the interleaving.
 */
final class EpochCounter {

    /** A compare-and-set fails only when another node incremented meanwhile; bounded anyway. */
    private static final int MAX_ATTEMPTS = 100;

    private final CuratorFramework client;
    private final String path;

    EpochCounter(CuratorFramework client, String path) {
        this.client = client;
        this.path = path;
    }

    /** The next epoch, strictly above every epoch taken before. Blocks on ZooKeeper. */
    long next() throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Stat stat = new Stat();
            byte[] data;
            try {
                data = client.getData().storingStatIn(stat).forPath(path);
            } catch (KeeperException.NoNodeException e) {
                try {
                    client.create().creatingParentContainersIfNeeded().forPath(path, encode(1));
                    return 1;
                } catch (KeeperException.NodeExistsException raced) {
                    continue;
                }
            }
            long next = decode(data) + 1;
            try {
                client.setData().withVersion(stat.getVersion()).forPath(path, encode(next));
                return next;
            } catch (KeeperException.BadVersionException raced) {
                // Someone else took an epoch between our read and write: read again.
            }
        }
        throw new IllegalStateException("could not increment " + path + " in " + MAX_ATTEMPTS + " attempts");
    }

    private long decode(byte[] data) {
        String text = new String(data, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(path + " holds '" + text + "', not an epoch number", e);
        }
    }

    private static byte[] encode(long epoch) {
        return Long.toString(epoch).getBytes(StandardCharsets.US_ASCII);
    }
}
