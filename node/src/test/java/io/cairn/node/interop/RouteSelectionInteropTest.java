package io.cairn.node.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.CairnNode;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.SessionState;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.PeerConfig;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.export.Advertisement;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.Path;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The route-server core (issue 4) against real routers: ECMP and AS-path prepending between two
 * BIRD NVAs with what a third router (GoBGP) receives checked on its own CLI (RFC 7947), the
 * import rules of DESIGN.md, the graceful-restart helper (RFC 4724) with a BIRD that crashes
 * (SIGKILL) and comes back, and max-prefixes (RFC 4486) with a BIRD that sends too many.
 *
 * <p>Every test builds its own {@link Rig} in 127.0.{@value #BLOCK}.0/24: Cairn (AS
 * {@value #CAIRN_AS}, VNet {@value #VNET}) at {@code .base}, its neighbors at {@code .base+1},
 * {@code .base+2}, ... Cairn connects to every neighbor (they only listen), so a restarted router
 * is called again by Cairn's 1 s retry. Next hops are in 192.0.2.0/24: GoBGP drops 127/8 ones.
 * Every wait is bounded; every process is stopped even on failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouteSelectionInteropTest {

    static final int BLOCK = 61;
    static final long CAIRN_AS = 65515;
    static final long A_AS = 65001;
    static final long B_AS = 65002;
    static final long C_AS = 65003;
    static final String VNET = "10.1.0.0/16";
    static final String VNET_NEXT_HOP = "192.0.2.254";
    static final String NH_A = "192.0.2.1";
    static final String NH_B = "192.0.2.2";
    static final String NO_ADVERTISE = "65535:65282";

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);
    static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a route that must not arrive is watched for, after everything sent with or after it arrived. */
    static final Duration NEVER = Duration.ofSeconds(1);

    private final List<Rig> rigs = new ArrayList<>();

    @AfterEach
    void stopRigs() {
        rigs.forEach(Rig::close);
        rigs.clear();
    }

    // ---- 1. ECMP, prepending, and what a third router gets ------------------------------------

    @Test
    void equalPathsShareLoadPrependMakesOnePassiveAndThirdPeerSeesTransparentRoutes() {
        Rig rig = start(10, bird("a", A_AS), bird("b", B_AS), gobgp("c", C_AS));
        String p = "10.250.0.0/16";
        Route fromA = Route.of(p, NH_A).withMed(10).withCommunities("65001:10");
        Route fromB = Route.of(p, NH_B).withMed(20).withCommunities("65002:20");
        rig.daemon("a").announce(fromA);
        rig.daemon("b").announce(fromB);

        // Equal AS-path length from two neighbouring ASes: both in the ECMP set; the MEDs differ but
        // are not compared across neighbouring ASes (RFC 4271 9.1.2.2 c).
        rig.awaitSdn(p, Set.of(ip(NH_A), ip(NH_B)));
        DecisionProcess.Selection s = rig.best().get(Prefix.parse(p));
        assertEquals(2, s.ecmp().size(), "ECMP set " + s.ecmp());
        assertEquals("a", s.best().source().name(), "best: lowest BGP identifier (9.1.2.2 f)");
        int settled = rig.events(p).size();
        // The third peer gets one path, the best, exactly as A sent it (RFC 7947 2.2.2, 2.2.3).
        assertTransparent(rig, "c", fromA, A_AS);

        // Prepend on A: B alone.
        rig.daemon("a").announce(fromA.withAsPath(A_AS, A_AS));
        rig.awaitSdn(p, Set.of(ip(NH_B)));
        assertEquals(List.of("b"), rig.best().get(Prefix.parse(p)).ecmp().stream()
                .map(x -> x.source().name()).toList(), "ECMP set after the prepend");
        assertTransparent(rig, "c", fromB, B_AS);

        // Prepend gone: both again, and A's path is the best again.
        rig.daemon("a").announce(fromA);
        rig.awaitSdn(p, Set.of(ip(NH_A), ip(NH_B)));
        assertTransparent(rig, "c", fromA, A_AS);

        // One event per net change: nothing in between (no flap through "gone").
        List<Set<InetAddress>> all = rig.events(p);
        List<Set<InetAddress>> after = all.subList(settled, all.size());
        assertEquals(List.of(Set.of(ip(NH_B)), Set.of(ip(NH_A), ip(NH_B))), after, "Loc-RIB events for " + p);

        // Each NVA gets the other's path for the shared prefix, never its own.
        assertEquals(ip(NH_B), rig.advertised("a").get(Prefix.parse(p)).nextHop(), "to A");
        assertEquals(ip(NH_A), rig.advertised("b").get(Prefix.parse(p)).nextHop(), "to B");
        rig.awaitRoute("a", p, "from B", r -> r.asPath().equals(List.of(B_AS)) && NH_B.equals(r.nextHop()));
    }

    /** {@code target}'s own CLI shows {@code sent} from Cairn exactly as {@code senderAs} announced it. */
    private static void assertTransparent(Rig rig, String target, Route sent, long senderAs) {
        List<Long> path = new ArrayList<>();
        path.add(senderAs);
        path.addAll(sent.asPath());
        LearnedRoute got = rig.awaitRoute(target, sent.prefix(), "with AS_PATH " + path + " via " + sent.nextHop(),
                r -> r.asPath().equals(path) && sent.nextHop().equals(r.nextHop()));
        assertFalse(got.asPath().contains(CAIRN_AS), "route server AS in the path: " + got);
        assertEquals(sent.med(), got.med(), "MED unchanged: " + got);
        assertEquals(sent.communities(), got.communities(), "communities unchanged: " + got);
        assertEquals(rig.cairnAddress, got.fromNeighbor());
        assertEquals(1, rig.daemon(target).routes().stream().filter(r -> r.prefix().equals(sent.prefix())).count(),
                "one path per prefix from a route server without ADD-PATH");
    }

    // ---- 2. import rules -----------------------------------------------------------------------

    @Test
    void importRulesNoAdvertiseOwnAsVnetOverlapNoEcho() {
        Rig rig = start(20, bird("a", A_AS), bird("b", B_AS), gobgp("c", C_AS));
        String noAdvertise = "10.251.0.0/16";
        String loop = "10.252.0.0/16";
        String onlyA = "10.253.0.0/16";
        String inVnet = "10.1.2.0/24";
        String onlyB = "10.254.0.0/16";
        String loopFromStart = "10.255.0.0/16";
        RouterDaemon a = rig.daemon("a");
        a.announce(Route.of(loopFromStart, NH_A).withAsPath(64900L, CAIRN_AS));
        a.announce(Route.of(noAdvertise, NH_A).withCommunities(NO_ADVERTISE));
        a.announce(Route.of(loop, NH_A));
        a.announce(Route.of(onlyA, NH_A));
        a.announce(Route.of(inVnet, NH_A));
        rig.daemon("b").announce(Route.of(onlyB, NH_B));

        rig.awaitLearned("a", noAdvertise, loop, onlyA, inVnet);
        rig.awaitLearned("b", onlyB);
        // awaitLearned ends after the Loc-RIB batch of these UPDATEs went out, so the listener has
        // already seen whatever it will ever see of them.
        assertEquals(Set.of(ip(NH_A)), rig.sdn(onlyA));
        assertEquals(Set.of(ip(NH_A)), rig.sdn(noAdvertise), "NO_ADVERTISE still counts for forwarding");
        assertTrue(rig.events(inVnet).isEmpty(), "a prefix inside the VNet reached the SDN side: " + rig.events(inVnet));
        assertTrue(rig.best().containsKey(Prefix.parse(inVnet)), "VNet-overlapping prefix still selected");

        // NO_ADVERTISE (RFC 1997): sent to no peer.
        rig.awaitRoute("c", onlyA, "", r -> true);
        rig.awaitRoute("c", loop, "", r -> true);
        rig.awaitRoute("b", onlyA, "", r -> true);
        for (String peer : List.of("b", "c")) {
            assertFalse(rig.advertised(peer).containsKey(Prefix.parse(noAdvertise)), "NO_ADVERTISE route to " + peer);
        }
        rig.awaitNever("c", noAdvertise);
        rig.awaitNever("b", noAdvertise);

        // No echo: nothing of A's goes back to A, nothing of B's back to B.
        Set<Prefix> toA = rig.advertised("a").keySet();
        assertEquals(Set.of(Prefix.parse(VNET), Prefix.parse(onlyB)), toA, "Adj-RIB-Out towards A");
        assertFalse(rig.advertised("b").containsKey(Prefix.parse(onlyB)), "B's own prefix advertised back to B");
        for (String own : List.of(noAdvertise, loop, onlyA, inVnet)) {
            assertTrue(rig.daemon("a").routes().stream().noneMatch(r -> r.prefix().equals(own)),
                    "A learned its own " + own + " back: " + rig.daemon("a").routes());
        }

        // Own AS in the path: dropped. A path that arrives with it never enters the Adj-RIB-In ...
        assertFalse(rig.isLearned("a", loopFromStart), "path with AS " + CAIRN_AS + " learned");
        assertTrue(rig.events(loopFromStart).isEmpty(), "looped path reached the Loc-RIB");
        // ... and one that replaces a good path (implicit withdraw, RFC 4271 3.1) removes it everywhere.
        a.announce(Route.of(loop, NH_A).withAsPath(64901L, CAIRN_AS, 64902L));
        rig.awaitNotLearned("a", loop);
        rig.awaitSdn(loop, Set.of());
        rig.daemon("c").awaitNoRoute(loop, ROUTE_TIMEOUT);
        rig.daemon("b").awaitNoRoute(loop, ROUTE_TIMEOUT);
        assertFalse(rig.isLearned("a", loopFromStart));
        assertTrue(rig.daemon("c").routes().stream().noneMatch(r -> r.prefix().equals(loopFromStart)));
    }

    @Test
    void reflectionOffKeepsTwoNvasApartButBothGetTheVnet() {
        Rig rig = start(30, bird("a", A_AS).reflect(false), bird("b", B_AS));
        String fromA = "10.241.0.0/16";
        String fromB = "10.242.0.0/16";
        rig.daemon("a").announce(Route.of(fromA, NH_A));
        rig.daemon("b").announce(Route.of(fromB, NH_B));

        rig.awaitLearned("a", fromA);
        rig.awaitLearned("b", fromB);
        // Reflection only concerns export: both paths are in the Loc-RIB for the SDN.
        assertEquals(Set.of(ip(NH_A)), rig.sdn(fromA));
        assertEquals(Set.of(ip(NH_B)), rig.sdn(fromB));

        LearnedRoute vnetAtA = rig.awaitRoute("a", VNET, "", r -> true);
        assertEquals(List.of(CAIRN_AS), vnetAtA.asPath());
        assertEquals(VNET_NEXT_HOP, vnetAtA.nextHop());
        rig.awaitRoute("b", VNET, "", r -> true);
        assertEquals(Set.of(Prefix.parse(VNET)), rig.advertised("a").keySet(), "Adj-RIB-Out towards A");
        assertEquals(Set.of(Prefix.parse(VNET)), rig.advertised("b").keySet(), "Adj-RIB-Out towards B");
        rig.awaitNever("a", fromB);
        rig.awaitNever("b", fromA);
    }

    // ---- 3. graceful restart helper ------------------------------------------------------------

    static final int RESTART_TIME = 5;

    @Test
    void crashedGracefulRestartPeerKeepsItsPathsForTheRestartTimeThenLosesThem() {
        Rig rig = start(40, bird("a", A_AS).gracefulRestart(RESTART_TIME), gobgp("c", C_AS));
        String p = "10.243.0.0/16";
        rig.daemon("a").announce(Route.of(p, NH_A));
        rig.awaitSdn(p, Set.of(ip(NH_A)));
        rig.awaitRoute("c", p, "", r -> true);
        Capability.GracefulRestart gr = rig.peer("a").remoteOpen().capability(Capability.GracefulRestart.class)
                .orElseThrow(() -> new AssertionError("BIRD did not advertise graceful restart"));
        assertEquals(RESTART_TIME, gr.restartTime(), "BIRD's restart time");

        long killed = System.nanoTime();
        rig.daemon("a").kill();
        Await.until("Cairn saw the session with A drop", SESSION_TIMEOUT,
                () -> rig.peer("a").state() != SessionState.ESTABLISHED);
        // Stale but kept: in the Loc-RIB and at C until the restart time is nearly over.
        Duration keep = Duration.ofMillis(RESTART_TIME * 1000L - 1000).minusNanos(System.nanoTime() - killed);
        Await.never(p + " gone from the Loc-RIB or from Cairn's Adj-RIB-Out to C during the restart time", keep,
                () -> !rig.sdn(p).equals(Set.of(ip(NH_A))) || !rig.advertised("c").containsKey(Prefix.parse(p)));
        assertTrue(rig.daemon("c").routes().stream().anyMatch(r -> r.prefix().equals(p)), "C lost " + p + " early");

        // Then gone, everywhere, not before the restart time.
        rig.awaitSdn(p, Set.of());
        long goneAfterMillis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(goneAfterMillis >= RESTART_TIME * 1000L, "stale path removed after only " + goneAfterMillis + " ms");
        assertTrue(goneAfterMillis < RESTART_TIME * 1000L + 3000, "stale path kept " + goneAfterMillis + " ms");
        rig.daemon("c").awaitNoRoute(p, ROUTE_TIMEOUT);
        assertEquals(List.of(Set.of(ip(NH_A)), Set.of()), rig.events(p), "Loc-RIB events for " + p);
    }

    /**
     * Long enough that End-of-RIB and the timer cannot be confused: a restarting BIRD holds its
     * routes until its own recovery is over, which took 3 to 5 s on a loaded CI machine.
     */
    static final int BACK_IN_TIME_RESTART = 15;

    @Test
    void gracefulRestartPeerBackInTimeRefreshesItsPathsAndEndOfRibRemovesTheRest() throws Exception {
        Rig rig = start(50, bird("a", A_AS).gracefulRestart(BACK_IN_TIME_RESTART), gobgp("c", C_AS));
        String kept = "10.244.0.0/16";
        String dropped = "10.245.0.0/16";
        RouterDaemon a = rig.daemon("a");
        a.announce(Route.of(kept, NH_A));
        a.announce(Route.of(dropped, NH_A));
        rig.awaitSdn(kept, Set.of(ip(NH_A)));
        rig.awaitSdn(dropped, Set.of(ip(NH_A)));
        rig.awaitRoute("c", kept, "", r -> true);
        rig.awaitRoute("c", dropped, "", r -> true);

        // Watch 'kept' from the crash until well past the restart time: it must never go, at
        // Cairn's Loc-RIB, in Cairn's Adj-RIB-Out towards C, or at C itself.
        List<String> lost = new CopyOnWriteArrayList<>();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        try {
            long killed = System.nanoTime();
            watch.scheduleWithFixedDelay(() -> {
                try {
                    if (!rig.sdn(kept).equals(Set.of(ip(NH_A)))) {
                        lost.add("Loc-RIB " + rig.sdn(kept));
                    }
                    if (!rig.advertised("c").containsKey(Prefix.parse(kept))) {
                        lost.add("Adj-RIB-Out to C");
                    }
                    if (rig.daemon("c").routes().stream().noneMatch(r -> r.prefix().equals(kept))) {
                        lost.add("C's table");
                    }
                } catch (RuntimeException | AssertionError e) {
                    lost.add("watch failed: " + e);
                }
            }, 0, 50, TimeUnit.MILLISECONDS);

            a.kill();
            a.withdraw(dropped); // the restarted BIRD will not announce it again
            a.restart();
            rig.awaitEstablished("a");
            long backAfterMillis = (System.nanoTime() - killed) / 1_000_000;
            Capability.GracefulRestart gr = rig.peer("a").remoteOpen().capability(Capability.GracefulRestart.class)
                    .orElseThrow();
            assertTrue(gr.restarting(), "restart state bit of the restarted BIRD: " + gr);
            assertTrue(gr.families().stream().anyMatch(f -> f.family().equals(AddressFamily.IPV4_UNICAST)
                    && f.forwardingPreserved()), "forwarding state bit for IPv4: " + gr);

            // End-of-RIB: what it did not announce again goes now, long before the restart time.
            rig.awaitSdn(dropped, Set.of());
            long droppedAfterMillis = (System.nanoTime() - killed) / 1_000_000;
            // (the stale timer, re-armed with the restart time when the session came back, would take that long)
            assertTrue(droppedAfterMillis - backAfterMillis < BACK_IN_TIME_RESTART * 1000L / 2, "stale " + dropped
                    + " removed only " + (droppedAfterMillis - backAfterMillis) + " ms after the session came back: by the timer?");
            rig.daemon("c").awaitNoRoute(dropped, ROUTE_TIMEOUT);

            // Past the restart time (from the crash and from the new session): 'kept' is fresh, no timer removes it.
            long until = killed + TimeUnit.MILLISECONDS.toNanos(backAfterMillis + BACK_IN_TIME_RESTART * 1000L + 700);
            Await.never(kept + " removed after the restart", Duration.ofNanos(Math.max(0, until - System.nanoTime())),
                    () -> !rig.sdn(kept).equals(Set.of(ip(NH_A))));
        } finally {
            watch.shutdown(); // lets a running check finish: an interrupted CLI call would count as a loss
            if (!watch.awaitTermination(10, TimeUnit.SECONDS)) {
                watch.shutdownNow();
                System.err.println("interop: the watch of " + kept + " did not stop");
            }
        }
        assertEquals(List.of(), lost, kept + " lost during the restart");
        assertTrue(rig.isLearned("a", kept));
        assertEquals(List.of(Set.of(ip(NH_A))), rig.events(kept), "Loc-RIB events for " + kept);
        assertEquals(List.of(Set.of(ip(NH_A)), Set.of()), rig.events(dropped), "Loc-RIB events for " + dropped);
        LearnedRoute atC = rig.awaitRoute("c", kept, "", r -> true);
        assertEquals(List.of(A_AS), atC.asPath());
        assertEquals(NH_A, atC.nextHop());
    }

    // ---- 4. max-prefixes -----------------------------------------------------------------------

    static final int MAX_PREFIXES = 5;
    static final int MAX_PREFIX_RESTART = 3;

    @Test
    void tooManyPrefixesCloseTheSessionWithCeaseAndKeepItDownForTheRestartTime() {
        Rig rig = start(60, bird("a", A_AS).maxPrefixes(MAX_PREFIXES, MAX_PREFIX_RESTART));
        BirdDaemon a = (BirdDaemon) rig.daemon("a");
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i <= MAX_PREFIXES; i++) {
            prefixes.add("10.246." + i + ".0/24");
        }
        for (String p : prefixes.subList(0, MAX_PREFIXES)) {
            a.announce(Route.of(p, NH_A));
        }
        rig.awaitLearned("a", prefixes.subList(0, MAX_PREFIXES).toArray(String[]::new));
        assertEquals(SessionState.ESTABLISHED, rig.peer("a").state(), "closed at the limit, not above it");
        int flaps = rig.peer("a").flaps();

        a.announce(Route.of(prefixes.get(MAX_PREFIXES), NH_A));
        Await.until("Cairn closed the session with A", SESSION_TIMEOUT, () -> rig.peer("a").flaps() > flaps);
        long down = System.nanoTime();
        Await.until("BIRD reports Cease / Maximum number of prefixes reached", ROUTE_TIMEOUT,
                () -> a.lastError(rig.cairnAddress).contains("Received: Maximum number of prefixes reached"));
        // The paths of a peer closed with a NOTIFICATION go at once (no graceful restart).
        rig.awaitSdn(prefixes.get(0), Set.of());
        a.withdraw(prefixes.get(MAX_PREFIXES)); // so that it stays up when it comes back

        Duration holdDown = Duration.ofSeconds(MAX_PREFIX_RESTART);
        Await.never("session with A back during the hold-down",
                holdDown.minusMillis(200).minusNanos(System.nanoTime() - down),
                () -> rig.peer("a").state() == SessionState.ESTABLISHED || a.isEstablished(rig.cairnAddress));
        rig.awaitEstablished("a");
        long downMillis = (System.nanoTime() - down) / 1_000_000;
        assertTrue(downMillis >= holdDown.toMillis() - 50, "down only " + downMillis + " ms");
        rig.awaitLearned("a", prefixes.subList(0, MAX_PREFIXES).toArray(String[]::new));
        rig.awaitSdn(prefixes.get(0), Set.of(ip(NH_A)));
        assertEquals(flaps + 1, rig.peer("a").flaps(), "flaps");
    }

    // ---- the rig ---------------------------------------------------------------------------------

    /** One neighbor of Cairn as a test wants it. */
    record Nva(String name, long asn, Function<DaemonSpec, RouterDaemon> factory, boolean reflect,
            int maxPrefixes, int maxPrefixRestart, int gracefulRestart) {

        Nva reflect(boolean on) {
            return new Nva(name, asn, factory, on, maxPrefixes, maxPrefixRestart, gracefulRestart);
        }

        Nva maxPrefixes(int limit, int restartSeconds) {
            return new Nva(name, asn, factory, reflect, limit, restartSeconds, gracefulRestart);
        }

        Nva gracefulRestart(int restartSeconds) {
            return new Nva(name, asn, factory, reflect, maxPrefixes, maxPrefixRestart, restartSeconds);
        }
    }

    static Nva bird(String name, long asn) {
        return new Nva(name, asn, BirdDaemon::new, true, PeerConfig.DEFAULT_MAX_PREFIXES,
                PeerConfig.DEFAULT_MAX_PREFIX_RESTART, 0);
    }

    static Nva gobgp(String name, long asn) {
        return new Nva(name, asn, GobgpDaemon::new, true, PeerConfig.DEFAULT_MAX_PREFIXES,
                PeerConfig.DEFAULT_MAX_PREFIX_RESTART, 0);
    }

    /** Starts the neighbors (listening), then Cairn (connecting to them); waits for every session. */
    private Rig start(int base, Nva... nvas) {
        Rig rig = new Rig(base);
        rigs.add(rig);
        try {
            rig.start(List.of(nvas));
        } catch (RuntimeException | Error e) {
            rig.close();
            rigs.remove(rig);
            throw e;
        }
        return rig;
    }

    /** Cairn, its neighbors, and everything the Loc-RIB listener was told. */
    static final class Rig implements AutoCloseable {
        final String net = "127.0." + BLOCK + ".";
        final int base;
        final String cairnAddress;
        final Map<String, RouterDaemon> daemons = new LinkedHashMap<>();
        final Parts parts = new Parts();
        CairnNode cairn;
        /** What the SDN side would hold now: prefix to ECMP next hops. */
        final Map<Prefix, Set<InetAddress>> sdn = new ConcurrentHashMap<>();
        /** Every listener event, per prefix, in order. */
        final Map<Prefix, List<Set<InetAddress>>> events = new ConcurrentHashMap<>();

        Rig(int base) {
            this.base = base;
            this.cairnAddress = net + base;
        }

        void start(List<Nva> nvas) {
            int cairnPort = Tools.freePort(cairnAddress);
            List<PeerConfig> peers = new ArrayList<>();
            for (int i = 0; i < nvas.size(); i++) {
                Nva n = nvas.get(i);
                String address = net + (base + 1 + i);
                int port = Tools.freePort(address);
                DaemonSpec.Neighbor toCairn = DaemonSpec.Neighbor.passive(cairnAddress, cairnPort, CAIRN_AS)
                        .asRouteServer();
                if (n.gracefulRestart() > 0) {
                    toCairn = toCairn.withGracefulRestart(n.gracefulRestart());
                }
                RouterDaemon d = n.factory().apply(DaemonSpec.of(n.asn(), address, port, toCairn));
                parts.add(d);
                daemons.put(n.name(), d);
                peers.add(new PeerConfig(n.name(), ip(address), n.asn(), 90, null, n.maxPrefixes(), n.reflect(),
                        false, port, n.maxPrefixRestart()));
            }
            cairn = new CairnNode(CAIRN_AS, 0x0A3D0000L + base, new InetSocketAddress(ip(cairnAddress), cairnPort),
                    new VnetConfig(List.of(Prefix.parse(VNET)), ip(VNET_NEXT_HOP)), peers);
            parts.add(cairn);
            cairn.routeServer().addLocRibListener(changes -> changes.forEach((prefix, hops) -> {
                events.computeIfAbsent(prefix, k -> new CopyOnWriteArrayList<>()).add(Set.copyOf(hops));
                if (hops.isEmpty()) {
                    sdn.remove(prefix);
                } else {
                    sdn.put(prefix, Set.copyOf(hops));
                }
            }));
            try {
                cairn.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted starting Cairn", e);
            }
            daemons.keySet().forEach(this::awaitEstablished);
        }

        RouterDaemon daemon(String name) {
            RouterDaemon d = daemons.get(name);
            if (d == null) {
                throw new IllegalArgumentException("no daemon " + name);
            }
            return d;
        }

        Peer peer(String name) {
            return cairn.peers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }

        void awaitEstablished(String name) {
            Peer p = peer(name);
            Await.until("Cairn's session with " + name + " Established (state " + p.state() + ", last error '"
                    + p.lastError() + "')", SESSION_TIMEOUT, () -> p.state() == SessionState.ESTABLISHED);
            daemon(name).awaitEstablished(cairnAddress, SESSION_TIMEOUT);
        }

        Set<InetAddress> sdn(String prefix) {
            return sdn.getOrDefault(Prefix.parse(prefix), Set.of());
        }

        List<Set<InetAddress>> events(String prefix) {
            return List.copyOf(events.getOrDefault(Prefix.parse(prefix), List.of()));
        }

        void awaitSdn(String prefix, Set<InetAddress> hops) {
            Await.until("Loc-RIB listener: " + prefix + " -> " + hops, ROUTE_TIMEOUT, () -> sdn(prefix).equals(hops));
        }

        Map<Prefix, DecisionProcess.Selection> best() {
            return get(cairn.routeServer().best(), "best()");
        }

        Map<Prefix, Advertisement> advertised(String peer) {
            return get(cairn.routeServer().advertised(peer), "advertised(" + peer + ")");
        }

        List<Path> learned(String peer) {
            return get(cairn.routeServer().learned(peer), "learned(" + peer + ")");
        }

        boolean isLearned(String peer, String prefix) {
            Prefix p = Prefix.parse(prefix);
            return learned(peer).stream().anyMatch(x -> x.prefix().equals(p));
        }

        /**
         * Waits until the Adj-RIB-In of {@code peer} holds {@code prefixes}, and until the Loc-RIB
         * listener has been told what they changed: the UPDATE that brought them queued the
         * listener's batch on the RIB thread before learned() saw them, so one more task on that
         * thread runs after the batch.
         */
        void awaitLearned(String peer, String... prefixes) {
            Set<Prefix> wanted = java.util.Arrays.stream(prefixes).map(Prefix::parse).collect(Collectors.toSet());
            Await.until("Cairn learned " + wanted + " from " + peer, ROUTE_TIMEOUT,
                    () -> learned(peer).stream().map(Path::prefix).collect(Collectors.toSet()).containsAll(wanted));
            best();
        }

        void awaitNotLearned(String peer, String prefix) {
            Await.until("Cairn no longer has " + prefix + " from " + peer, ROUTE_TIMEOUT, () -> !isLearned(peer, prefix));
        }

        /** Waits until {@code name}'s CLI shows {@code prefix} from Cairn, matching {@code ok}. */
        LearnedRoute awaitRoute(String name, String prefix, String what, Predicate<LearnedRoute> ok) {
            RouterDaemon d = daemon(name);
            LearnedRoute[] found = new LearnedRoute[1];
            List<LearnedRoute> last = new ArrayList<>();
            try {
                Await.until(d.name() + " " + name + " has " + prefix + " " + what, ROUTE_TIMEOUT, () -> {
                    last.clear();
                    d.routes().stream().filter(r -> r.prefix().equals(prefix)).forEach(last::add);
                    found[0] = last.stream().filter(r -> cairnAddress.equals(r.fromNeighbor()) && ok.test(r))
                            .findFirst().orElse(null);
                    return found[0] != null;
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; last seen " + last + "\n" + d.logTail(), e);
            }
            return found[0];
        }

        /** {@code name} does not get {@code prefix} for a while (call after later routes arrived). */
        void awaitNever(String name, String prefix) {
            RouterDaemon d = daemon(name);
            Await.never(d.name() + " " + name + " got " + prefix, NEVER,
                    () -> d.routes().stream().anyMatch(r -> r.prefix().equals(prefix)));
        }

        private static <T> T get(java.util.concurrent.CompletableFuture<T> f, String what) {
            try {
                return f.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("Cairn's " + what + " failed", e);
            }
        }

        @Override
        public void close() {
            parts.close();
        }
    }

    static InetAddress ip(String text) {
        return RouteServerInteropContract.ip(text);
    }
}
