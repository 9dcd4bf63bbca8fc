package io.cairn.node.demo;

import io.cairn.node.bgp.session.BgpServer;
import io.cairn.node.bgp.session.LocalSpeaker;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.SessionListener;
import io.cairn.node.bgp.session.SessionState;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.PeerConfig;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An NVA of the demo, built from Cairn's own BGP speaker: it calls every node, announces one
 * prefix with itself as next hop (its AS path prepended {@code prepends} times, which makes a
 * backup passive), keeps what each node sends it, and can withdraw its prefix. It originates only
 * and re-advertises nothing, as a firewall or SD-WAN box announcing its own ranges does.
 */
final class SimulatedNva implements SessionListener, AutoCloseable {

    /** A route as the NVA learned it from a node. */
    record Learned(Prefix prefix, String nextHop, String asPath) {
    }

    /** Speakers of the demo run on loopback with one I/O thread each. */
    private static final int THREADS = 1;
    /** Seconds the nodes keep this NVA's routes if it restarts (it does not, in the demo). */
    private static final int RESTART_TIME = 120;

    private final String name;
    private final Inet4Address address;
    private final long asn;
    private final Prefix announces;
    private final long[] asPath;
    private final BgpServer speaker;
    private final Map<String, Map<Prefix, Learned>> learned = new ConcurrentHashMap<>();
    private volatile boolean announcing = true;

    private SimulatedNva(String name, Inet4Address address, long asn, Prefix announces, int prepends) {
        this.name = name;
        this.address = address;
        this.asn = asn;
        this.announces = announces;
        this.asPath = new long[1 + prepends];
        Arrays.fill(asPath, asn);
        long bgpIdentifier = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(address.getAddress()).getInt());
        this.speaker = new BgpServer(new LocalSpeaker(asn, bgpIdentifier, RESTART_TIME),
                new InetSocketAddress(address, 0), this, THREADS);
    }

    /**
     * Starts it, calling every one of {@code nodes} (configured as {@link PeerConfig}s: name,
     * address, AS and BGP port) from {@code address}, the source the nodes know it by.
     */
    static SimulatedNva start(String name, Inet4Address address, long asn, Prefix announces, int prepends,
                              List<PeerConfig> nodes) throws InterruptedException {
        SimulatedNva nva = new SimulatedNva(name, address, asn, announces, prepends);
        nva.speaker.configure(nodes);
        try {
            nva.speaker.start();
        } catch (RuntimeException | InterruptedException e) {
            nva.speaker.close();
            throw e;
        }
        return nva;
    }

    String name() {
        return name;
    }

    Inet4Address address() {
        return address;
    }

    long asn() {
        return asn;
    }

    Prefix announces() {
        return announces;
    }

    /** The AS path it announces with, e.g. "65002 65002" when prepended once. */
    String asPath() {
        return PathAttribute.AsPath.sequence(asPath).toString();
    }

    /** Its session with {@code node} is Established. */
    boolean established(String node) {
        Peer p = speaker.peer(node);
        return p != null && p.state() == SessionState.ESTABLISHED;
    }

    /** Times its session with {@code node} went down since it started. */
    int flaps(String node) {
        Peer p = speaker.peer(node);
        return p == null ? 0 : p.flaps();
    }

    /** What {@code node} advertises to it now, by prefix. */
    Map<Prefix, Learned> learnedFrom(String node) {
        return new TreeMap<>(learned.getOrDefault(node, Map.of()));
    }

    /** Withdraws its prefix from every node (RFC 4271 4.3, Withdrawn Routes), as when its uplink fails. */
    void withdraw() {
        announcing = false;
        UpdateMessage withdrawal = new UpdateMessage(List.of(announces), List.of(), List.of());
        speaker.peers().forEach(p -> p.send(List.of(withdrawal)));
    }

    private UpdateMessage announcement() {
        return new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(asPath), new PathAttribute.NextHop(address)), List.of(announces));
    }

    /** Its route (unless withdrawn), then End-of-RIB (RFC 4724 2): it has nothing else to say. */
    private void sendTable(Peer peer) {
        peer.send(announcing ? List.of(announcement(), UpdateMessage.endOfRib(AddressFamily.IPV4_UNICAST))
                : List.of(UpdateMessage.endOfRib(AddressFamily.IPV4_UNICAST)));
    }

    @Override
    public void established(Peer peer, OpenMessage local, OpenMessage remote, Negotiated negotiated) {
        learned.put(peer.name(), new ConcurrentHashMap<>());
        sendTable(peer);
    }

    @Override
    public void update(Peer peer, UpdateMessage update) {
        Map<Prefix, Learned> from = learned.computeIfAbsent(peer.name(), n -> new ConcurrentHashMap<>());
        update.allWithdrawn().forEach(from::remove);
        String nextHop = update.attribute(PathAttribute.NextHop.class).map(h -> h.address().getHostAddress())
                .orElse("-");
        String path = update.attribute(PathAttribute.AsPath.class).map(PathAttribute.AsPath::toString).orElse("");
        for (Prefix p : update.nlri()) { // IPv4 unicast: the demo's routes are all IPv4
            from.put(p, new Learned(p, nextHop, path));
        }
    }

    @Override
    public void routeRefresh(Peer peer, RouteRefreshMessage request) {
        sendTable(peer);
    }

    @Override
    public void down(Peer peer, String reason, boolean notified) {
        learned.remove(peer.name());
    }

    @Override
    public void close() {
        speaker.close();
    }

    @Override
    public String toString() {
        return "NVA " + name + " (" + address.getHostAddress() + ")";
    }
}
