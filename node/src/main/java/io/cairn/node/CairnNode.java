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

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;

/** One Cairn node: the BGP speaker and the route server behind it, wired together. */
public final class CairnNode implements AutoCloseable {

    /** Seconds NVAs keep our routes while we restart (advertised in graceful restart). */
    static final int RESTART_TIME = 120;

    private final RouteServer routeServer;
    private final BgpServer bgp;
    private final List<PeerConfig> peers;
    private final List<Prefix> vnetPrefixes;

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
        return new CairnNode(n.asn(), routerId, n.listen(), config.vnet(), config.peers(), config.rib());
    }

    public CairnNode start() throws InterruptedException {
        bgp.start(peers);
        return this;
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
    }
}
