package io.cairn.node;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalOptions;
import io.cairn.cluster.journal.JournalRollCycle;
import io.cairn.node.bgp.session.BgpServer;
import io.cairn.node.bgp.session.LocalSpeaker;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.CairnConfig;
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
    /** A standalone node (no cluster section) is always the leader, with this epoch. */
    static final long STANDALONE_EPOCH = 1;

    /** How long a clean shutdown waits for its closing snapshot. */
    private static final long CLOSING_SNAPSHOT_MILLIS = 30_000;

    private final Journal journal;
    private final Path temporaryJournal;
    private final SessionJournal sessionJournal;
    private final RouteServer routeServer;
    private final BgpServer bgp;
    private final List<Prefix> vnetPrefixes;
    private Reconciler sdn;
    private volatile boolean started;

    /**
     * A node journaling into {@code journal}'s directory (a temporary one when it names none);
     * the RIB replays the journal at once, sessions start with {@link #start()}.
     *
     * @throws UncheckedIOException the journal cannot be opened (its cause says why)
     */
    public CairnNode(long asn, long routerId, InetSocketAddress listen, VnetConfig vnet, List<PeerConfig> peers,
                     RibConfig rib, JournalConfig journal, JournalOptions journalOptions) {
        this.vnetPrefixes = vnet.prefixes();
        try {
            this.temporaryJournal = journal.dir() == null ? Files.createTempDirectory("cairn-journal-") : null;
            this.journal = Journal.open(journal.dir() == null ? temporaryJournal : journal.dir(), journalOptions);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        this.sessionJournal = new SessionJournal(this.journal, journal.snapshotRecords());
        // Two I/O threads: enough for hundreds of sessions, and a flooding peer leaves one free.
        this.bgp = new BgpServer(new LocalSpeaker(asn, routerId, RESTART_TIME), listen, sessionJournal,
                Math.max(2, Runtime.getRuntime().availableProcessors()));
        bgp.configure(peers);
        this.routeServer = new RouteServer(asn, vnet, new DecisionProcess(rib.alwaysCompareMed(), rib.multipath()),
                RESTART_TIME, this.journal, bgp::peer, sessionJournal);
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
                config.journal(), journalOptions(config.journal()));
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
     * Waits for the journal's replay, then opens the sessions and starts programming the SDN with
     * the replayed table (so a restart writes nothing to a converged SDN).
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
        if (sdn != null) {
            // Standalone until the cluster arrives: leadership is this node's from the start.
            sdn.startLeading(STANDALONE_EPOCH);
        }
        return this;
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
        bgp.close();
        routeServer.close();
        if (sdn != null) {
            sdn.close(); // what the SDN holds stays: fail static
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
