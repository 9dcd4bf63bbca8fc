package io.cairn.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The K injector sessions of one round: connected together, each writing its pre-encoded
 * UPDATEs from its own thread the moment {@link #send} opens the gate, and shut down together
 * (which makes the router withdraw everything they announced).
 */
final class Injectors implements AutoCloseable {

    private static final long CONNECT_MILLIS = 30_000;
    private static final long RETRY_MILLIS = 200;

    private final List<BenchPeer> peers = new ArrayList<>();
    private final List<Thread> senders = new ArrayList<>();
    private long[] sentAt = new long[0];
    private volatile Exception sendError;

    private Injectors() {
    }

    /**
     * Connects one session per workload peer and waits until all are Established. With
     * {@code retryMillis > 0} a session the router refuses (closes or resets before Established)
     * is tried again every {@link #RETRY_MILLIS} until then: after a round's shutdown some routers
     * hold the peer idle for a while (GoBGP's idle-hold-time-after-reset, OpenBGPD until its
     * session engine restarts the peer) and reject it meanwhile.
     */
    static Injectors connect(Workload w, int port, long retryMillis) throws Exception {
        Injectors injectors = new Injectors();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMillis);
        try {
            for (int p = 0; p < w.peers; p++) {
                BenchPeer inj = connectOne(p, port, deadline, retryMillis > 0);
                injectors.peers.add(inj);
                if (!inj.negotiated().fourOctetAs()) {
                    throw new IllegalStateException("router did not negotiate 4-octet AS; the pre-encoded"
                            + " UPDATEs assume it");
                }
            }
            return injectors;
        } catch (Exception e) {
            injectors.close();
            throw e;
        }
    }

    private static BenchPeer connectOne(int p, int port, long deadline, boolean retry) throws Exception {
        while (true) {
            BenchPeer inj = new BenchPeer("inj" + p, Workload.peerAddress(p), Workload.peerAs(p), null);
            try {
                inj.connect(Router.ROUTER_ADDRESS, port, CONNECT_MILLIS);
                return inj;
            } catch (Exception e) {
                inj.close();
                if (!retry || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(RETRY_MILLIS); // the router's own idle timer decides; nothing to await
            }
        }
    }

    /**
     * Starts one sender thread per peer, all held at a gate, then opens it: returns the
     * {@link System#nanoTime()} at which the gate opened (the clock's start).
     */
    long send(List<List<byte[]>> encoded) {
        CountDownLatch go = new CountDownLatch(1);
        sentAt = new long[peers.size()];
        for (int p = 0; p < peers.size(); p++) {
            final int peer = p;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    for (byte[] chunk : encoded.get(peer)) {
                        peers.get(peer).send(chunk);
                    }
                    sentAt[peer] = System.nanoTime();
                } catch (Exception e) {
                    sendError = e;
                }
            }, "send-" + p);
            t.setDaemon(true);
            t.start();
            senders.add(t);
        }
        long start = System.nanoTime();
        go.countDown();
        return start;
    }

    /** Rethrows the first failure of a session or a sender. */
    void check() throws Exception {
        for (BenchPeer bp : peers) {
            if (bp.failed.isCompletedExceptionally()) {
                bp.failed.join();
            }
        }
        if (sendError != null) {
            throw sendError;
        }
    }

    /** Waits (bounded) for the senders and returns when the last one finished writing. */
    long lastSent(long start) throws InterruptedException {
        for (Thread t : senders) {
            t.join(10_000);
        }
        return Arrays.stream(sentAt).max().orElse(start);
    }

    /**
     * Ends every session with a Cease / Administrative Shutdown (RFC 4486, RFC 9003) rather than a
     * bare close: a router may treat a dropped connection as an error and hold the peer down for
     * a while (BIRD's error wait time), which would delay the next round's sessions.
     */
    void shutdown() {
        peers.forEach(p -> p.shutdown("cairn bench: next round"));
    }

    @Override
    public void close() {
        peers.forEach(BenchPeer::close);
    }
}
