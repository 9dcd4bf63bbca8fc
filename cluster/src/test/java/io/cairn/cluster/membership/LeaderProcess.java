package io.cairn.cluster.membership;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A contender in a process of its own for {@link EnsembleLeadershipTest}: joins the election of
 * cluster {@code args[2]} as node {@code args[1]} through ZooKeeper {@code args[0]} and prints
 * "elected EPOCH" and "revoked EPOCH" as they happen, until killed (or ten minutes, so a test
 * that dies cannot leave it behind for long).
 */
public final class LeaderProcess {
    private LeaderProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        try (ZooKeeperConnection connection = ZooKeeperTesting.connect(args[0]);
                ZooKeeperLeadership leadership = new ZooKeeperLeadership(connection, new ClusterPaths(args[2]), args[1])) {
            leadership.addListener(new LeadershipListener() {
                @Override
                public void elected(long epoch) {
                    out.println("elected " + epoch);
                }

                @Override
                public void revoked(long epoch) {
                    out.println("revoked " + epoch);
                }
            });
            leadership.start();
            new CountDownLatch(1).await(10, TimeUnit.MINUTES);
        }
    }
}
