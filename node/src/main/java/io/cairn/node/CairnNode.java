package io.cairn.node;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalOptions;
import io.cairn.cluster.journal.JournalRollCycle;
import io.cairn.cluster.membership.Leadership;
import io.cairn.cluster.membership.StandaloneLeadership;
import io.cairn.cluster.replica.Replicas;
import io.cairn.node.bgp.session.BgpServer;
import io.cairn.node.bgp.session.LocalSpeaker;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.cluster.NodeCluster;
import io.cairn.node.cluster.SdnTerm;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.ClusterConfig;
import io.cairn.node.config.JournalConfig;
import io.cairn.node.config.NodeConfig;
import io.cairn.node.config.PeerConfig;
import io.cairn.node.config.RibConfig;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.journal.SessionJournal;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.RouteServer;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.Reconciler;
import io.cairn.sdn.SdnDriver;
import io.cairn.sdn.SdnDrivers;
import io.cairn.sdn.SdnHealth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/** One Cairn node: the BGP speaker and the route server behind it, wired together. */
public final class CairnNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CairnNode.class);

    /** Seconds NVAs keep our routes while we restart (advertised in graceful restart). */
    static final int RESTART_TIME = 120;
    /** How long a clean shutdown waits for its closing snapshot. */
    private static final long CLOSING_SNAPSHOT_MILLIS = 30_000;

    private final Journal journal;
    private final Path temporaryJournal;
    private final SessionJournal sessionJournal;
    private final RouteServer routeServer;
    private final BgpServer bgp;
    private final List<Prefix> vnetPrefixes;
    private final String nodeId;
    private final ClusterConfig clusterConfig;
    /** Every other member's journal as this node holds it; null when standalone. */
    private final Replicas replicas;
    private Reconciler sdn;
    private volatile Leadership leadership;
    private volatile NodeCluster cluster;
    private volatile boolean started;

    /**
     * A node journaling into {@code journal}'s directory (a temporary one when it names none);
     * the RIB replays the journal at once, sessions start with {@link #start()}. With a
     * {@code cluster}, the node is member {@code nodeId} of it and also holds the other members'
     * journals (replicas, under the journal directory); without, it is standalone.
     *
     * @throws UncheckedIOException the journal cannot be opened (its cause says why)
     */
    public CairnNode(long asn, long routerId, InetSocketAddress listen, VnetConfig vnet, List<PeerConfig> peers,
                     RibConfig rib, JournalConfig journal, JournalOptions journalOptions, String nodeId,
                     ClusterConfig cluster) {
        this.vnetPrefixes = vnet.prefixes();
        this.nodeId = nodeId;
        this.clusterConfig = cluster;
        try {
            this.temporaryJournal = journal.dir() == null ? Files.createTempDirectory("cairn-journal-") : null;
            Path dir = journal.dir() == null ? temporaryJournal : journal.dir();
            this.journal = Journal.open(dir, journalOptions);
            this.replicas = cluster == null ? null : openReplicas(dir, journalOptions);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        this.sessionJournal = new SessionJournal(this.journal, journal.snapshotRecords());
        // Two I/O threads: enough for hundreds of sessions, and a flooding peer leaves one free.
        this.bgp = new BgpServer(new LocalSpeaker(asn, routerId, RESTART_TIME), listen, sessionJournal,
                Math.max(2, Runtime.getRuntime().availableProcessors()));
        bgp.configure(peers);
        this.routeServer = new RouteServer(asn, vnet, new DecisionProcess(rib.alwaysCompareMed(), rib.multipath()),
                RESTART_TIME, this.journal, bgp::peer, sessionJournal, replicas);
    }

    /** A standalone node. */
    public CairnNode(long asn, long routerId, InetSocketAddress listen, VnetConfig vnet, List<PeerConfig> peers,
                     RibConfig rib, JournalConfig journal, JournalOptions journalOptions) {
        this(asn, routerId, listen, vnet, peers, rib, journal, journalOptions, null, null);
    }

    private Replicas openReplicas(Path dir, JournalOptions options) throws IOException {
        try {
            return Replicas.open(dir, options);
        } catch (IOException e) {
            journal.close(); // its lock too, so the error is the only thing left
            throw e;
        }
    }

    /** A node with a temporary journal. */
    public CairnNode(long asn, long routerId, InetSocketAddress listen, VnetConfig vnet, List<PeerConfig> peers,
                     RibConfig rib) {
        this(asn, routerId, listen, vnet, peers, rib, JournalConfig.TEMPORARY, journalOptions(JournalConfig.TEMPORARY));
    }

    /** A node with the default route selection (multipath on, MED within one neighbouring AS). */
    public CairnNode(long asn, long routerId, InetSocketAddress listen, VnetConfig vnet, List<PeerConfig> peers) {
        this(asn, routerId, listen, vnet, peers, RibConfig.DEFAULT);
    }

    /** A node that originates {@code vnetPrefixes} with the session's own address as next hop. */
    public CairnNode(long asn, long routerId, InetSocketAddress listen, List<Prefix> vnetPrefixes,
                     List<PeerConfig> peers) {
        this(asn, routerId, listen, new VnetConfig(vnetPrefixes, null), peers);
    }

    /**
     * Five-minute cycles: a snapshot can delete only whole cycle files, so this bounds what
     * superseded history stays on disk. A temporary journal (tests, the demo) maps 1 MiB blocks.
     */
    public static JournalOptions journalOptions(JournalConfig journal) {
        JournalOptions options = JournalOptions.defaults().withRollCycle(JournalRollCycle.FIVE_MINUTELY,
                System::currentTimeMillis);
        return journal.dir() == null ? options.withBlockSize(1 << 20).withMinFreeBytes(64L << 20) : options;
    }

    public static CairnNode fromConfig(CairnConfig config) {
        NodeConfig n = config.node();
        long routerId = Integer.toUnsignedLong(ByteBuffer.wrap(n.routerId().getAddress()).getInt());
        CairnNode node = new CairnNode(n.asn(), routerId, n.listen(), config.vnet(), config.peers(), config.rib(),
                config.journal(), journalOptions(config.journal()), n.id(), config.cluster());
        try {
            SdnDrivers.create(config.sdn()).ifPresent(node::programSdn);
        } catch (RuntimeException e) {
            node.close(); // releases the journal's lock and the threads
            throw e;
        }
        return node;
    }

    /**
     * Programs the SDN through {@code driver} from the Loc-RIB (which leaves out Cairn's own VNet
     * routes and anything inside the VNet). Call before {@link #start()}, so no change is missed.
     */
    public CairnNode programSdn(SdnDriver driver) {
        if (sdn != null) {
            throw new IllegalStateException("the SDN driver is already set");
        }
        sdn = new Reconciler(driver, Reconciler.Settings.DEFAULT);
        routeServer.addLocRibListener(changes -> {
            Map<IpPrefix, Set<InetAddress>> converted = new HashMap<>();
            changes.forEach((prefix, hops) -> converted.put(toSdn(prefix), hops));
            sdn.update(converted);
        });
        return this;
    }

    /** The SDN agent knows no BGP: its prefix type is its own. */
    static IpPrefix toSdn(Prefix p) {
        try {
            byte[] a = p.address();
            // Inet6Address keeps an IPv4-mapped prefix IPv6; InetAddress.getByAddress would not.
            return new IpPrefix(a.length == 16 ? Inet6Address.getByAddress(null, a, -1) : InetAddress.getByAddress(a),
                    p.length());
        } catch (UnknownHostException e) {
            throw new AssertionError("a prefix always has 4 or 16 octets", e);
        }
    }

    /**
     * Waits for the journal's replay, then opens the sessions and takes its part in leadership:
     * standalone it leads at once, in a cluster it joins (see {@link NodeCluster#join}). A leader
     * programs the SDN from the replayed table, so a restart writes nothing to a converged SDN.
     *
     * @throws UncheckedIOException the cluster's replication server cannot start (its message says why)
     */
    public CairnNode start() throws InterruptedException {
        RouteServer.Replay replay;
        try {
            replay = routeServer.replayed().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("journal replay failed: " + e.getCause(), e.getCause());
        }
        log.info("journal {}: replayed {} records, {} paths, in {} ms", journal.dir(), replay.records(), replay.paths(),
                replay.millis());
        bgp.start();
        started = true;
        if (clusterConfig == null) {
            leadership = new StandaloneLeadership();
            if (sdn != null) {
                leadership.addListener(new SdnTerm(sdn));
            }
            leadership.start();
        } else {
            try {
                cluster = NodeCluster.join(nodeId, clusterConfig, journal, replicas, routeServer,
                        sdn == null ? List.of() : List.of(new SdnTerm(sdn)));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            leadership = cluster.leadership();
        }
        return this;
    }

    /** Who writes the SDN, and with which epoch; empty before {@link #start()}. */
    public Optional<Leadership> leadership() {
        return Optional.ofNullable(leadership);
    }

    /** This node's cluster membership and replication; empty when standalone or not started. */
    public Optional<NodeCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** What the SDN side is doing; empty when no SDN driver is configured. */
    public Optional<SdnHealth> sdnHealth() {
        return Optional.ofNullable(sdn).map(Reconciler::health);
    }

    /** The SDN side, to read back what it programmed; empty when no SDN driver is configured. */
    public Optional<Reconciler> sdn() {
        return Optional.ofNullable(sdn);
    }

    public RouteServer routeServer() {
        return routeServer;
    }

    public Collection<Peer> peers() {
        return bgp.peers();
    }

    public InetSocketAddress boundAddress() {
        return bgp.boundAddress();
    }

    /** The configured peer called {@code name}, or null. */
    public Peer peer(String name) {
        return bgp.peer(name);
    }

    /** Adds and starts a peer while the node runs; the other sessions are not touched. */
    public Peer addPeer(PeerConfig peer) {
        return bgp.addPeer(peer);
    }

    /** Closes the peer's session with Cease / Peer De-configured and forgets the peer. */
    public void removePeer(Peer peer) {
        bgp.removePeer(peer);
    }

    /** True while the BGP listener is bound. */
    public boolean listening() {
        return bgp.listening();
    }

    /** The VNet prefixes this node originates; learned routes inside them are not programmed. */
    public List<Prefix> vnetPrefixes() {
        return vnetPrefixes;
    }

    /** The journal as a whole: replay result, writer and reader state. */
    public Journal journal() {
        return journal;
    }

    public SessionJournal sessionJournal() {
        return sessionJournal;
    }

    /** Why the node takes in no new routes (journal trouble), or null. */
    public String journalProblem() {
        String writer = sessionJournal.problem();
        return writer != null ? writer : routeServer.problem();
    }

    /**
     * Stops: a closing snapshot (so the next start replays little), then the journal stops taking
     * records before the sessions close, so the routes the node had are what a restart finds; the
     * SDN keeps what it holds (fail static).
     */
    @Override
    public void close() {
        try {
            if (started && temporaryJournal == null && sessionJournal.problem() == null
                    && !sessionJournal.snapshotNow(CLOSING_SNAPSHOT_MILLIS)) {
                log.warn("journal {}: no closing snapshot within {} ms; the next start replays more", journal.dir(),
                        CLOSING_SNAPSHOT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessionJournal.close();
        // Leadership goes before the sessions, so the next leader takes over while they close.
        if (cluster != null) {
            cluster.close();
        } else if (leadership != null) {
            closeQuietly(leadership);
        }
        bgp.close();
        routeServer.close();
        if (sdn != null) {
            sdn.close(); // what the SDN holds stays: fail static
        }
        if (replicas != null) {
            replicas.close(); // after the RIB thread, which reads them
        }
        try {
            journal.close();
            if (temporaryJournal != null) {
                deleteTree(temporaryJournal);
            }
        } catch (IOException e) {
            log.warn("journal {}: {}", journal.dir(), e.toString());
        }
    }

    private static void closeQuietly(Leadership standalone) {
        try {
            standalone.close();
        } catch (IOException e) {
            log.warn("leadership: {}", e.toString());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
