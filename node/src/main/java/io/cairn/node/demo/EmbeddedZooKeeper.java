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
 * (the jar Curator already brings), on a free loopback port, so the demo needs nothing installed
 * and collides with no other ZooKeeper on the machine.
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
     * Binds its port on {@code address} (port 0: the kernel picks one), to be {@link #start}ed; its
     * snapshots and transaction log go to {@code dataDir}. ZooKeeper grants session timeouts between
     * 2 and 20 ticks, so {@code tick} bounds the nodes' session timeout. Clients that call before
     * the start wait in the listen queue or retry.
     */
    static EmbeddedZooKeeper bind(Path dataDir, InetAddress address, Duration tick) throws IOException {
        // Its limit on connections in all; unset, ZooKeeper warns that there is none.
        System.setProperty("zookeeper.maxCnxns", Integer.toString(MAX_CONNECTIONS));
        ZooKeeperServer server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), (int) tick.toMillis());
        ServerCnxnFactory connections = ServerCnxnFactory.createFactory(new InetSocketAddress(address, 0),
                MAX_CONNECTIONS);
        return new EmbeddedZooKeeper(server, connections, address);
    }

    /** Serves: loads (creates) the database and starts the I/O threads. */
    void start() throws IOException, InterruptedException {
        try {
            connections.startup(server);
        } catch (Throwable e) { // also a missing class: its I/O threads would keep the JVM from exiting
            close();
            throw e;
        }
    }

    /** The connect string of ZooKeeper clients, HOST:PORT. */
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
