package io.cairn.node.rib;

import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.SessionListener;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.export.Advertisement;
import io.cairn.node.export.UpdatePacker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The route-server core as the speaker needs it: Adj-RIB-In per peer, the paths of every
 * prefix, and per-peer export (RFC 7947: transparent, never back to the source). All state is
 * owned by one thread; sessions hand it events. The RIB issue replaces the maps with compact
 * structures and adds ECMP; the behaviour stays.
 */
public final class RouteServer implements SessionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouteServer.class);

    private final long localAsn;
    private final List<Prefix> vnetPrefixes;
    private final InetAddress vnetNextHop;
    private final InetAddress vnetNextHopV6;
    private final ScheduledExecutorService thread;
    private final DecisionProcess decision;
    private final LocRib locRib;
    private final List<LocRib.Listener> locRibListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean flushPending;
    private final Map<Peer, Map<Prefix, Path>> adjRibIn = new HashMap<>();
    private final Map<Prefix, Map<PathSource, Path>> paths = new TreeMap<>();
    private final Map<Peer, PeerSession> sessions = new HashMap<>();
    /** Every peer that ever came up, by name: export needs their config while their paths are stale. */
    private final Map<String, Peer> peersByName = new HashMap<>();
    private final Map<Peer, StaleRoutes> stale = new HashMap<>();

    /**
     * Paths kept after a peer's session dropped (RFC 4724 4.2), until it comes back and sends
     * End-of-RIB for the family, or the timer runs out.
     */
    private static final class StaleRoutes {
        final Set<Prefix> prefixes = new TreeSet<>();
        ScheduledFuture<?> timer;
    }

    /** An established peer as export sees it. */
    private record PeerSession(Peer peer, PathSource source, OpenMessage remoteOpen, Negotiated negotiated,
                               InetAddress localAddress, boolean enhancedRefresh, UpdatePacker packer, Map<Prefix, Advertisement> adjRibOut) {
    }

    private record Group(AddressFamily family, List<PathAttribute> attributes, InetAddress nextHop) {
    }

    public RouteServer(long localAsn, VnetConfig vnet, DecisionProcess decision) {
        this.localAsn = localAsn;
        this.vnetPrefixes = vnet.prefixes();
        this.vnetNextHop = vnet.nextHop();
        this.vnetNextHopV6 = vnet.nextHopV6();
        this.decision = decision;
        this.locRib = new LocRib(decision, vnetPrefixes);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rib");
            t.setDaemon(true);
            return t;
        });
        thread.execute(() -> {
            for (Prefix p : this.vnetPrefixes) {
                paths.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(PathSource.LOCAL, localPath(p));
            }
        });
    }

    private Path localPath(Prefix p) {
        return new Path(PathSource.LOCAL, p, null, List.of(
                new PathAttribute.Origin(PathAttribute.Origin.IGP), PathAttribute.AsPath.sequence(localAsn)));
    }

    // ---- session events (peer event loops) ----

    @Override
    public void established(Peer peer, OpenMessage local, OpenMessage remote, Negotiated negotiated) {
        InetAddress localAddress = peer.localAddress();
        thread.execute(() -> {
            PathSource source = new PathSource(peer.name(), peer.address(), remote.autonomousSystem(),
                    remote.bgpIdentifier(), negotiated.externalPeer());
            PeerSession s = new PeerSession(peer, source, remote, negotiated, localAddress,
                    remote.has(Capability.EnhancedRouteRefresh.class), new UpdatePacker(negotiated), new HashMap<>());
            sessions.put(peer, s);
            peersByName.put(peer.name(), peer);
            adjRibIn.computeIfAbsent(peer, k -> new HashMap<>());
            restarted(peer, remote);
            exportTo(s, paths.keySet());
            for (AddressFamily f : families(s)) {
                peer.send(List.of(UpdateMessage.endOfRib(f)));
            }
        });
    }

    @Override
    public void update(Peer peer, UpdateMessage update) {
        thread.execute(() -> {
            PeerSession s = sessions.get(peer);
            if (s == null) {
                return; // the session went down while this UPDATE was queued
            }
            Optional<AddressFamily> endOfRib = update.endOfRibFamily();
            if (endOfRib.isPresent()) {
                purgeStale(peer, endOfRib.get(), "End-of-RIB");
                return;
            }
            Set<Prefix> changed = new TreeSet<>();
            StaleRoutes st = stale.get(peer);
            if (st != null) {
                st.prefixes.removeAll(update.allAnnounced()); // refreshed: no longer stale
            }
            for (Prefix p : update.allWithdrawn()) {
                if (removePath(peer, p)) {
                    changed.add(p);
                }
            }
            List<Prefix> announced = update.allAnnounced();
            if (!announced.isEmpty()) {
                // Each NLRI field has one next hop: look it up once per UPDATE, not per prefix.
                List<PathAttribute> attributes = learnedAttributes(update);
                InetAddress classic = update.attribute(PathAttribute.NextHop.class)
                        .map(PathAttribute.NextHop::address).orElse(null);
                for (Prefix p : update.nlri()) {
                    learn(s, new Path(s.source(), p, classic, attributes), changed);
                }
                Optional<PathAttribute.MpReachNlri> mp = update.attribute(PathAttribute.MpReachNlri.class);
                if (mp.isPresent()) {
                    InetAddress nextHop = mp.get().nextHops().isEmpty() ? null : mp.get().nextHops().get(0);
                    for (Prefix p : mp.get().nlri()) {
                        learn(s, new Path(s.source(), p, nextHop, attributes), changed);
                    }
                }
            }
            exportChanged(changed);
            enforceMaxPrefixes(s, announced);
        });
    }

    private void learn(PeerSession s, Path path, Set<Prefix> changed) {
        Prefix p = path.prefix();
        changed.add(p);
        if (isLoop(path)) {
            // Our own AS in the path: the route has been through us already (RFC 4271 9.1.2).
            removePath(s.peer(), p);
            return;
        }
        adjRibIn.get(s.peer()).put(p, path);
        paths.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(s.source(), path);
    }

    /**
     * Counts the Adj-RIB-In after the UPDATE is applied: over the limit, the session closes with
     * Cease / Maximum Number of Prefixes Reached (RFC 4486 4: data AFI, SAFI, upper bound) and
     * stays down for the peer's max-prefix-restart time. A warning comes first, at 90 %.
     */
    private void enforceMaxPrefixes(PeerSession s, List<Prefix> announced) {
        Peer peer = s.peer();
        int limit = peer.config().maxPrefixes();
        int count = adjRibIn.get(peer).size();
        int warnAt = limit - limit / 10;
        if (count > limit) {
            AddressFamily family = announced.isEmpty() ? AddressFamily.IPV4_UNICAST : announced.get(0).family();
            byte[] data = {(byte) (family.afi() >> 8), (byte) family.afi(), (byte) family.safi(),
                (byte) (limit >>> 24), (byte) (limit >>> 16), (byte) (limit >>> 8), (byte) limit};
            log.warn("{}: {} prefixes exceed the limit of {}; closing for {} s", peer, count, limit,
                    peer.config().maxPrefixRestart());
            peer.shutDownFor(new NotificationMessage(NotificationCode.CEASE,
                    NotificationCode.CEASE_MAXIMUM_PREFIXES_REACHED, data),
                    Duration.ofSeconds(peer.config().maxPrefixRestart()));
        } else if (count >= warnAt && count - announced.size() < warnAt) {
            log.warn("{}: {} prefixes, {} % of the limit of {}", peer, count, count * 100L / limit, limit);
        }
    }

    @Override
    public void routeRefresh(Peer peer, RouteRefreshMessage request) {
        thread.execute(() -> {
            PeerSession s = sessions.get(peer);
            if (s == null || request.subtype() != RouteRefreshMessage.NORMAL) {
                return; // BoRR/EoRR from the peer concern its own announcements, not ours
            }
            AddressFamily family = request.family();
            if (!s.negotiated().families().contains(family)) {
                return;
            }
            // RFC 7313 4: bracket the resent table with BoRR/EoRR when both sides support it.
            if (s.enhancedRefresh()) {
                peer.send(List.of(new RouteRefreshMessage(family, RouteRefreshMessage.BEGIN)));
            }
            resend(s, family);
        });
    }

    @Override
    public void down(Peer peer, String reason, boolean notified) {
        thread.execute(() -> {
            PeerSession s = sessions.remove(peer);
            Map<Prefix, Path> learned = adjRibIn.get(peer);
            if (s == null || learned == null) {
                return;
            }
            Optional<Capability.GracefulRestart> gr = s.remoteOpen().capability(Capability.GracefulRestart.class);
            if (notified || gr.isEmpty() || gr.get().restartTime() == 0 || gr.get().families().isEmpty()) {
                List<Prefix> gone = List.copyOf(learned.keySet());
                removeAll(peer, gone);
                StaleRoutes previous = stale.remove(peer);
                if (previous != null && previous.timer != null) {
                    previous.timer.cancel(false);
                }
                log.info("{}: {} learned prefixes withdrawn ({})", peer, gone.size(), reason);
                exportChanged(gone);
                return;
            }
            // RFC 4724 4.2: keep the paths of the families it preserves, stale, for its restart time.
            Set<AddressFamily> kept = new java.util.HashSet<>();
            gr.get().families().forEach(f -> kept.add(f.family()));
            List<Prefix> gone = learned.keySet().stream().filter(p -> !kept.contains(p.family())).toList();
            removeAll(peer, gone);
            StaleRoutes st = stale.computeIfAbsent(peer, k -> new StaleRoutes());
            st.prefixes.addAll(learned.keySet());
            restartStaleTimer(peer, st, gr.get().restartTime());
            log.info("{}: session down ({}); {} paths kept stale for {} s (graceful restart)", peer, reason,
                    st.prefixes.size(), gr.get().restartTime());
            exportChanged(gone);
        });
    }

    /** A peer came back: stale families it no longer preserves go now (RFC 4724 4.2), the rest await End-of-RIB. */
    private void restarted(Peer peer, OpenMessage remote) {
        StaleRoutes st = stale.get(peer);
        if (st == null) {
            return;
        }
        Optional<Capability.GracefulRestart> gr = remote.capability(Capability.GracefulRestart.class);
        for (AddressFamily f : List.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)) {
            boolean preserved = gr.isPresent() && gr.get().families().stream()
                    .anyMatch(x -> x.family().equals(f) && x.forwardingPreserved());
            if (!preserved) {
                purgeStale(peer, f, "restarted without preserving " + f);
            }
        }
        if (stale.containsKey(peer)) {
            // Bound the wait for End-of-RIB by the restart time again.
            restartStaleTimer(peer, st, gr.map(Capability.GracefulRestart::restartTime).orElse(0));
        }
    }

    private void restartStaleTimer(Peer peer, StaleRoutes st, int seconds) {
        if (st.timer != null) {
            st.timer.cancel(false);
        }
        st.timer = thread.schedule(() -> {
            purgeStale(peer, AddressFamily.IPV4_UNICAST, "restart time over");
            purgeStale(peer, AddressFamily.IPV6_UNICAST, "restart time over");
        }, seconds, TimeUnit.SECONDS);
    }

    /** Removes the paths of {@code family} still stale from {@code peer}. */
    private void purgeStale(Peer peer, AddressFamily family, String why) {
        StaleRoutes st = stale.get(peer);
        if (st == null) {
            return;
        }
        List<Prefix> gone = st.prefixes.stream().filter(p -> p.family().equals(family)).toList();
        gone.forEach(st.prefixes::remove);
        if (st.prefixes.isEmpty()) {
            if (st.timer != null) {
                st.timer.cancel(false);
            }
            stale.remove(peer);
        }
        if (!gone.isEmpty()) {
            removeAll(peer, gone);
            log.info("{}: {} stale {} paths removed ({})", peer, gone.size(), family, why);
            exportChanged(gone);
        }
    }

    /** Removes the peer's paths for {@code prefixes}, each under the source it was learned from. */
    private void removeAll(Peer peer, Collection<Prefix> prefixes) {
        Map<Prefix, Path> learned = adjRibIn.get(peer);
        for (Prefix p : prefixes) {
            Path old = learned.remove(p);
            if (old != null) {
                Map<PathSource, Path> forPrefix = paths.get(p);
                forPrefix.remove(old.source());
                if (forPrefix.isEmpty()) {
                    paths.remove(p);
                }
            }
        }
    }

    // ---- queries (any thread) ----

    /** The Adj-RIB-In of a peer, sorted by prefix; paths kept stale by graceful restart included. */
    public CompletableFuture<List<Path>> learned(String peerName) {
        return CompletableFuture.supplyAsync(() -> {
            Peer peer = peersByName.get(peerName);
            Map<Prefix, Path> in = peer == null ? null : adjRibIn.get(peer);
            return in == null ? List.<Path>of() : List.copyOf(new TreeMap<>(in).values());
        }, thread);
    }

    /** Prefixes of {@code peerName} kept stale by graceful restart, waiting for it to come back. */
    public CompletableFuture<Set<Prefix>> stale(String peerName) {
        return CompletableFuture.supplyAsync(() -> {
            StaleRoutes st = stale.get(peersByName.get(peerName));
            return st == null ? Set.<Prefix>of() : Set.copyOf(st.prefixes);
        }, thread);
    }

    /** The Adj-RIB-Out of a peer, sorted by prefix. */
    public CompletableFuture<Map<Prefix, Advertisement>> advertised(String peerName) {
        return CompletableFuture.supplyAsync(() -> sessions.values().stream()
                .filter(s -> s.peer().name().equals(peerName))
                .findFirst()
                .<Map<Prefix, Advertisement>>map(s -> new TreeMap<>(s.adjRibOut()))
                .orElse(Map.of()), thread);
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- import ----

    private boolean removePath(Peer peer, Prefix p) {
        boolean had = adjRibIn.get(peer).containsKey(p);
        removeAll(peer, List.of(p));
        return had;
    }

    private boolean isLoop(Path path) {
        return path.asPath().contains(localAsn);
    }

    /** The attributes a path keeps: all but the per-family ones, which are rebuilt on export. */
    private static List<PathAttribute> learnedAttributes(UpdateMessage update) {
        List<PathAttribute> kept = new ArrayList<>();
        for (PathAttribute a : update.attributes()) {
            if (!(a instanceof PathAttribute.NextHop || a instanceof PathAttribute.MpReachNlri
                    || a instanceof PathAttribute.MpUnreachNlri)) {
                kept.add(a);
            }
        }
        return kept;
    }

    // ---- export ----

    private void exportChanged(Collection<Prefix> changed) {
        if (changed.isEmpty()) {
            return;
        }
        for (Prefix p : changed) {
            Map<PathSource, Path> forPrefix = paths.get(p);
            locRib.update(p, forPrefix == null ? null : forPrefix.values());
        }
        scheduleLocRibFlush();
        for (PeerSession s : sessions.values()) {
            exportTo(s, changed);
        }
    }

    /**
     * Loc-RIB changes go out once the work queued so far is done, so a burst of UPDATEs (or a
     * flap) becomes one batch of net changes.
     */
    private void scheduleLocRibFlush() {
        if (flushPending) {
            return;
        }
        flushPending = true;
        thread.execute(() -> {
            flushPending = false;
            Map<Prefix, Set<InetAddress>> changes = locRib.drain();
            if (!changes.isEmpty()) {
                for (LocRib.Listener l : locRibListeners) {
                    l.changed(changes);
                }
            }
        });
    }

    /** Registers a listener for Loc-RIB changes; called on the RIB thread, it must not block. */
    public void addLocRibListener(LocRib.Listener listener) {
        locRibListeners.add(listener);
    }

    /** The Loc-RIB: best path and ECMP set of every prefix. */
    public CompletableFuture<Map<Prefix, DecisionProcess.Selection>> best() {
        return CompletableFuture.supplyAsync(locRib::selections, thread);
    }

    /** Brings the peer's Adj-RIB-Out for {@code prefixes} in line with the paths, sending the difference. */
    private void exportTo(PeerSession s, Collection<Prefix> prefixes) {
        Map<Group, List<Prefix>> announce = new LinkedHashMap<>();
        Map<AddressFamily, List<Prefix>> withdraw = new LinkedHashMap<>();
        for (Prefix p : prefixes) {
            Advertisement wanted = exportFor(s, p);
            Advertisement had = wanted == null ? s.adjRibOut().remove(p) : s.adjRibOut().put(p, wanted);
            if (wanted == null && had != null) {
                withdraw.computeIfAbsent(p.family(), f -> new ArrayList<>()).add(p);
            } else if (wanted != null && !wanted.equals(had)) {
                announce.computeIfAbsent(new Group(p.family(), wanted.attributes(), wanted.nextHop()),
                        g -> new ArrayList<>()).add(p);
            }
        }
        send(s, announce, withdraw);
    }

    private void resend(PeerSession s, AddressFamily family) {
        Map<Group, List<Prefix>> announce = new LinkedHashMap<>();
        s.adjRibOut().forEach((p, a) -> {
            if (p.family().equals(family)) {
                announce.computeIfAbsent(new Group(family, a.attributes(), a.nextHop()), g -> new ArrayList<>()).add(p);
            }
        });
        send(s, announce, Map.of());
        if (s.enhancedRefresh()) {
            s.peer().send(List.of(new RouteRefreshMessage(family, RouteRefreshMessage.END)));
        }
    }

    private void send(PeerSession s, Map<Group, List<Prefix>> announce, Map<AddressFamily, List<Prefix>> withdraw) {
        List<UpdateMessage> out = new ArrayList<>();
        withdraw.forEach((family, list) -> out.addAll(s.packer().withdraw(family, list)));
        announce.forEach((g, list) -> out.addAll(s.packer().announce(g.family(), g.attributes(), g.nextHop(), list)));
        s.peer().send(out);
    }

    /** What peer {@code s} should have for {@code p}: the best exportable path, or null. */
    private Advertisement exportFor(PeerSession s, Prefix p) {
        if (!s.negotiated().families().contains(p.family())) {
            return null;
        }
        Map<PathSource, Path> candidates = paths.get(p);
        if (candidates == null) {
            return null;
        }
        List<Path> usable = new ArrayList<>(candidates.size());
        for (Path path : candidates.values()) {
            if (exportable(path, s)) {
                usable.add(path);
            }
        }
        DecisionProcess.Selection selection = decision.select(usable);
        Path best = selection == null ? null : selection.best();
        if (best == null) {
            return null;
        }
        InetAddress nextHop = !best.source().isLocal() ? best.nextHop() : localNextHop(p, s);
        nextHop = nextHopFor(p, nextHop);
        if (nextHop == null) {
            return null;
        }
        List<PathAttribute> attributes = new ArrayList<>(best.attributes());
        if (s.negotiated().externalPeer()) {
            attributes.removeIf(a -> a instanceof PathAttribute.LocalPref); // RFC 4271 5.1.5
        }
        return new Advertisement(attributes, nextHop);
    }

    /** Next hop of a VNet prefix towards {@code s}: configured per family, else the session's own address. */
    private InetAddress localNextHop(Prefix p, PeerSession s) {
        if (!p.isIpv4() && vnetNextHopV6 != null) {
            return vnetNextHopV6;
        }
        return vnetNextHop != null ? vnetNextHop : s.localAddress();
    }

    private boolean exportable(Path path, PeerSession target) {
        if (path.source().isLocal()) {
            return true;
        }
        if (path.source().equals(target.source())) {
            return false; // RFC 7947 2.2: never back to where it came from
        }
        Peer from = peersByName.get(path.source().name());
        if (from == null || !from.config().reflect() || !target.peer().config().reflect()) {
            return false;
        }
        // RFC 1997: NO_ADVERTISE to no one, NO_EXPORT to no other AS (every NVA is one).
        if (path.hasCommunity(PathAttribute.Communities.NO_ADVERTISE)
                || target.negotiated().externalPeer() && path.hasCommunity(PathAttribute.Communities.NO_EXPORT)) {
            return false;
        }
        // The target would drop a path holding its own AS (RFC 4271 9.1.2); do not send it.
        return !path.asPath().contains(target.source().asn());
    }

    /** The next hop in the prefix's family: IPv4-mapped IPv6 for an IPv6 prefix over IPv4; none for IPv4 over IPv6. */
    private static InetAddress nextHopFor(Prefix p, InetAddress nextHop) {
        if (nextHop == null) {
            return null;
        }
        if (p.isIpv4()) {
            return nextHop instanceof Inet4Address ? nextHop : null;
        }
        if (nextHop instanceof Inet6Address) {
            return nextHop;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(nextHop.getAddress(), 0, mapped, 12, 4);
        try {
            return Inet6Address.getByAddress(null, mapped, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<AddressFamily> families(PeerSession s) {
        return s.negotiated().families().stream().filter(AddressFamily::isUnicastIp).sorted(
                (a, b) -> Integer.compare(a.afi(), b.afi())).toList();
    }
}
