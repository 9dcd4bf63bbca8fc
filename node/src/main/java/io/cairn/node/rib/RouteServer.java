package io.cairn.node.rib;

import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.SessionListener;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.export.Advertisement;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The route-server core. Sessions hand it {@link RibEvent}s through a bounded
 * {@link RibInbox}; one RIB thread (an Agrona agent) owns all RIB state and runs
 * {@link RibState}: import, decision, Loc-RIB and per-peer export. Queries run on the RIB
 * thread too, between batches, and answer with snapshots.
 */
public final class RouteServer implements SessionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouteServer.class);

    /** Events in flight between the sessions and the RIB thread before sessions stop reading. */
    static final int INBOX_CAPACITY = 1024;
    /** Events handled per duty cycle before decisions and export run. */
    private static final int EVENTS_PER_CYCLE = 256;

    private final RibInbox inbox = new RibInbox(INBOX_CAPACITY);
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Executor onRibThread = tasks::offer;
    private final ScheduledExecutorService timers;
    private final RibState rib;
    private final AgentRunner runner;

    public RouteServer(long localAsn, VnetConfig vnet, DecisionProcess decision) {
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rib-timers");
            t.setDaemon(true);
            return t;
        });
        this.rib = new RibState(localAsn, vnet, decision, (task, seconds) ->
                timers.schedule(() -> tasks.offer(task), seconds, TimeUnit.SECONDS));
        this.runner = new AgentRunner(
                new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
                e -> log.error("RIB thread: {}", e.toString(), e), null, new RibAgent());
        AgentRunner.startOnThread(runner, r -> {
            Thread t = new Thread(r, "rib");
            t.setDaemon(true);
            return t;
        });
    }

    /** The RIB thread's duty cycle: events, then tasks, then decisions and export. */
    private final class RibAgent implements Agent {
        @Override
        public int doWork() {
            int work = inbox.drain(rib::apply, EVENTS_PER_CYCLE);
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
                work++;
            }
            work += rib.decideAndExport();
            return work;
        }

        @Override
        public String roleName() {
            return "rib";
        }
    }

    // ---- session events (peer event loops) ----

    @Override
    public void established(Peer peer, OpenMessage local, OpenMessage remote, Negotiated negotiated) {
        inbox.submit(new RibEvent.PeerUp(peer, local, remote, negotiated, peer.localAddress()));
    }

    @Override
    public void update(Peer peer, UpdateMessage update) {
        AddressFamily endOfRib = update.endOfRibFamily().orElse(null);
        inbox.submit(endOfRib != null ? new RibEvent.EndOfRib(peer, endOfRib) : RibEvent.Update.of(peer, update));
    }

    @Override
    public void routeRefresh(Peer peer, RouteRefreshMessage request) {
        inbox.submit(new RibEvent.RouteRefresh(peer, request));
    }

    @Override
    public void down(Peer peer, String reason, boolean notified) {
        inbox.submit(new RibEvent.PeerDown(peer, reason, notified));
    }

    // ---- queries (any thread) ----

    /** The Adj-RIB-In of a peer, sorted by prefix; paths kept stale by graceful restart included. */
    public CompletableFuture<List<Path>> learned(String peerName) {
        return query(() -> rib.learned(peerName));
    }

    /** Prefixes of {@code peerName} kept stale by graceful restart, waiting for it to come back. */
    public CompletableFuture<Set<Prefix>> stale(String peerName) {
        return query(() -> rib.stale(peerName));
    }

    /** The Adj-RIB-Out of a peer, sorted by prefix. */
    public CompletableFuture<Map<Prefix, Advertisement>> advertised(String peerName) {
        return query(() -> rib.advertised(peerName));
    }

    /** The Loc-RIB: best path and ECMP set of every prefix. */
    public CompletableFuture<Map<Prefix, DecisionProcess.Selection>> best() {
        return query(rib::best);
    }

    /** Registers a listener for Loc-RIB changes; called on the RIB thread, it must not block. */
    public void addLocRibListener(LocRib.Listener listener) {
        rib.addLocRibListener(listener);
    }

    private <T> CompletableFuture<T> query(Supplier<T> q) {
        return CompletableFuture.supplyAsync(q, onRibThread);
    }

    @Override
    public void close() {
        runner.close();
        timers.shutdownNow();
    }
}
