package io.cairn.node.warmup;

import io.cairn.node.bgp.session.BgpServer;
import io.cairn.node.bgp.session.LocalSpeaker;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.SessionListener;
import io.cairn.node.bgp.session.SessionState;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.PeerConfig;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated NVA of the warm-up, built from Cairn's own speaker: it calls the throwaway node,
 * sends what it is told to, and keeps which of the warm-up's marker prefixes the node has
 * reflected to it (the rest of what it receives is decoded and dropped).
 */
final class WarmUpNva implements SessionListener, AutoCloseable {

    private final Inet4Address address;
    private final long asn;
    private final BgpServer speaker;
    private final Set<Prefix> markers = ConcurrentHashMap.newKeySet();
    private final PeerConfig node;

    WarmUpNva(Inet4Address address, long asn, PeerConfig node) throws InterruptedException {
        this.address = address;
        this.asn = asn;
        this.node = node;
        long bgpIdentifier = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(address.getAddress()).getInt());
        this.speaker = new BgpServer(new LocalSpeaker(asn, bgpIdentifier, 0), new InetSocketAddress(address, 0), this, 1);
        speaker.configure(List.of(node));
        try {
            speaker.start();
        } catch (RuntimeException | InterruptedException e) {
            speaker.close();
            throw e;
        }
    }

    Inet4Address address() {
        return address;
    }

    long asn() {
        return asn;
    }

    boolean established() {
        return !speaker.peers().isEmpty() && speaker.peers().stream().allMatch(p -> p.state() == SessionState.ESTABLISHED);
    }

    /** Drops the session with a Cease, as an NVA that restarts; {@link #reconnect} calls again. */
    void hangUp() {
        for (Peer p : speaker.peers()) {
            speaker.removePeer(p);
        }
        markers.clear();
    }

    /** Calls the node again once the node has seen the old session go (no collision with it). */
    void reconnect() {
        speaker.addPeer(node);
    }

    void send(List<UpdateMessage> updates) {
        speaker.peers().forEach(p -> p.send(updates));
    }

    /** Whether the node has advertised the marker prefix {@code p} to this NVA. */
    boolean heard(Prefix p) {
        return markers.contains(p);
    }

    @Override
    public void established(Peer peer, OpenMessage local, OpenMessage remote, Negotiated negotiated) {
    }

    @Override
    public void update(Peer peer, UpdateMessage update) {
        for (Prefix p : update.allWithdrawn()) {
            if (WarmUp.isMarker(p)) {
                markers.remove(p);
            }
        }
        for (Prefix p : update.nlri()) {
            if (WarmUp.isMarker(p)) {
                markers.add(p);
            }
        }
    }

    @Override
    public void routeRefresh(Peer peer, RouteRefreshMessage request) {
    }

    @Override
    public void down(Peer peer, String reason, boolean notified) {
    }

    @Override
    public void close() {
        speaker.close();
    }
}
