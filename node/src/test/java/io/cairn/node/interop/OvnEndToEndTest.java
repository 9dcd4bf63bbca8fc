package io.cairn.node.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.node.CairnNode;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.SessionState;
import io.cairn.node.config.ConfigLoader;
import io.cairn.sdn.ovn.NbServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's promise end to end (issue 7): real BIRD NVAs announce over BGP, Cairn (configured as
 * an operator would, with the ovn driver) selects, and the OVN northbound database ends up with
 * the routes workloads need, as {@code ovn-nbctl lr-route-list} shows them, read independently of
 * Cairn. ECMP is several rows per prefix; a withdrawal on BIRD removes exactly its row.
 *
 * <p>Addresses are in 127.0.{@value #BLOCK}.0/24: Cairn at .1, the NVAs at .2, .3, .4; they only
 * listen and Cairn connects to them. Next hops are documentation addresses (192.0.2.0/24): OVN
 * stores them as given. Every wait is bounded; every process is stopped even on failure.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OvnEndToEndTest {

    static final int BLOCK = 62;
    static final String NET = "127.0." + BLOCK + ".";
    static final String CAIRN = NET + 1;
    static final long CAIRN_AS = 65515;
    static final String ROUTER = "lr-vnet";

    static final String SDWAN_PREFIX = "10.250.0.0/16";
    static final String DEFAULT = "0.0.0.0/0";
    static final String NH_SDWAN = "192.0.2.1";
    static final String NH_FW1 = "192.0.2.2";
    static final String NH_FW2 = "192.0.2.3";

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);
    static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(20);

    /** One BIRD NVA: its name in Cairn's config, its AS, its address. */
    record Nva(String name, long asn, String address) {
    }

    static final Nva SDWAN = new Nva("sdwan", 65001, NET + 2);
    static final Nva FW1 = new Nva("fw1", 65002, NET + 3);
    /** The firewall pair shares an AS, so both paths to 0.0.0.0/0 are equal down to the MED step. */
    static final Nva FW2 = new Nva("fw2", 65002, NET + 4);

    @Test
    void birdAnnouncementsBecomeOvnStaticRoutesEcmpAcrossFirewallsAndAWithdrawalRemovesTheRow(@TempDir Path dir)
            throws Exception {
        NbServer.assumeInstalled();
        Tools.requireBinaries(List.of("bird", "birdc"));
        try (Parts parts = new Parts()) {
            NbServer nb = parts.add(NbServer.start(dir));
            nb.nbctl("lr-add", ROUTER);

            int cairnPort = Tools.freePort(CAIRN);
            List<String> peers = new ArrayList<>();
            BirdDaemon sdwan = parts.add(startNva(SDWAN, cairnPort, peers));
            BirdDaemon fw1 = parts.add(startNva(FW1, cairnPort, peers));
            BirdDaemon fw2 = parts.add(startNva(FW2, cairnPort, peers));

            CairnNode cairn = parts.add(CairnNode.fromConfig(ConfigLoader.parse("""
                    node: {id: e2e, router-id: %s, asn: %d, listen: "%s:%d"}
                    vnet: {prefixes: [10.1.0.0/16]}
                    peers: [%s]
                    sdn: {driver: ovn, ovn: {remote: "%s", router: %s}}
                    """.formatted(CAIRN, CAIRN_AS, CAIRN, cairnPort, String.join(", ", peers), nb.unix(), ROUTER),
                    "e2e.yaml")));
            cairn.start();
            for (Nva n : List.of(SDWAN, FW1, FW2)) {
                awaitEstablished(cairn, n);
            }

            sdwan.announce(Route.of(SDWAN_PREFIX, NH_SDWAN));
            fw1.announce(Route.of(DEFAULT, NH_FW1));
            awaitRoutes(nb, Map.of(SDWAN_PREFIX, Set.of(NH_SDWAN), DEFAULT, Set.of(NH_FW1)));

            // The second firewall, same AS and path length: ECMP, one row per next hop.
            fw2.announce(Route.of(DEFAULT, NH_FW2));
            awaitRoutes(nb, Map.of(SDWAN_PREFIX, Set.of(NH_SDWAN), DEFAULT, Set.of(NH_FW1, NH_FW2)));
            Set<String> defaultRows = rows(nb, DEFAULT);
            assertEquals(2, defaultRows.size(), "one row per ECMP next hop, no duplicates: " + defaultRows);

            // Withdrawn on the SD-WAN NVA: its row goes; the default rows stay, untouched (same rows).
            sdwan.withdraw(SDWAN_PREFIX);
            awaitRoutes(nb, Map.of(DEFAULT, Set.of(NH_FW1, NH_FW2)));
            assertEquals(defaultRows, rows(nb, DEFAULT), "rows of " + DEFAULT + " after withdrawing " + SDWAN_PREFIX);
        }
    }

    /** Starts {@code n} listening for Cairn and adds its entry to Cairn's {@code peers} config. */
    private static BirdDaemon startNva(Nva n, int cairnPort, List<String> peers) {
        int port = Tools.freePort(n.address());
        BirdDaemon d = new BirdDaemon(DaemonSpec.of(n.asn(), n.address(), port,
                DaemonSpec.Neighbor.passive(CAIRN, cairnPort, CAIRN_AS).asRouteServer()));
        peers.add("{name: %s, address: %s, asn: %d, port: %d}".formatted(n.name(), n.address(), n.asn(), port));
        return d;
    }

    private static void awaitEstablished(CairnNode cairn, Nva n) {
        Peer p = cairn.peers().stream().filter(x -> x.name().equals(n.name())).findFirst().orElseThrow();
        Await.until("Cairn's session with " + n.name() + " Established (state " + p.state() + ", last error '"
                + p.lastError() + "')", SESSION_TIMEOUT, () -> p.state() == SessionState.ESTABLISHED);
    }

    /** The _uuid of every static route row for {@code prefix}, as ovn-nbctl finds them. */
    private static Set<String> rows(NbServer nb, String prefix) {
        String out = nb.nbctl("--bare", "--columns=_uuid", "find", "Logical_Router_Static_Route",
                "ip_prefix=\"" + prefix + "\"").trim();
        return out.isEmpty() ? Set.of() : Set.of(out.split("\\s+"));
    }

    /** Waits until the router's routes, as ovn-nbctl lists them, are exactly {@code expected}. */
    private static void awaitRoutes(NbServer nb, Map<String, Set<String>> expected) {
        List<Map<String, Set<String>>> last = new ArrayList<>(List.of(Map.of()));
        try {
            Await.until("lr-route-list " + ROUTER + " = " + expected, ROUTE_TIMEOUT, () -> {
                last.set(0, nb.routeList(ROUTER));
                return last.get(0).equals(expected);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen " + last.get(0) + "\n"
                    + nb.nbctl("lr-route-list", ROUTER), e);
        }
    }
}
