package io.cairn.node.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A standalone ZooKeeper server inside the demo's JVM, made of ZooKeeper's own server classes
 * (the jar Curator already brings), on a port the kernel picks, so the demo needs nothing
 * installed and collides with no other ZooKeeper on the machine.
 */
final class EmbeddedZooKeeper implements AutoCloseable {

    /** Two Cairn nodes, a few connections each. */
    private static final int MAX_CONNECTIONS = 60;

    private final ZooKeeperServer server;
    private final ServerCnxnFactory connections;
    private final String connectString;

    private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory connections, InetAddress address) {
        this.server = server;
        this.connections = connections;
        this.connectString = address.getHostAddress() + ":" + connections.getLocalPort();
    }

    /**
     * Starts it with its snapshots and transaction log in {@code dataDir}. ZooKeeper grants session
     * timeouts between 2 and 20 ticks, so {@code tick} bounds the nodes' session timeout.
     */
    static EmbeddedZooKeeper start(Path dataDir, InetAddress address, Duration tick)
            throws IOException, InterruptedException {
        // Its limit on connections in all; unset, ZooKeeper warns that there is none.
        System.setProperty("zookeeper.maxCnxns", Integer.toString(MAX_CONNECTIONS));
        ZooKeeperServer server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), (int) tick.toMillis());
        ServerCnxnFactory connections = ServerCnxnFactory.createFactory(new InetSocketAddress(address, 0),
                MAX_CONNECTIONS);
        try {
            connections.startup(server);
        } catch (Throwable e) { // also a missing class: its I/O threads would keep the JVM from exiting
            connections.shutdown();
            server.shutdown();
            throw e;
        }
        return new EmbeddedZooKeeper(server, connections, address);
    }

    String connectString() {
        return connectString;
    }

    @Override
    public void close() {
        connections.shutdown();
        server.shutdown();
    }

    @Override
    public String toString() {
        return "ZooKeeper at " + connectString;
    }
}
