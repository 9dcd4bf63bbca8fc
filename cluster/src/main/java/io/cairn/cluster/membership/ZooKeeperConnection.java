package io.cairn.cluster.membership;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.curator.utils.DefaultZookeeperFactory;
import org.apache.curator.utils.ZookeeperFactory;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's Curator client, plus the earliest possible word that the session is in doubt.
 *
 * <p>Curator reports SUSPENDED and LOST from its own thread, after a queue; by then the session
 * may already be gone and another node elected. {@link #onSessionDoubt} listeners instead run on
 * ZooKeeper's event thread as the raw Disconnected or Expired event arrives, before Curator (and
 * so before any recipe, our own included) does anything with it.
 *
 * <p>An unreachable ensemble does not stop the node: it runs as a non-leader (fail static: the
 * SDN keeps what it has) and the client keeps trying; every connection change is logged.
 */
public final class ZooKeeperConnection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperConnection.class);

    private final String connectString;
    private final List<Consumer<String>> doubtListeners = new CopyOnWriteArrayList<>();
    private final CuratorFramework client;

    private ZooKeeperConnection(String connectString, Duration sessionTimeout, Duration connectWait) {
        this.connectString = connectString;
        int connectMillis = Math.toIntExact(Math.min(sessionTimeout.toMillis(), connectWait.toMillis()));
        this.client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
                .connectionTimeoutMs(connectMillis)
                // Few retries: every caller retries on the next RECONNECTED anyway, and a long
                // retry loop would hold up shutdown while ZooKeeper is away.
                .retryPolicy(new BoundedExponentialBackoffRetry(100, 2000, 4))
                .zookeeperFactory(new TappingFactory())
                .build();
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state.isConnected()) {
                LOG.info("ZooKeeper {}: {}", connectString, state);
            } else {
                LOG.error("ZooKeeper {}: {}; not leading, SDN left as it is, retrying", connectString, state);
            }
        });
    }

    /**
     * A started connection; waits at most {@code connectWait} for the first connection and logs
     * an error, not an exception, when it does not come.
     */
    public static ZooKeeperConnection open(String connectString, Duration sessionTimeout, Duration connectWait)
            throws InterruptedException {
        ZooKeeperConnection connection = new ZooKeeperConnection(connectString, sessionTimeout, connectWait);
        connection.client.start();
        if (!connection.client.blockUntilConnected(Math.toIntExact(connectWait.toMillis()), TimeUnit.MILLISECONDS)) {
            LOG.error("ZooKeeper {} unreachable after {} ms: running as a non-leader (SDN left as it is)"
                    + " and retrying in the background", connectString, connectWait.toMillis());
        }
        return connection;
    }

    public CuratorFramework client() {
        return client;
    }

    /**
     * {@code listener} gets a reason each time the session stops being certain (disconnected,
     * expired, closed, read-only). Runs on ZooKeeper's event thread: be quick, never block.
     */
    public void onSessionDoubt(Consumer<String> listener) {
        doubtListeners.add(listener);
    }

    private void observe(WatchedEvent event) {
        if (event.getType() != Watcher.Event.EventType.None) {
            return;
        }
        KeeperState state = event.getState();
        if (state != KeeperState.SyncConnected) {
            String reason = "ZooKeeper session " + state;
            doubtListeners.forEach(l -> l.accept(reason));
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "ZooKeeper " + connectString;
    }

    /** Creates Curator's ZooKeeper handles with {@link #observe} ahead of Curator's own watcher. */
    private final class TappingFactory implements ZookeeperFactory {
        private final ZookeeperFactory delegate = new DefaultZookeeperFactory();

        private Watcher tap(Watcher curator) {
            return event -> {
                observe(event);
                curator.process(event);
            };
        }

        @Override
        public ZooKeeper newZooKeeper(String connect, int sessionTimeout, Watcher watcher, boolean canBeReadOnly)
                throws Exception {
            return delegate.newZooKeeper(connect, sessionTimeout, tap(watcher), canBeReadOnly);
        }

        @Override
        public ZooKeeper newZooKeeper(String connect, int sessionTimeout, Watcher watcher, boolean canBeReadOnly,
                ZKClientConfig config) throws Exception {
            return delegate.newZooKeeper(connect, sessionTimeout, tap(watcher), canBeReadOnly, config);
        }
    }
}
