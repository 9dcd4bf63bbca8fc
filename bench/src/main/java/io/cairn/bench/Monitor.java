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
 *
 * <p>For warm rounds it also knows which prefixes the router currently announces at all (right
 * path or not): {@link #awaitEmpty} opens when the router has withdrawn every one of them, and
 * {@link #nextRound} arms {@link #done} again for the next round.
 */
final class Monitor implements Consumer<UpdateMessage> {

    private final Workload workload;
    private final byte[] right;
    private final int expected;
    private int rightCount;
    /** Per prefix: announced by the router and not withdrawn since, whatever the path. */
    private final byte[] held;
    private int heldCount;
    /** {@link #heldCount} as of the last UPDATE, for the test thread (one volatile write per UPDATE). */
    private volatile int heldPublished;
    private volatile CountDownLatch empty;
    volatile CountDownLatch done = new CountDownLatch(1);
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
        this.held = new byte[expected];
    }

    /**
     * A latch that opens once the router announces none of the workload's prefixes (it may
     * already be open). The test thread publishes the latch then reads the count, the reader
     * thread publishes the count then reads the latch (both volatile), so the opening cannot be
     * missed whichever thread comes first.
     */
    CountDownLatch awaitEmpty() {
        CountDownLatch latch = new CountDownLatch(1);
        empty = latch;
        if (heldPublished == 0) {
            latch.countDown();
        }
        return latch;
    }

    /** Arms {@link #done} for the next round; call only once {@link #awaitEmpty} has opened. */
    void nextRound() {
        if (heldPublished != 0) {
            throw new IllegalStateException("the router still announces " + heldPublished + " prefixes");
        }
        done = new CountDownLatch(1);
    }

    int heldCount() {
        return heldPublished;
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
                if (held[i] != 0) {
                    held[i] = 0;
                    heldCount--;
                }
                if (right[i] != 0) {
                    right[i] = 0;
                    rightCount--;
                }
            }
        }
        List<Prefix> nlri = u.nlri();
        if (!nlri.isEmpty()) {
            announce(u, nlri);
        }
        if (rightCount == expected && done.getCount() > 0) {
            doneAt = System.nanoTime();
            done.countDown();
        }
        heldPublished = heldCount;
        CountDownLatch e = empty;
        if (heldCount == 0 && e != null) {
            e.countDown();
        }
    }

    private void announce(UpdateMessage u, List<Prefix> nlri) {
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
            if (held[i] == 0) {
                held[i] = 1;
                heldCount++;
            }
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
    }
}
