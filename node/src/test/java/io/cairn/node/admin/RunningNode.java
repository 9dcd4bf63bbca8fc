package io.cairn.node.admin;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.ConfigLoader;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A node started from a YAML file in a test's directory, as {@code cairn run} starts one: BGP on
 * a free loopback port, the admin API and the JMX metrics. Peers are passive, so the test's
 * {@link RawPeer}s call it. The VNet is 10.1.0.0/16.
 */
public final class RunningNode implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);
    public static final InetAddress NODE = Loopback.address(1);

    public final Path configFile;
    public final CairnNode node;
    public final OperatorSurface surface;
    private final int bgpPort;
    private final int adminPort;
    private final String adminExtra;
    private final String sections;

    private RunningNode(Path configFile, CairnNode node, OperatorSurface surface, int bgpPort, int adminPort,
                        String adminExtra, String sections) {
        this.configFile = configFile;
        this.node = node;
        this.surface = surface;
        this.bgpPort = bgpPort;
        this.adminPort = adminPort;
        this.adminExtra = adminExtra;
        this.sections = sections;
    }

    /**
     * @param peers      YAML list items, e.g. {@code "{name: sdwan, address: 127.0.0.2, asn: 65001}"}
     * @param adminExtra more keys of the admin section, e.g. {@code ", token-file: /x"}, or ""
     * @param sections   more top-level sections, e.g. {@code "sdn: {driver: none}\n"}, or ""
     */
    public static RunningNode start(Path dir, List<String> peers, String adminExtra, String sections) throws Exception {
        return start(dir, peers, adminExtra, sections, node -> { });
    }

    /** @param beforeStart given the node before its sessions open, e.g. to add a Loc-RIB listener */
    public static RunningNode start(Path dir, List<String> peers, String adminExtra, String sections,
                                    Consumer<CairnNode> beforeStart) throws Exception {
        int bgpPort = Loopback.freePort(NODE);
        int adminPort = Loopback.freePort(NODE);
        Path file = dir.resolve("cairn.yaml");
        Files.writeString(file, yaml(bgpPort, adminPort, adminExtra, sections, peers));
        CairnConfig config = ConfigLoader.load(file);
        CairnNode node = CairnNode.fromConfig(config);
        // In the order RunCommand uses: the operator surface first, then the sessions.
        OperatorSurface surface = OperatorSurface.start(node, config, file);
        try {
            beforeStart.accept(node);
            node.start();
            surface.nodeStarted();
            return new RunningNode(file, node, surface, bgpPort, adminPort, adminExtra, sections);
        } catch (Exception e) {
            surface.close();
            node.close();
            throw e;
        }
    }

    public static RunningNode start(Path dir, List<String> peers, String adminExtra) throws Exception {
        return start(dir, peers, adminExtra, "");
    }

    public static RunningNode start(Path dir, String... peers) throws Exception {
        return start(dir, List.of(peers), "");
    }

    /** A passive peer entry for the config. */
    public static String peer(String name, int lastOctet, long asn) {
        return "{name: " + name + ", address: 127.0.0." + lastOctet + ", asn: " + asn + ", passive: true}";
    }

    /** Writes a new config with these peers (same ports and admin section), for a reload. */
    public void rewritePeers(String... peers) throws Exception {
        Files.writeString(configFile, yaml(bgpPort, adminPort, adminExtra, sections, List.of(peers)));
    }

    /** A node config: BGP and admin on 127.0.0.1 at these ports, VNet 10.1.0.0/16, these peers. */
    public static String yaml(int bgpPort, int adminPort, String adminExtra, String sections, List<String> peers) {
        StringBuilder sb = new StringBuilder("""
                node: {id: a, router-id: 10.1.0.4, listen: "127.0.0.1:%d"}
                vnet: {prefixes: [10.1.0.0/16], next-hop: 192.0.2.254}
                admin: {listen: "127.0.0.1:%d"%s}
                %speers:
                """.formatted(bgpPort, adminPort, adminExtra, sections));
        peers.forEach(p -> sb.append("  - ").append(p).append('\n'));
        return sb.toString();
    }

    /** "127.0.0.1:PORT", as {@code --admin} takes it. */
    public String admin() {
        return NODE.getHostAddress() + ":" + adminPort;
    }

    /**
     * Connects from 127.0.0.{@code lastOctet} and plays the OPEN exchange with IPv4 unicast,
     * 4-octet AS and route refresh, as an NVA would.
     */
    public RawPeer establish(int lastOctet, long asn) throws Exception {
        RawPeer raw = new RawPeer(Loopback.address(lastOctet), new InetSocketAddress(NODE, bgpPort));
        raw.establish(OpenMessage.of(asn, 90, 0x7F000000L + lastOctet, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(asn),
                new Capability.RouteRefresh())), WAIT);
        return raw;
    }

    /** An UPDATE announcing {@code prefixes}: AS path {@code asn}, next hop 127.0.0.{@code lastOctet}, community asn:100. */
    public static UpdateMessage announce(long asn, int lastOctet, String... prefixes) {
        return new UpdateMessage(List.of(), List.of(
                new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(asn),
                new PathAttribute.NextHop((Inet4Address) Loopback.address(lastOctet)),
                new PathAttribute.Communities(List.of((int) (asn << 16 | 100)))),
                Arrays.stream(prefixes).map(Prefix::parse).toList());
    }

    /** Reads until a message {@code wanted} accepts arrives; fails when the connection closes first. */
    public static <T extends BgpMessage> T readUntil(RawPeer raw, Class<T> kind, Predicate<T> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            BgpMessage m = raw.read(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m == null) {
                throw new AssertionError("connection closed while waiting for a " + kind.getSimpleName());
            }
            if (kind.isInstance(m) && wanted.test(kind.cast(m))) {
                return kind.cast(m);
            }
        }
        throw new AssertionError("no matching " + kind.getSimpleName() + " within " + WAIT);
    }

    @Override
    public void close() {
        surface.close();
        node.close();
    }
}
