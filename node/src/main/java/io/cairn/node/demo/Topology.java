package io.cairn.node.demo;

import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.AdminConfig;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.ClusterConfig;
import io.cairn.node.config.JournalConfig;
import io.cairn.node.config.NodeConfig;
import io.cairn.node.config.PeerConfig;
import io.cairn.node.config.RibConfig;
import io.cairn.node.config.VnetConfig;
import io.cairn.sdn.SdnConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is who in the demo, all on loopback: the nodes (AS 65515, VNet 10.1.0.0/16) at
 * 127.0.0.11 and .12, the NVAs at .21, .31 and .32, and the config each node runs with.
 */
final class Topology {

    static final long NODE_AS = 65515;
    static final long SDWAN_AS = 65001;
    static final long FIREWALL_AS = 65002;
    static final Prefix VNET = Prefix.parse("10.1.0.0/16");
    static final Prefix ON_PREMISES = Prefix.parse("10.250.0.0/16");
    static final Prefix INTERNET = Prefix.parse("0.0.0.0/0");
    static final List<String> NODE_IDS = List.of("a", "b");
    /**
     * How long a leader that went silent keeps its term: the failover takes about this long. Short
     * for the demo, long enough that a node starved of CPU for a moment on a busy machine keeps it.
     */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
    /** ZooKeeper grants session timeouts of 2 to 20 ticks. */
    static final Duration ZOOKEEPER_TICK = Duration.ofMillis(500);
    static final String CLUSTER_NAME = "demo";
    static final String SDN_FILE = "effective-routes.json";

    /** An NVA: at 127.0.0.{@code lastOctet}, announcing one prefix, its AS prepended {@code prepends} times. */
    record Nva(String name, int lastOctet, long asn, Prefix announces, int prepends, String role) {

        Inet4Address address() {
            return loopback(lastOctet);
        }
    }

    static final Nva SDWAN = new Nva("sdwan", 21, SDWAN_AS, ON_PREMISES, 0, "on-premises");
    static final Nva ACTIVE_FIREWALL = new Nva("firewall-1", 31, FIREWALL_AS, INTERNET, 0, "internet, active");
    static final Nva BACKUP_FIREWALL = new Nva("firewall-2", 32, FIREWALL_AS, INTERNET, 1,
            "internet, backup: passive");
    static final List<Nva> NVAS = List.of(SDWAN, ACTIVE_FIREWALL, BACKUP_FIREWALL);

    private Topology() {
    }

    static Inet4Address zookeeperAddress() {
        return loopback(1);
    }

    static Inet4Address nodeAddress(String id) {
        return loopback(11 + NODE_IDS.indexOf(id));
    }

    /**
     * Node {@code id}'s config: every NVA as a passive peer (the NVAs call the nodes, as they would
     * call a cloud route server), the cluster on {@code zookeeper}, free loopback ports, its journal
     * under {@code dir}, the file driver on {@code dir}/effective-routes.json shared by both nodes.
     */
    static CairnConfig nodeConfig(String id, String zookeeper, Path dir) throws IOException {
        Inet4Address address = nodeAddress(id);
        List<PeerConfig> peers = new ArrayList<>();
        for (Nva nva : NVAS) {
            peers.add(new PeerConfig(nva.name(), nva.address(), nva.asn(), PeerConfig.DEFAULT_HOLD_TIME, null,
                    PeerConfig.DEFAULT_MAX_PREFIXES, PeerConfig.DEFAULT_REFLECT, true, PeerConfig.DEFAULT_PORT));
        }
        ClusterConfig cluster = new ClusterConfig(zookeeper, CLUSTER_NAME, SESSION_TIMEOUT,
                ClusterConfig.DEFAULT_PERSIST, new InetSocketAddress(address, FreePort.on(address)), null, null);
        return new CairnConfig(
                new NodeConfig(id, address, NODE_AS, new InetSocketAddress(address, FreePort.on(address))),
                new VnetConfig(List.of(VNET), null), peers,
                new AdminConfig(new InetSocketAddress(address, FreePort.on(address)), null), RibConfig.DEFAULT,
                SdnConfig.file(dir.resolve(SDN_FILE)), cluster,
                new JournalConfig(dir.resolve("journal-" + id), JournalConfig.DEFAULT_SNAPSHOT_RECORDS));
    }

    /** What an NVA calls: every node. It re-advertises nothing, so reflection is off on its side. */
    static List<PeerConfig> nvaPeers(List<NodeProcess> nodes) {
        List<PeerConfig> toNodes = new ArrayList<>();
        for (NodeProcess node : nodes) {
            toNodes.add(new PeerConfig(node.id(), node.address(), NODE_AS, PeerConfig.DEFAULT_HOLD_TIME, null,
                    PeerConfig.DEFAULT_MAX_PREFIXES, false, false, node.bgpPort()));
        }
        return toNodes;
    }

    private static Inet4Address loopback(int last) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError("four octets are an address", e);
        }
    }
}
