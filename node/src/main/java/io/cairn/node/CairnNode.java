package io.cairn.node;

import io.cairn.node.bgp.session.BgpServer;
import io.cairn.node.bgp.session.LocalSpeaker;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.NodeConfig;
import io.cairn.node.config.PeerConfig;
import io.cairn.node.config.RibConfig;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.RouteServer;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.Reconciler;
import io.cairn.sdn.SdnDriver;
import io.cairn.sdn.SdnDrivers;
import io.cairn.sdn.SdnHealth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One Cairn node: the BGP speaker and the route server behind it, wired together. */
public final class CairnNode implements AutoCloseable {

    /** Seconds NVAs keep our routes while we restart (advertised in graceful restart). */
    static final int RESTART_TIME = 120;
    /** A standalone node (no cluster section) is always the leader, with this epoch. */
    static final long STANDALONE_EPOCH = 1;

    private final RouteServer routeServer;
    private final BgpServer bgp;
    private final List<PeerConfig> peers;
    private final List<Prefix> vnetPrefixes;
    private Reconciler sdn;

    public CairnNode(long asn, long routerId, InetSocketAddress listen, VnetConfig vnet, List<PeerConfig> peers,
                     RibConfig rib) {
        this.peers = List.copyOf(peers);
        this.vnetPrefixes = vnet.prefixes();
        this.routeServer = new RouteServer(asn, vnet, new DecisionProcess(rib.alwaysCompareMed(), rib.multipath()));
        // Two I/O threads: enough for hundreds of sessions, and a flooding peer leaves one free.
        this.bgp = new BgpServer(new LocalSpeaker(asn, routerId, RESTART_TIME), listen, routeServer,
                Math.max(2, Runtime.getRuntime().availableProcessors()));
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

    public static CairnNode fromConfig(CairnConfig config) {
        NodeConfig n = config.node();
        long routerId = Integer.toUnsignedLong(ByteBuffer.wrap(n.routerId().getAddress()).getInt());
        CairnNode node = new CairnNode(n.asn(), routerId, n.listen(), config.vnet(), config.peers(), config.rib());
        SdnDrivers.create(config.sdn()).ifPresent(node::programSdn);
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

    public CairnNode start() throws InterruptedException {
        bgp.start(peers);
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

    @Override
    public void close() {
        bgp.close();
        routeServer.close();
        if (sdn != null) {
            sdn.close(); // what the SDN holds stays: fail static
        }
    }
}
