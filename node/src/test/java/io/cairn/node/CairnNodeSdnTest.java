package io.cairn.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.ConfigLoader;
import io.cairn.sdn.IpLiteral;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnException;
import io.cairn.sdn.SdnHealth;
import io.cairn.sdn.file.FileDriver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose config names an SDN programs what it learns there, and never the VNet itself. */
class CairnNodeSdnTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theConfiguredFileDriverGetsLearnedRoutesButNothingInsideTheVnet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("effective-routes.json");
        Pair pair = new Pair(41, "sdn: {driver: file, file: {path: \"" + file + "\"}}");

        try (CairnNode node = CairnNode.fromConfig(pair.config()).start();
             CairnNode nva = pair.nva("10.250.0.0/16", "10.1.5.0/24").start()) {
            Await.until("both NVA routes learned", WAIT,
                    () -> learned(node) == 2 && routes(file).size() == 1);
            Await.until("in sync", WAIT,
                    () -> node.sdnHealth().orElseThrow().state() == SdnHealth.State.IN_SYNC);

            assertEquals(new RouteTable(Map.of(IpPrefix.parse("10.250.0.0/16"), Set.of(IpLiteral.parse("127.0.0.42")))),
                    routes(file), "10.1.5.0/24 lies inside the VNet and 10.1.0.0/16 is the node's own");
            assertEquals(1, node.sdnHealth().orElseThrow().routesProgrammed());
        }
    }

    /**
     * Issue 6 e: a restart changes nothing in the SDN. The RIB thread replays the journal from the
     * node's construction on, so the replay can be over before the driver is set; the replayed
     * routes must reach the SDN side all the same, or the restarted leader's first sync removes them.
     */
    @Test
    void aRestartedNodeKeepsTheRoutesOfItsJournalInTheSdnWhenItsDriverIsSetAfterTheReplay(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("effective-routes.json");
        Pair pair = new Pair(43, "journal: {dir: \"" + dir.resolve("journal") + "\"}");
        CairnConfig config = pair.config();
        RouteTable learned = new RouteTable(Map.of(IpPrefix.parse("10.250.0.0/16"), Set.of(IpLiteral.parse("127.0.0.44"))));

        try (CairnNode nva = pair.nva("10.250.0.0/16").start()) {
            try (CairnNode node = CairnNode.fromConfig(config).programSdn(new FileDriver(file)).start()) {
                Await.until("10.250.0.0/16 programmed", WAIT, () -> learned.equals(routes(file))
                        && node.sdnHealth().orElseThrow().state() == SdnHealth.State.IN_SYNC);
            } // the journal stops before the sessions close: it holds the NVA's session as up
        } // the NVA stays away: the restarted node keeps its paths, stale, for the restart time

        try (CairnNode restarted = CairnNode.fromConfig(config)) {
            restarted.routeServer().replayed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            restarted.programSdn(new FileDriver(file)).start();
            Await.until("in sync after the restart", WAIT,
                    () -> restarted.sdnHealth().orElseThrow().state() == SdnHealth.State.IN_SYNC);
            assertEquals(learned, routes(file), "the restart changed the SDN");
        }
    }

    /**
     * A node at 127.0.0.{@code last} (VNet 10.1.0.0/16) with one passive peer, the SD-WAN NVA at the
     * next address; {@code section} adds to its config.
     */
    private record Pair(int last, int port, String section) {
        Pair(int last, String section) {
            this(last, Loopback.freePort(Loopback.address(last)), section);
        }

        CairnConfig config() throws Exception {
            return ConfigLoader.parse("""
                    node: {id: a, router-id: 127.0.0.%d, listen: "127.0.0.%d:%d"}
                    vnet: {prefixes: [10.1.0.0/16]}
                    peers: [{name: sdwan, address: 127.0.0.%d, asn: 65001, passive: true}]
                    %s
                    """.formatted(last, last, port, last + 1, section), "test.yaml");
        }

        /** The NVA, a Cairn speaker originating {@code prefixes}, to be started. */
        CairnNode nva(String... prefixes) throws Exception {
            InetAddress nva = Loopback.address(last + 1);
            return new CairnNode(65001, 0x7f000000L | (last + 1), new InetSocketAddress(nva, 0),
                    Arrays.stream(prefixes).map(Prefix::parse).toList(),
                    List.of(Loopback.peer("route-server", Loopback.address(last), 65515, port, false)));
        }
    }

    private static int learned(CairnNode node) {
        try {
            return node.routeServer().learned("sdwan").get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static RouteTable routes(Path file) {
        try {
            return new FileDriver(file).read();
        } catch (SdnException e) {
            throw new AssertionError(e);
        }
    }
}
