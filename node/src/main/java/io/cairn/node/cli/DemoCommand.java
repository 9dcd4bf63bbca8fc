package io.cairn.node.cli;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.PeerConfig;
import io.cairn.node.rib.Path;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnException;
import io.cairn.sdn.file.FileDriver;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The canonical scenario on loopback, narrated: one standalone node and two simulated NVAs
 * built from Cairn's own BGP code. Exits 0 when every side learned what it should.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the canonical scenario locally (one node, an SD-WAN and a firewall NVA) and show what each learned.")
public final class DemoCommand implements Callable<Integer> {

    static final long NODE_AS = 65515;
    static final long SDWAN_AS = 65001;
    static final long FIREWALL_AS = 65002;
    static final Prefix VNET = Prefix.parse("10.1.0.0/16");
    static final Prefix ON_PREMISES = Prefix.parse("10.250.0.0/16");
    static final Prefix INTERNET = Prefix.parse("0.0.0.0/0");

    @Option(names = "--verbose", description = "Show the nodes' INFO logs as well as the narration.")
    boolean verbose;

    @Option(names = "--timeout", description = "Seconds to wait for the routes to converge (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (!verbose) {
            // Three speakers in one process log a lot; the narration below tells the story.
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        InetAddress nodeIp = loopback(1);
        InetAddress sdwanIp = loopback(2);
        InetAddress firewallIp = loopback(3);
        out.println("Cairn demo: the canonical scenario on loopback");
        java.nio.file.Path sdnDir = Files.createTempDirectory("cairn-demo");
        FileDriver sdn = new FileDriver(sdnDir.resolve("effective-routes.json"));
        try (CairnNode node = new CairnNode(NODE_AS, id(nodeIp), new InetSocketAddress(nodeIp, 0), List.of(VNET),
                List.of(nva("sdwan", sdwanIp, SDWAN_AS), nva("firewall", firewallIp, FIREWALL_AS)))
                .programSdn(sdn).start()) {
            int port = node.boundAddress().getPort();
            out.printf("  route server  %s:%d  AS %d  originates the VNet %s%n", nodeIp.getHostAddress(), port, NODE_AS, VNET);
            try (CairnNode sdwan = simulatedNva(sdwanIp, SDWAN_AS, ON_PREMISES, nodeIp, port);
                 CairnNode firewall = simulatedNva(firewallIp, FIREWALL_AS, INTERNET, nodeIp, port)) {
                out.printf("  SD-WAN NVA    %s  AS %d  announces %s (on-premises)%n", sdwanIp.getHostAddress(), SDWAN_AS, ON_PREMISES);
                out.printf("  firewall NVA  %s  AS %d  announces %s (internet)%n", firewallIp.getHostAddress(), FIREWALL_AS, INTERNET);
                long start = System.nanoTime();
                boolean converged = awaitRoutes(node, "sdwan", 1) && awaitRoutes(node, "firewall", 1)
                        && awaitRoutes(sdwan, "route-server", 2) && awaitRoutes(firewall, "route-server", 2);
                out.printf("%nSessions up and routes exchanged in %d ms.%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                out.println("\nThe route server learned:");
                print(node, "sdwan");
                print(node, "firewall");
                out.println("\nThe SD-WAN NVA learned:");
                print(sdwan, "route-server");
                out.println("\nThe firewall NVA learned:");
                print(firewall, "route-server");
                boolean programmed = converged && awaitSdn(sdn, 2);
                out.printf("%nThe SDN (file driver, %s) holds:%n", sdn.path());
                printSdn(sdn);
                if (!programmed) {
                    out.flush();
                    spec.commandLine().getErr().println("demo: routes did not converge within " + timeoutSeconds + " s");
                    return 1;
                }
                out.println("\nEach NVA reaches the VNet and the other NVA's range through BGP alone,"
                        + " and workloads get both ranges as effective routes.");
                out.flush();
                return 0;
            }
        } finally {
            for (java.nio.file.Path p : List.of(sdn.path(), sdn.path().resolveSibling(sdn.path().getFileName() + ".lock"),
                    sdnDir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Waits (bounded) until the SDN holds {@code count} routes. */
    private boolean awaitSdn(FileDriver sdn, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (sdn.read().size() >= count) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private void printSdn(FileDriver sdn) throws SdnException {
        RouteTable routes = sdn.read();
        routes.routes().forEach((prefix, hops) -> out.printf("  %-18s via %s%n", prefix,
                String.join(", ", hops.stream().map(InetAddress::getHostAddress).sorted().toList())));
        if (routes.size() == 0) {
            out.println("  (nothing)");
        }
    }

    private CairnNode simulatedNva(InetAddress ip, long asn, Prefix announces, InetAddress nodeIp, int nodePort)
            throws InterruptedException {
        PeerConfig toNode = new PeerConfig("route-server", nodeIp, NODE_AS, 90, null, 10_000, true, false, nodePort);
        return new CairnNode(asn, id(ip), new InetSocketAddress(ip, 0), List.of(announces), List.of(toNode)).start();
    }

    private static PeerConfig nva(String name, InetAddress ip, long asn) {
        return new PeerConfig(name, ip, asn, 90, null, 10_000, true, true, 179);
    }

    /** Waits (bounded) until {@code node} learned at least {@code count} routes from {@code peer}. */
    private boolean awaitRoutes(CairnNode node, String peer, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (node.routeServer().learned(peer).get(5, TimeUnit.SECONDS).size() >= count) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private void print(CairnNode node, String peer) throws Exception {
        List<Path> paths = node.routeServer().learned(peer).get(5, TimeUnit.SECONDS);
        for (Path p : paths) {
            out.printf("  %-18s via %-12s AS path %-8s from %s%n", p.prefix(), p.nextHop().getHostAddress(),
                    p.asPath(), peer);
        }
        if (paths.isEmpty()) {
            out.println("  (nothing)");
        }
    }

    private static InetAddress loopback(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    private static long id(InetAddress ip) {
        byte[] a = ip.getAddress();
        return ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8) | (a[3] & 0xFFL);
    }
}
