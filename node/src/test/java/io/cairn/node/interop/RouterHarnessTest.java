package io.cairn.node.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Self-test of the interop harness: real daemons peered with each other (Cairn's own speaker is
 * not involved). Every implementation runs once actively connecting and once passively
 * accepting, sends and receives IPv4 and IPv6 routes with all attributes over one IPv4 session,
 * and withdraws them; plus TCP-MD5 (match and mismatch) and 4-octet-AS-disabled sessions.
 */
class RouterHarnessTest {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);
    // ExaBGP 4.2.21 sometimes leaves withdraws unread on its socket for over 10 s (see exchange);
    // this bounds that daemon-to-daemon wait, it is not Cairn's convergence time.
    private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(30);

    private final List<RouterDaemon> daemons = new ArrayList<>();

    @BeforeAll
    static void requireDaemons() {
        Tools.requireRoot();
        Tools.requireBinaries(List.of("bird", "birdc", "/usr/lib/frr/bgpd", "vtysh", "gobgpd", "gobgp",
                "exabgp"));
    }

    /** Stops every daemon even when the test failed half-way. */
    @AfterEach
    void stopDaemons() {
        daemons.forEach(RouterDaemon::close);
    }

    private <T extends RouterDaemon> T start(Callable<T> factory) throws Exception {
        T d = factory.call();
        daemons.add(d);
        return d;
    }

    /** Two addresses and their free ports for one pair. */
    private record Pair(String a, int portA, String b, int portB) {
        static Pair on(String a, String b) {
            return new Pair(a, Tools.freePort(a), b, Tools.freePort(b));
        }
    }

    @Test
    void birdActiveWithGobgpPassive() throws Exception {
        Pair p = Pair.on("127.0.10.1", "127.0.10.2");
        RouterDaemon bird = start(() -> new BirdDaemon(DaemonSpec.of(65001, p.a(), p.portA(),
                DaemonSpec.Neighbor.active(p.b(), p.portB(), 65002))));
        RouterDaemon gobgp = start(() -> new GobgpDaemon(DaemonSpec.of(65002, p.b(), p.portB(),
                DaemonSpec.Neighbor.passive(p.a(), p.portA(), 65001))));
        awaitPair(bird, gobgp);
        exchange(bird, gobgp, 1);
    }

    @Test
    void exabgpActiveWithFrrPassive() throws Exception {
        Pair p = Pair.on("127.0.11.1", "127.0.11.2");
        RouterDaemon exabgp = start(() -> new ExabgpDaemon(DaemonSpec.of(65003, p.a(), p.portA(),
                DaemonSpec.Neighbor.active(p.b(), p.portB(), 65004))));
        RouterDaemon frr = start(() -> new FrrDaemon(DaemonSpec.of(65004, p.b(), p.portB(),
                DaemonSpec.Neighbor.passive(p.a(), p.portA(), 65003))));
        awaitPair(exabgp, frr);
        exchange(exabgp, frr, 3);
    }

    @Test
    void md5MatchingPasswordsEstablishMismatchedNever() throws Exception {
        Pair ok = Pair.on("127.0.12.1", "127.0.12.2");
        RouterDaemon frr = start(() -> new FrrDaemon(DaemonSpec.of(65005, ok.a(), ok.portA(),
                DaemonSpec.Neighbor.active(ok.b(), ok.portB(), 65006).withMd5("s3cret"))));
        RouterDaemon bird = start(() -> new BirdDaemon(DaemonSpec.of(65006, ok.b(), ok.portB(),
                DaemonSpec.Neighbor.passive(ok.a(), ok.portA(), 65005).withMd5("s3cret"))));
        Pair bad = Pair.on("127.0.12.3", "127.0.12.4");
        RouterDaemon frrBad = start(() -> new FrrDaemon(DaemonSpec.of(65007, bad.a(), bad.portA(),
                DaemonSpec.Neighbor.active(bad.b(), bad.portB(), 65008).withMd5("right"))));
        RouterDaemon birdBad = start(() -> new BirdDaemon(DaemonSpec.of(65008, bad.b(), bad.portB(),
                DaemonSpec.Neighbor.passive(bad.a(), bad.portA(), 65007).withMd5("wrong"))));

        awaitPair(frr, bird);
        Route r = Route.of("10.5.0.0/24", "192.0.2.5").withCommunities("65005:1");
        frr.announce(r);
        assertEquals(List.of("65005:1"), bird.awaitRoute(r.prefix(), ROUTE_TIMEOUT).communities());
        // the good pair took a few seconds; give the bad one a few more of its own
        assertNeverEstablished(frrBad, bad.b(), Duration.ofSeconds(4));
        assertFalse(birdBad.isEstablished(bad.a()), "BIRD established despite wrong MD5 password");
    }

    @Test
    void fourOctetAsDisabled() throws Exception {
        // GoBGP (active) -> ExaBGP (passive, "capability { asn4 disable; }")
        Pair p = Pair.on("127.0.13.1", "127.0.13.2");
        GobgpDaemon gobgp = start(() -> new GobgpDaemon(DaemonSpec.of(65009, p.a(), p.portA(),
                DaemonSpec.Neighbor.active(p.b(), p.portB(), 65010))));
        RouterDaemon exabgp = start(() -> new ExabgpDaemon(DaemonSpec.of(65010, p.b(), p.portB(),
                DaemonSpec.Neighbor.passive(p.a(), p.portA(), 65009).withoutAs4())));
        // FRR (active) -> BIRD (passive, "enable as4 off")
        Pair q = Pair.on("127.0.13.3", "127.0.13.4");
        FrrDaemon frr = start(() -> new FrrDaemon(DaemonSpec.of(65011, q.a(), q.portA(),
                DaemonSpec.Neighbor.active(q.b(), q.portB(), 65012))));
        RouterDaemon bird = start(() -> new BirdDaemon(DaemonSpec.of(65012, q.b(), q.portB(),
                DaemonSpec.Neighbor.passive(q.a(), q.portA(), 65011).withoutAs4())));

        awaitPair(gobgp, exabgp);
        awaitPair(frr, bird);
        assertFalse(gobgp.peerAdvertisedAs4(p.b()), "ExaBGP still advertised the 4-octet AS capability");
        assertFalse(frr.peerAdvertisedAs4(q.b()), "BIRD still advertised the 4-octet AS capability");
        exchange(gobgp, exabgp, 9);
        exchange(frr, bird, 11);
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void awaitPair(RouterDaemon x, RouterDaemon y) {
        x.awaitEstablished(y.spec().localAddress(), SESSION_TIMEOUT);
        y.awaitEstablished(x.spec().localAddress(), SESSION_TIMEOUT);
    }

    /**
     * Both sides announce one IPv4 and one IPv6 route with every attribute, read them back from
     * the other side's CLI, then withdraw them and watch them disappear.
     */
    private static void exchange(RouterDaemon x, RouterDaemon y, int n) {
        List<Route> fromX = routes(x, n);
        List<Route> fromY = routes(y, n + 1);
        fromX.forEach(x::announce);
        fromY.forEach(y::announce);
        for (Route r : fromX) {
            assertLearned(y, x, r);
        }
        for (Route r : fromY) {
            assertLearned(x, y, r);
        }
        // One direction at a time: when ExaBGP 4.2.21 had just sent API-triggered withdraws and
        // FRR's withdraws arrived right after, ExaBGP did not read them for >10 s (they were on
        // the wire, tshark showed them); sequential withdraws avoid that, and are what a test wants.
        fromX.forEach(r -> x.withdraw(r.prefix()));
        fromX.forEach(r -> awaitWithdrawn(y, x, r));
        fromY.forEach(r -> y.withdraw(r.prefix()));
        fromY.forEach(r -> awaitWithdrawn(x, y, r));
    }

    /** On failure also shows the sender's log: it tells whether the withdraw left it at all. */
    private static void awaitWithdrawn(RouterDaemon receiver, RouterDaemon sender, Route r) {
        try {
            receiver.awaitNoRoute(r.prefix(), ROUTE_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + sender.name() + ", the sender:\n" + sender.logTail(), e);
        }
    }

    /** Distinct per-daemon values so a route can only have come from its announcer. */
    private static List<Route> routes(RouterDaemon d, int n) {
        long as = d.spec().localAs();
        Route v4 = Route.of("10." + n + ".0.0/24", "192.0.2." + n).withAsPath(64600L + n, 64700L + n)
                .withMed(100 + n).withCommunities(as + ":100", as + ":" + (200 + n))
                .withExtCommunities("rt:" + as + ":300").withLargeCommunities(as + ":1:" + n, as + ":2:" + n);
        Route v6 = Route.of("2001:db8:" + n + "::/48", "2001:db8::" + n).withAsPath(64800L + n)
                .withMed(200 + n).withCommunities(as + ":600").withExtCommunities("rt:" + as + ":" + n)
                .withLargeCommunities(as + ":6:" + n);
        return List.of(v4, v6);
    }

    private static void assertLearned(RouterDaemon receiver, RouterDaemon sender, Route sent) {
        LearnedRoute got = receiver.awaitRoute(sent.prefix(), ROUTE_TIMEOUT);
        String ctx = sender.name() + " -> " + receiver.name() + " " + sent.prefix() + ": ";
        List<Long> path = new ArrayList<>();
        path.add(sender.spec().localAs());
        path.addAll(sent.asPath());
        assertEquals(sent.nextHop(), got.nextHop(), ctx + "next hop");
        assertEquals(path, got.asPath(), ctx + "AS_PATH");
        assertEquals(sent.med(), got.med(), ctx + "MED");
        assertEquals(sent.communities(), got.communities(), ctx + "communities");
        assertEquals(sent.extCommunities(), got.extCommunities(), ctx + "ext communities");
        assertEquals(sent.largeCommunities(), got.largeCommunities(), ctx + "large communities");
        assertEquals(sender.spec().localAddress(), got.fromNeighbor(), ctx + "from");
    }

    /** Polls for the whole bound and fails as soon as the session comes up. */
    private static void assertNeverEstablished(RouterDaemon d, String neighbor, Duration bound)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() - deadline < 0) {
            assertFalse(d.isEstablished(neighbor), d.name() + " established with " + neighbor
                    + " despite mismatched MD5 passwords");
            Thread.sleep(AbstractDaemon.POLL_INTERVAL.toMillis());
        }
    }
}
