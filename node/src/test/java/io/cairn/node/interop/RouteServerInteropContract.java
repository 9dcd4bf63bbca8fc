package io.cairn.node.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.CairnNode;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.SessionState;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.PeerConfig;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.export.Advertisement;
import io.cairn.node.rib.Path;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every BGP implementation must experience when it peers with Cairn as a transparent route
 * server (RFC 7947). Subclasses only say how to start the router under test ({@link #router}).
 *
 * <p>Scenario: a Cairn node (AS {@value #CAIRN_AS}, VNet {@value #VNET_V4} and {@value #VNET_V6}
 * advertised with next hop {@value #VNET_NEXT_HOP_TEXT}; the IPv6 prefix therefore carries the
 * IPv4-mapped {@code ::ffff:192.0.2.254}), the router R under test (AS {@value #R_AS}) and a
 * second NVA S (AS {@value #S_AS}, GoBGP unless the subclass says otherwise) so that reflection
 * between NVAs is visible from both CLIs. Each class gets its own 127.0.{@link #block()}.0/24 so
 * no two classes share an address: {@code .1/.2/.3} = Cairn/R/S of the shared fixture (Cairn
 * active towards R, S active towards Cairn), started once per class; {@code .11+},
 * {@code .21+}, ... are per-test fixtures for the session modes, 4-octet AS off and MD5.
 *
 * <p>Routes use next hops in 192.0.2.0/24 and 2001:db8::/32: FRR resets sessions on 127/8 next
 * hops and GoBGP drops them. Every wait is bounded; every process is stopped even on failure.
 *
 * <p>What the peers need to be told about a transparent route server
 * ({@link DaemonSpec.Neighbor#asRouteServer()}): FRR {@code no neighbor X enforce-first-as};
 * BIRD {@code extended next hop on} in the ipv6 channel, or it rejects the IPv4-mapped next hop
 * of the IPv6 VNet prefix. GoBGP and ExaBGP need nothing.
 *
 * <p>FRR and GoBGP cannot turn the 4-octet AS capability off, so only the BIRD and ExaBGP
 * classes run {@link #routerWithoutFourOctetAsInteroperates()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RouteServerInteropContract {

    static final long CAIRN_AS = 65515;
    static final long R_AS = 65001;
    static final long S_AS = 65002;
    static final long AS4 = 4_200_000_001L;
    static final long AS_TRANS = 23456;
    static final String VNET_V4 = "10.1.0.0/16";
    static final String VNET_V6 = "2001:db8:100::/48";
    static final String VNET_NEXT_HOP_TEXT = "192.0.2.254";

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);
    static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MD5_NEVER = Duration.ofSeconds(4);

    // ---- what a subclass says -------------------------------------------------------------

    /** Starts the router under test. */
    protected abstract RouterDaemon router(DaemonSpec spec);

    /** Third octet of this class's 127.0.x.0/24. */
    protected abstract int block();

    /** Starts the second NVA S; GoBGP unless the router under test is GoBGP itself. */
    protected RouterDaemon otherNva(DaemonSpec spec) {
        return new GobgpDaemon(spec);
    }

    /**
     * The AS_PATH attribute (2-octet encoding) of the last UPDATE for {@code prefix} exactly as it
     * came off the wire, where the harness can see raw UPDATEs; empty otherwise.
     */
    protected Optional<List<Long>> twoOctetAsPathOnWire(RouterDaemon router, String prefix) {
        return Optional.empty();
    }

    // ---- fixtures ---------------------------------------------------------------------------

    /** One Cairn node with R (and optionally S); closes them all, in reverse start order. */
    final class Fixture implements AutoCloseable {
        final String cairnAddress;
        final String rAddress;
        final String sAddress;
        final Parts parts = new Parts();
        CairnNode cairn;
        RouterDaemon r;
        RouterDaemon s;

        Fixture(int host) {
            String net = "127.0." + block() + ".";
            this.cairnAddress = net + host;
            this.rAddress = net + (host + 1);
            this.sAddress = net + (host + 2);
        }

        Peer cairnPeer(String name) {
            return cairn.peers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            parts.close();
        }
    }

    /**
     * Starts Cairn and R (and S when {@code withS}). {@code cairnActive}: Cairn connects to R and R
     * only listens; otherwise the other way round. S always connects to Cairn. The listener of a
     * session is started before its connector, so the first connect attempt already succeeds.
     */
    Fixture start(int host, boolean cairnActive, boolean withS, String cairnPassword,
            Function<DaemonSpec.Neighbor, DaemonSpec.Neighbor> tweakR) throws Exception {
        Fixture f = new Fixture(host);
        try {
            int cairnPort = Tools.freePort(f.cairnAddress);
            int rPort = Tools.freePort(f.rAddress);
            int sPort = Tools.freePort(f.sAddress);
            DaemonSpec.Neighbor toCairn = new DaemonSpec.Neighbor(f.cairnAddress, cairnPort, CAIRN_AS, cairnActive,
                    null, false, false).asRouteServer();
            DaemonSpec rSpec = DaemonSpec.of(R_AS, f.rAddress, rPort, tweakR.apply(toCairn));
            List<PeerConfig> peers = new ArrayList<>();
            peers.add(new PeerConfig("r", InetAddress.getByName(f.rAddress), R_AS, 90, cairnPassword, 10_000, true,
                    !cairnActive, rPort));
            if (withS) {
                peers.add(new PeerConfig("s", InetAddress.getByName(f.sAddress), S_AS, 90, null, 10_000, true, true,
                        sPort));
            }
            if (cairnActive) {
                f.r = track(f, router(rSpec));
            }
            f.cairn = new CairnNode(CAIRN_AS, 0x0A010001L + host,
                    new InetSocketAddress(InetAddress.getByName(f.cairnAddress), cairnPort),
                    new VnetConfig(List.of(Prefix.parse(VNET_V4), Prefix.parse(VNET_V6)), ip(VNET_NEXT_HOP_TEXT)),
                    peers);
            f.parts.add(f.cairn);
            f.cairn.start();
            if (!cairnActive) {
                f.r = track(f, router(rSpec));
            }
            if (withS) {
                DaemonSpec sSpec = DaemonSpec.of(S_AS, f.sAddress, sPort,
                        DaemonSpec.Neighbor.active(f.cairnAddress, cairnPort, CAIRN_AS).asRouteServer());
                f.s = track(f, otherNva(sSpec));
            }
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    private static <T extends RouterDaemon> T track(Fixture f, T daemon) {
        f.parts.add(daemon);
        return daemon;
    }

    /** Waits until both ends of every session of {@code f} say Established. */
    void awaitSessions(Fixture f) {
        awaitCairnEstablished(f, "r");
        f.r.awaitEstablished(f.cairnAddress, SESSION_TIMEOUT);
        if (f.s != null) {
            awaitCairnEstablished(f, "s");
            f.s.awaitEstablished(f.cairnAddress, SESSION_TIMEOUT);
        }
    }

    private static void awaitCairnEstablished(Fixture f, String peer) {
        Peer p = f.cairnPeer(peer);
        Await.until("Cairn's session with " + peer + " Established (state " + p.state() + ", last error '"
                + p.lastError() + "')", SESSION_TIMEOUT, () -> p.state() == SessionState.ESTABLISHED);
    }

    private Fixture shared;
    private final List<Fixture> perTest = new ArrayList<>();

    @BeforeAll
    void startShared() throws Exception {
        shared = start(1, true, true, null, Function.identity());
        awaitSessions(shared);
    }

    @AfterAll
    void stopShared() {
        if (shared != null) {
            shared.close();
        }
    }

    @AfterEach
    void stopPerTest() {
        perTest.forEach(Fixture::close);
        perTest.clear();
    }

    private Fixture startForTest(int host, boolean cairnActive, boolean withS, String cairnPassword,
            Function<DaemonSpec.Neighbor, DaemonSpec.Neighbor> tweakR) throws Exception {
        Fixture f = start(host, cairnActive, withS, cairnPassword, tweakR);
        perTest.add(f);
        return f;
    }

    // ---- 1. sessions ------------------------------------------------------------------------

    @Test
    void establishedWithCairnActive() {
        assertFalse(shared.cairnPeer("r").config().passive());
        assertTrue(shared.r.spec().neighbors().get(0).passive(), "R must only listen in this fixture");
        assertEquals(SessionState.ESTABLISHED, shared.cairnPeer("r").state());
        assertTrue(shared.r.isEstablished(shared.cairnAddress));
    }

    @Test
    void establishedWithCairnPassive() throws Exception {
        Fixture f = startForTest(11, false, false, null, Function.identity());
        assertTrue(f.cairnPeer("r").config().passive());
        awaitSessions(f);
    }

    // ---- 2. routes both ways, attributes intact ---------------------------------------------

    @Test
    void ipv4RoutesFlowBothWaysWithAttributesIntact() throws Exception {
        routesFlowBothWays(fromR("10.20.0.0/24", "192.0.2.20"), fromS("10.30.0.0/24", "192.0.2.30"));
    }

    @Test
    void ipv6RoutesFlowBothWaysWithAttributesIntact() throws Exception {
        routesFlowBothWays(fromR("2001:db8:20::/48", "2001:db8::20"), fromS("2001:db8:30::/48", "2001:db8::30"));
    }

    private void routesFlowBothWays(Route fromR, Route fromS) throws Exception {
        Fixture f = shared;
        f.r.announce(fromR);
        f.s.announce(fromS);

        // R -> Cairn (Adj-RIB-In as received) -> S (transparent: no 65515, same next hop)
        Path learned = awaitLearned(f, "r", fromR.prefix());
        assertSameRoute(fromR, R_AS, cairnView(learned), "Cairn's Adj-RIB-In from " + f.r.name());
        assertEquals(f.rAddress, learned.source().address().getHostAddress(), "source of the learned path");
        LearnedRoute atS = f.s.awaitRoute(fromR.prefix(), ROUTE_TIMEOUT);
        assertSameRoute(fromR, R_AS, atS, f.r.name() + " -> Cairn -> " + f.s.name());
        assertEquals(f.cairnAddress, atS.fromNeighbor());
        assertEquals(R_AS, (long) atS.asPath().get(0), "transparent: first AS is the announcing NVA's");

        // S -> Cairn -> R, read back from R's own CLI
        assertSameRoute(fromS, S_AS, cairnView(awaitLearned(f, "s", fromS.prefix())), "Cairn's Adj-RIB-In from S");
        LearnedRoute atR = f.r.awaitRoute(fromS.prefix(), ROUTE_TIMEOUT);
        assertSameRoute(fromS, S_AS, atR, f.s.name() + " -> Cairn -> " + f.r.name());
        assertEquals(f.cairnAddress, atR.fromNeighbor());

        // never back to the source: not in Cairn's Adj-RIB-Out towards R, not in R's table
        Map<Prefix, Advertisement> toR = f.cairn.routeServer().advertised("r").get(5, TimeUnit.SECONDS);
        assertTrue(toR.containsKey(Prefix.parse(fromS.prefix())), "S's route is advertised to R: " + toR.keySet());
        assertFalse(toR.containsKey(Prefix.parse(fromR.prefix())), "R's own route advertised back to R");
        assertTrue(f.r.routes().stream().noneMatch(x -> x.prefix().equals(fromR.prefix())
                && x.fromNeighbor().equals(f.cairnAddress)), "R learned its own route back: " + f.r.routes());
    }

    @Test
    void routerSeesVnetPrefixesWithCairnsAsOnly() {
        LearnedRoute v4 = shared.r.awaitRoute(VNET_V4, ROUTE_TIMEOUT);
        assertEquals(List.of(CAIRN_AS), v4.asPath(), "AS_PATH of " + VNET_V4);
        assertEquals(VNET_NEXT_HOP_TEXT, v4.nextHop(), "next hop of " + VNET_V4);
        assertEquals(shared.cairnAddress, v4.fromNeighbor());
        LearnedRoute v6 = shared.r.awaitRoute(VNET_V6, ROUTE_TIMEOUT);
        assertEquals(List.of(CAIRN_AS), v6.asPath(), "AS_PATH of " + VNET_V6);
        assertEquals(ip("::ffff:" + VNET_NEXT_HOP_TEXT), ip(v6.nextHop()), "next hop of " + VNET_V6);
    }

    // ---- 3. withdrawals -----------------------------------------------------------------------

    @Test
    void withdrawalsPropagateBothWays() throws Exception {
        Fixture f = shared;
        List<Route> fromR = List.of(fromR("10.21.0.0/24", "192.0.2.21"), fromR("2001:db8:21::/48", "2001:db8::21"));
        List<Route> fromS = List.of(fromS("10.31.0.0/24", "192.0.2.31"), fromS("2001:db8:31::/48", "2001:db8::31"));
        fromR.forEach(f.r::announce);
        fromS.forEach(f.s::announce);
        fromR.forEach(r -> f.s.awaitRoute(r.prefix(), ROUTE_TIMEOUT));
        fromS.forEach(r -> f.r.awaitRoute(r.prefix(), ROUTE_TIMEOUT));

        // one direction at a time (ExaBGP 4.2 reads late when withdraws cross; see RouterHarnessTest)
        fromR.forEach(r -> f.r.withdraw(r.prefix()));
        for (Route r : fromR) {
            f.s.awaitNoRoute(r.prefix(), ROUTE_TIMEOUT);
            awaitNotLearned(f, "r", r.prefix());
        }
        fromS.forEach(r -> f.s.withdraw(r.prefix()));
        for (Route r : fromS) {
            f.r.awaitNoRoute(r.prefix(), ROUTE_TIMEOUT);
            awaitNotLearned(f, "s", r.prefix());
        }
    }

    // ---- 4. R without the 4-octet AS capability ----------------------------------------------

    /**
     * Run by the subclasses whose router can turn the capability off (BIRD, ExaBGP); FRR and
     * GoBGP have no such knob, so for them the test does not exist rather than being skipped.
     */
    protected void routerWithoutFourOctetAsInteroperates() throws Exception {
        Fixture f = startForTest(21, true, true, null, DaemonSpec.Neighbor::withoutAs4);
        awaitSessions(f);
        assertFalse(f.cairnPeer("r").remoteOpen().has(Capability.FourOctetAs.class),
                "R still advertised the 4-octet AS capability");

        // R (2-octet) -> Cairn -> S: a 2-octet path arrives unchanged
        Route fromR = Route.of("10.22.0.0/24", "192.0.2.22").withAsPath(64622L).withMed(122)
                .withCommunities("65001:100", "65001:222").withLargeCommunities("65001:1:22");
        f.r.announce(fromR);
        assertSameRoute(fromR, R_AS, cairnView(awaitLearned(f, "r", fromR.prefix())), "Cairn's Adj-RIB-In from R");
        assertSameRoute(fromR, R_AS, f.s.awaitRoute(fromR.prefix(), ROUTE_TIMEOUT), "R(as4 off) -> Cairn -> S");

        // S (4-octet path) -> Cairn -> R. On the wire the AS_PATH carries AS_TRANS where the 4-octet
        // ASN was and AS4_PATH the real path (RFC 6793 4.2.2). BIRD and ExaBGP are "NEW" speakers
        // even with the capability off: they rebuild the path from AS_PATH + AS4_PATH (4.2.3) and
        // show the 4-octet ASN, which on a 2-octet session they can only have from Cairn's
        // AS4_PATH. Where the harness can see the raw UPDATE, AS_TRANS is checked on the wire.
        Route fromS = Route.of("10.32.0.0/24", "192.0.2.32").withAsPath(AS4, 64632L).withMed(132)
                .withCommunities("65002:100").withLargeCommunities("65002:1:32");
        f.s.announce(fromS);
        assertSameRoute(fromS, S_AS, cairnView(awaitLearned(f, "s", fromS.prefix())), "Cairn's Adj-RIB-In from S");
        LearnedRoute atR = f.r.awaitRoute(fromS.prefix(), ROUTE_TIMEOUT);
        assertEquals(List.of(S_AS, AS4, 64632L), atR.asPath(), "AS_PATH rebuilt by the 2-octet R");
        Optional<List<Long>> wire = twoOctetAsPathOnWire(f.r, fromS.prefix());
        if (wire.isPresent()) {
            assertEquals(List.of(S_AS, AS_TRANS, 64632L), wire.get(), "2-octet AS_PATH on the wire to R");
        } else {
            System.err.println("interop: " + f.r.name() + " shows no raw UPDATEs; AS_TRANS checked only by the"
                    + " rebuilt path");
        }
        assertEquals(fromS.nextHop(), atR.nextHop());
        assertEquals(fromS.med(), atR.med());
        assertEquals(fromS.communities(), atR.communities());
        assertEquals(fromS.largeCommunities(), atR.largeCommunities());

        LearnedRoute v4 = f.r.awaitRoute(VNET_V4, ROUTE_TIMEOUT);
        assertEquals(List.of(CAIRN_AS), v4.asPath());
    }

    // ---- 5. TCP MD5 ---------------------------------------------------------------------------

    @Test
    void md5MatchingPasswordEstablishesWrongOneNever() throws Exception {
        Fixture good = startForTest(31, true, false, "s3cret-md5", n -> n.withMd5("s3cret-md5"));
        Fixture bad = startForTest(41, true, false, "s3cret-md5", n -> n.withMd5("wrong-md5"));
        awaitSessions(good);
        Await.never("established with a wrong MD5 password", MD5_NEVER,
                () -> bad.cairnPeer("r").state() == SessionState.ESTABLISHED || bad.r.isEstablished(bad.cairnAddress));
        // Routes flow over the MD5 session too.
        good.r.awaitRoute(VNET_V4, ROUTE_TIMEOUT);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A route from R with every attribute: a 4-octet ASN in the path, MED, all three community kinds. */
    static Route fromR(String prefix, String nextHop) {
        int n = Integer.parseInt(prefix.startsWith("10.") ? prefix.split("\\.")[1] : prefix.split(":")[2]);
        return Route.of(prefix, nextHop).withAsPath(AS4, 64600L + n).withMed(100 + n)
                .withCommunities("65001:100", "65001:" + (200 + n)).withExtCommunities("rt:65001:300")
                .withLargeCommunities("65001:1:" + n, AS4 + ":2:" + n);
    }

    /** A route from S, with values distinct from R's so a route can only have come from S. */
    static Route fromS(String prefix, String nextHop) {
        int n = Integer.parseInt(prefix.startsWith("10.") ? prefix.split("\\.")[1] : prefix.split(":")[2]);
        return Route.of(prefix, nextHop).withAsPath(64700L + n, AS4).withMed(300 + n)
                .withCommunities("65002:100", "65002:" + (400 + n)).withExtCommunities("rt:65002:500")
                .withLargeCommunities("65002:1:" + n, AS4 + ":3:" + n);
    }

    /** {@code got} is {@code sent} as announced by {@code senderAs}, untouched by Cairn. */
    static void assertSameRoute(Route sent, long senderAs, LearnedRoute got, String ctx) {
        String c = ctx + " " + sent.prefix() + ": ";
        List<Long> path = new ArrayList<>();
        path.add(senderAs);
        path.addAll(sent.asPath());
        assertEquals(ip(sent.nextHop()), ip(got.nextHop()), c + "next hop");
        assertEquals(path, got.asPath(), c + "AS_PATH");
        assertEquals(sent.med(), got.med(), c + "MED");
        assertEquals(sent.communities(), got.communities(), c + "communities");
        assertEquals(sent.extCommunities(), got.extCommunities(), c + "ext communities");
        assertEquals(sent.largeCommunities(), got.largeCommunities(), c + "large communities");
    }

    private static Path awaitLearned(Fixture f, String peer, String prefix) {
        Prefix p = Prefix.parse(prefix);
        Path[] found = new Path[1];
        Await.until("Cairn learned " + prefix + " from " + peer, ROUTE_TIMEOUT, () -> {
            Optional<Path> path = learned(f, peer).stream().filter(x -> x.prefix().equals(p)).findFirst();
            path.ifPresent(x -> found[0] = x);
            return path.isPresent();
        });
        assertNotNull(found[0]);
        return found[0];
    }

    private static void awaitNotLearned(Fixture f, String peer, String prefix) {
        Prefix p = Prefix.parse(prefix);
        Await.until("Cairn no longer has " + prefix + " from " + peer, ROUTE_TIMEOUT,
                () -> learned(f, peer).stream().noneMatch(x -> x.prefix().equals(p)));
    }

    private static List<Path> learned(Fixture f, String peer) {
        try {
            return f.cairn.routeServer().learned(peer).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Cairn's learned(" + peer + ") failed", e);
        }
    }

    /** A path of Cairn's Adj-RIB-In in the harness's normalised form. */
    static LearnedRoute cairnView(Path p) {
        List<Long> path = new ArrayList<>();
        for (PathAttribute.Segment s : p.asPath().segments()) {
            for (long as : s.asns()) {
                path.add(as);
            }
        }
        Long med = p.attribute(PathAttribute.MultiExitDisc.class).map(PathAttribute.MultiExitDisc::value).orElse(null);
        List<String> communities = new ArrayList<>();
        p.attribute(PathAttribute.Communities.class).ifPresent(c -> c.values()
                .forEach(v -> communities.add(AbstractDaemon.community(Integer.toUnsignedLong(v)))));
        List<String> ext = new ArrayList<>();
        p.attribute(PathAttribute.ExtendedCommunities.class).ifPresent(c -> c.values()
                .forEach(v -> ext.add(extCommunity(v))));
        List<String> large = new ArrayList<>();
        p.attribute(PathAttribute.LargeCommunities.class).ifPresent(c -> c.values()
                .forEach(v -> large.add(v.global() + ":" + v.local1() + ":" + v.local2())));
        return new LearnedRoute(p.prefix().toString(), p.nextHop() == null ? null : p.nextHop().getHostAddress(),
                path, med, communities, ext, large, p.source().address().getHostAddress());
    }

    /** RFC 4360 / 5668: route target (subtype 2) and site of origin (3) of the AS and IPv4 types. */
    static String extCommunity(long v) {
        int type = (int) (v >>> 56) & 0xff;
        int subtype = (int) (v >>> 48) & 0xff;
        String kind = subtype == 2 ? "rt" : subtype == 3 ? "soo" : type + "." + subtype;
        if (type == 0x00) {
            return kind + ":" + ((v >>> 32) & 0xffff) + ":" + (v & 0xffffffffL);
        }
        if (type == 0x02) {
            return kind + ":" + ((v >>> 16) & 0xffffffffL) + ":" + (v & 0xffff);
        }
        return kind + ":" + Long.toHexString(v & 0xffff_ffff_ffffL);
    }

    static InetAddress ip(String text) {
        try {
            return text == null ? null : InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError("not an address: " + text, e);
        }
    }
}
