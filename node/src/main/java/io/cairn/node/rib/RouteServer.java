package io.cairn.node.rib;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalCorruptException;
import io.cairn.cluster.replica.Replicas;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.export.Advertisement;
import io.cairn.node.journal.SessionJournal;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import io.cairn.node.journal.WakeableIdleStrategy;
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
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The route-server core. One RIB thread (an Agrona agent) owns all RIB state and runs
 * {@link RibState}: import, decision, Loc-RIB and per-peer export. Its input is the journal, not the
 * sessions: it replays the journal from the newest snapshot when it starts, then follows what the
 * {@link SessionJournal} appends ({@link JournalFollower}). In a cluster it also follows every other
 * member's journal through this node's replica of it ({@link ReplicaFollowers}), so every node
 * computes the same Loc-RIB. Queries run on the RIB thread too, between batches, and answer with
 * snapshots.
 */
public final class RouteServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouteServer.class);

    /** Journal records applied per duty cycle, at most, before decisions and export run. */
    private static final int RECORDS_PER_CYCLE = 256;
    /**
     * Prefixes waiting for a decision after which a duty cycle reads no more records: eight
     * full-size records (8,000 prefixes). A cycle's transient sets (the changed keys, the change
     * log) then stay in the CPU's caches, and export starts while the rest of a table is still
     * arriving: with 256 full-size records per cycle the load test's first tables of w1 and w3
     * took 60-70 % longer (bench/RESULTS.md, "Records per duty cycle"). Records that change the
     * same prefixes again (churn) or carry a few NLRI each still go up to 256 to a cycle, so that
     * their changes coalesce and pack.
     */
    private static final int UNDECIDED_PER_CYCLE = 4_096;
    /** Records read between looks at {@link #UNDECIDED_PER_CYCLE}. */
    private static final int RECORDS_PER_LOOK = 8;

    /** What the start-up replay did. */
    public record Replay(long records, long paths, long millis) {
    }

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * Woken when the writer has appended and when a task arrives. It parks on a clock (10 ms) only
     * while something that does not signal needs a look: replicas, which the replication client
     * appends to without a signal, and what {@link RibState#waitsOnClock} names.
     */
    private final WakeableIdleStrategy idle = new WakeableIdleStrategy();
    private final Executor onRibThread = task -> {
        tasks.offer(task);
        idle.wake();
    };
    private final ScheduledExecutorService timers;
    private final RibState rib;
    private final JournalFollower follower;
    private final SessionJournal writer;
    /** The follower's record count, published by the RIB thread for {@link #queueDepth()}. */
    private volatile long journalRecordsRead;
    /** Null when standalone. */
    private final ReplicaFollowers replicaFollowers;
    private final CompletableFuture<Replay> replayed = new CompletableFuture<>();
    private final long startedNanos = System.nanoTime();
    private final AgentRunner runner;
    private volatile String problem;
    /** Time per duty cycle that had decisions or export to do, in microseconds. */
    private final Histogram decisionMicros = new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build());

    /**
     * Starts the RIB thread, which replays {@code journal} at once and then follows it.
     *
     * @param ownRestartSeconds how long replayed paths stay stale for a peer without a restart time
     * @param directory the configured peer at an address, or null
     * @param writer the journal's writer, which the RIB hands snapshot captures and stale expiries
     * @param replicas the other members' journals, also replayed and followed; null when standalone
     */
    public RouteServer(long localAsn, VnetConfig vnet, DecisionProcess decision, int ownRestartSeconds,
                       Journal journal, Function<InetAddress, Peer> directory, SessionJournal writer,
                       Replicas replicas) {
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rib-timers");
            t.setDaemon(true);
            return t;
        });
        this.rib = new RibState(localAsn, vnet, decision, (task, seconds) ->
                timers.schedule(() -> onRibThread.execute(task), seconds, TimeUnit.SECONDS), ownRestartSeconds,
                writer::stalePathsExpired, writer::sessionEndedByRestart, directory);
        this.follower = new JournalFollower(journal, rib, writer);
        this.writer = writer;
        this.replicaFollowers = replicas == null ? null : new ReplicaFollowers(replicas, rib);
        writer.onAppended(idle::wake);
        this.runner = new AgentRunner(idle, e -> log.error("RIB thread: {}", e.toString(), e), null, new RibAgent());
        AgentRunner.startOnThread(runner, r -> {
            Thread t = new Thread(r, "rib");
            t.setDaemon(true);
            return t;
        });
    }

    /** The RIB thread's duty cycle: journal records, then tasks, then decisions and export. */
    private final class RibAgent implements Agent {
        @Override
        public int doWork() {
            int work = follow();
            if (work > 0) {
                journalRecordsRead = follower.records();
            }
            if (work == 0 && !replayed.isDone()) {
                rib.endReplay();
                long paths = rib.pathCount();
                replayed.complete(new Replay(follower.records(), paths,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)));
            }
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
                work++;
            }
            long started = System.nanoTime();
            int decided = rib.decideAndExport();
            if (decided > 0) {
                decisionMicros.update((System.nanoTime() - started) / 1_000);
            }
            idle.parkTimed(replicaFollowers != null || rib.waitsOnClock());
            return work + decided;
        }

        @Override
        public void onClose() {
            follower.close();
            if (replicaFollowers != null) {
                replicaFollowers.close();
            }
        }

        @Override
        public String roleName() {
            return "rib";
        }
    }

    /** Reads journal and replica records until the cycle has enough to decide (see UNDECIDED_PER_CYCLE). */
    private int follow() {
        int work = 0;
        while (work < RECORDS_PER_CYCLE && rib.undecided() < UNDECIDED_PER_CYCLE) {
            int read = followSome(RECORDS_PER_LOOK);
            if (read == 0) {
                break;
            }
            work += read;
        }
        return work;
    }

    private int followSome(int limit) {
        int work = replicaFollowers == null ? 0 : replicaFollowers.poll(limit);
        if (problem != null) {
            return work;
        }
        try {
            return work + follower.poll(limit);
        } catch (JournalCorruptException e) {
            // Found while running (opening checked every record): keep every route, take no more.
            problem = "journal record " + Long.toHexString(e.index()) + " is damaged: " + e.getMessage()
                    + "; the RIB keeps its routes and reads no further until restarted";
            log.error(problem);
            return work;
        }
    }

    /** Another member left: its copies of sessions that live on elsewhere go now (see RibState#originLeft). */
    public void originLeft(String origin) {
        onRibThread.execute(() -> rib.originLeft(origin));
    }

    /** Another member is gone past the persist time: its paths go, and its replica is read no more. */
    public void originGone(String origin) {
        onRibThread.execute(() -> replicaFollowers.gone(origin, "not a member for the persist time"));
    }

    /** Another member is back: its replica is read again from its latest snapshot if it was gone. */
    public void originBack(String origin) {
        onRibThread.execute(() -> replicaFollowers.back(origin));
    }

    /**
     * Records this node journaled since it started that the RIB has not applied yet: its input
     * queue, 0 while it keeps up. Read without the RIB thread, so a RIB that is stuck or slow
     * shows as a growing number.
     */
    public long queueDepth() {
        Replay replay = replayed.getNow(null);
        if (replay == null) {
            return 0; // sessions open after the replay: nothing is journaled before it
        }
        return Math.max(0, writer.appendedRecords() - (journalRecordsRead - replay.records()));
    }

    /** Completes once the journal has been replayed and the RIB follows it live. */
    public CompletableFuture<Replay> replayed() {
        return replayed;
    }

    /** How long the decision process and export took per RIB duty cycle that had work, in microseconds. */
    public Histogram decisionMicros() {
        return decisionMicros;
    }

    /** Why the RIB stopped reading the journal, or null. */
    public String problem() {
        return problem;
    }

    // ---- queries (any thread) ----

    /** Prefix counts per peer and for the whole RIB, from counters: cheap at any RIB size. */
    public CompletableFuture<RibCounts> counts() {
        return query(rib::counts);
    }

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

    /** A fingerprint of every Adj-RIB-In and the Loc-RIB, to compare two RIBs without a full dump. */
    public CompletableFuture<RibDigest> digest() {
        return query(rib::digest);
    }

    /**
     * Registers a listener for Loc-RIB changes; called on the RIB thread, it must not block. It is
     * told the Loc-RIB as it is first, then every change: the RIB thread replays the journal from
     * construction on, so what the replay put in the Loc-RIB before this call is not missed (a
     * restarted leader would otherwise remove it from the SDN). Returns once it is registered.
     */
    public void addLocRibListener(LocRib.Listener listener) {
        query(() -> {
            rib.addLocRibListener(listener);
            return null;
        }).join();
    }

    private <T> CompletableFuture<T> query(Supplier<T> q) {
        return CompletableFuture.supplyAsync(q, onRibThread);
    }

    @Override
    public void close() {
        idle.stop();
        runner.close();
        timers.shutdownNow();
    }
}
