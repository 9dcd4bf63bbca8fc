package io.cairn.cluster.membership;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/** Real ZooKeeper servers for tests, with a short tick so sessions can time out in seconds. */
public final class ZooKeeperTesting {

    /** ZooKeeper bounds session timeouts to 2..20 ticks. */
    static final int TICK_MILLIS = 250;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);

    private ZooKeeperTesting() {
    }

    private static InstanceSpec spec(int serverId) {
        // Random free ports (-1), temporary data directory deleted on close.
        return new InstanceSpec(null, -1, -1, -1, true, serverId, TICK_MILLIS, -1);
    }

    public static TestingServer server() throws Exception {
        return new TestingServer(spec(-1), true);
    }

    /**
     * A free port below Linux's ephemeral range (32768 up by default), for a server that starts only
     * after clients have been dialling it: a client retrying a port in that range can be given the
     * same port as its own source and connect to itself (TCP simultaneous open), and the server's
     * bind then fails, which makes ZooKeeper's embedded server exit the whole test JVM.
     */
    static int freePortOutsideEphemeralRange() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket probe = new ServerSocket(port)) {
                return port;
            } catch (IOException inUse) {
                // taken: try another
            }
        }
        throw new IOException("no free port between 20000 and 32000 after 200 attempts");
    }

    static TestingServer serverOnPort(int port) throws Exception {
        return new TestingServer(new InstanceSpec(null, port, -1, -1, true, -1, TICK_MILLIS, -1), true);
    }

    static TestingCluster ensembleOfThree() throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            specs.add(spec(id));
        }
        TestingCluster cluster = new TestingCluster(specs);
        cluster.start();
        return cluster;
    }

    public static ZooKeeperConnection connect(String connectString) throws InterruptedException {
        return connect(connectString, Duration.ofSeconds(10));
    }

    static ZooKeeperConnection connect(String connectString, Duration connectWait) throws InterruptedException {
        return ZooKeeperConnection.open(connectString, SESSION_TIMEOUT, connectWait);
    }
}
