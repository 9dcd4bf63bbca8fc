package io.cairn.bench;

import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The monitor peer's view: for every expected prefix, whether the router's latest announcement
 * of it carries the expected best path (next hop, first AS and AS-path length of the expected
 * injector). Runs on the monitor session's reader thread only; {@link #done} opens, and
 * {@link #doneAt} is stamped, the moment the last prefix becomes right.
 */
final class Monitor implements Consumer<UpdateMessage> {

    private final Workload workload;
    private final byte[] right;
    private final int expected;
    private int rightCount;
    final CountDownLatch done = new CountDownLatch(1);
    volatile long doneAt;
    /** Statistics, read after the run. */
    volatile long updates;
    volatile long announced;
    volatile long wrongPath;
    volatile long withdrawn;
    /** The first announcement that did not carry the expected path, for diagnostics. */
    volatile String firstWrong;

    Monitor(Workload workload) {
        this.workload = workload;
        this.expected = workload.expectedPrefixes();
        this.right = new byte[expected];
    }

    int rightCount() {
        return rightCount;
    }

    int expected() {
        return expected;
    }

    @Override
    public void accept(UpdateMessage u) {
        updates++;
        for (Prefix p : u.withdrawn()) {
            int i = workload.indexOf(p);
            if (i >= 0) {
                withdrawn++;
                if (right[i] != 0) {
                    right[i] = 0;
                    rightCount--;
                }
            }
        }
        List<Prefix> nlri = u.nlri();
        if (nlri.isEmpty()) {
            return;
        }
        int nextHop = u.attribute(PathAttribute.NextHop.class)
                .map(nh -> (int) BenchPeer.ipv4(nh.address())).orElse(0);
        PathAttribute.AsPath path = u.attribute(PathAttribute.AsPath.class).orElse(PathAttribute.AsPath.EMPTY);
        long firstAs = path.firstAs();
        int length = path.pathLength();
        for (Prefix p : nlri) {
            int i = workload.indexOf(p);
            if (i < 0) {
                continue; // e.g. Cairn's own VNet prefix
            }
            announced++;
            int peer = workload.expectedPeer(i);
            boolean ok = nextHop == Workload.nextHop(peer) && firstAs == Workload.peerAs(peer)
                    && length == workload.asPathLength(peer);
            if (!ok) {
                wrongPath++;
                if (firstWrong == null) {
                    firstWrong = p + " via " + Workload.inet4(nextHop).getHostAddress() + " AS path " + path
                            + " (expected via " + Workload.inet4(Workload.nextHop(peer)).getHostAddress()
                            + ", first AS " + Workload.peerAs(peer) + ", length " + workload.asPathLength(peer) + ")";
                }
            }
            if (ok && right[i] == 0) {
                right[i] = 1;
                rightCount++;
            } else if (!ok && right[i] != 0) {
                right[i] = 0;
                rightCount--;
            }
        }
        if (rightCount == expected && done.getCount() > 0) {
            doneAt = System.nanoTime();
            done.countDown();
        }
    }
}
