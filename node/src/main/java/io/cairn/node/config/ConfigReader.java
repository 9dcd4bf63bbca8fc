package io.cairn.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.sdn.SdnConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema: which keys each section has, which are required, their defaults and the checks
 * that span several keys (unique peer names and addresses, at least one VNet prefix).
 * Reads a parsed YAML tree into a {@link CairnConfig}, reporting every problem to {@link Problems}.
 */
final class ConfigReader {

    static final List<String> TOP_KEYS = List.of("node", "vnet", "peers", "admin", "rib", "sdn", "cluster", "journal");
    static final List<String> NODE_KEYS = List.of("id", "router-id", "asn", "listen");
    static final List<String> VNET_KEYS = List.of("prefixes", "next-hop", "next-hop-v6");
    static final List<String> PEER_KEYS = List.of("name", "address", "asn", "hold-time", "password",
            "max-prefixes", "reflect", "passive", "port", "max-prefix-restart");
    static final List<String> ADMIN_KEYS = List.of("listen", "token-file");
    static final List<String> RIB_KEYS = List.of("multipath", "always-compare-med", "warm-up");
    static final List<String> CLUSTER_KEYS = List.of("zookeeper", "name", "session-timeout", "persist", "replication");
    static final List<String> JOURNAL_KEYS = List.of("dir", "snapshot-records");
    static final List<String> REPLICATION_KEYS = List.of("listen", "advertise", "tls");
    static final List<String> TLS_KEYS = List.of("cert", "key", "ca");

    private final Problems problems;

    ConfigReader(Problems problems) {
        this.problems = problems;
    }

    /** The config, or null when {@link Problems} has at least one entry. */
    CairnConfig read(JsonNode document) {
        if (document != null && !document.isNull() && !document.isObject()) {
            // Everything else would be "required"; one line says it better.
            problems.add("(document)", "must be a mapping with the sections " + String.join(", ", TOP_KEYS)
                    + ", not " + Values.describe(document));
            return null;
        }
        Mapping root = Mapping.of(document, "", problems, TOP_KEYS);
        NodeConfig node = node(root.section("node", true, NODE_KEYS));
        VnetConfig vnet = vnet(root.section("vnet", true, VNET_KEYS));
        List<PeerConfig> peers = peers(root);
        AdminConfig admin = admin(root.section("admin", false, ADMIN_KEYS));
        RibConfig rib = rib(root.section("rib", false, RIB_KEYS));
        SdnConfig sdn = new SdnSection(problems).read(root.section("sdn", false, SdnSection.KEYS));
        ClusterConfig cluster = root.isSet("cluster") ? cluster(root.section("cluster", false, CLUSTER_KEYS)) : null;
        JournalConfig journal = journal(root.section("journal", false, JOURNAL_KEYS));
        return problems.isEmpty() ? new CairnConfig(node, vnet, peers, admin, rib, sdn, cluster, journal) : null;
    }

    private NodeConfig node(Mapping m) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        String id = m.required("id", Values::name);
        Inet4Address routerId = m.required("router-id", Values::routerId);
        Long asn = m.optional("asn", Values::asn, NodeConfig.DEFAULT_ASN);
        InetSocketAddress listen = m.optional("listen", Values::listen, NodeConfig.DEFAULT_LISTEN);
        return problems.noneSince(mark) ? new NodeConfig(id, routerId, asn, listen) : null;
    }

    private VnetConfig vnet(Mapping m) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        List<Mapping.Element> elements = m.list("prefixes");
        if (elements.isEmpty() && problems.noneSince(mark)) {
            // A node that originates nothing would advertise no VNet: surely a mistake.
            problems.add(m.pathOf("prefixes"), "required: at least one prefix of the virtual network");
        }
        List<Prefix> prefixes = new ArrayList<>();
        Unique<Prefix> unique = new Unique<>();
        for (Mapping.Element e : elements) {
            Prefix p = m.read(e, Values::prefix);
            if (p != null) {
                unique.check(p, e.path(), e.path(), p.toString());
                prefixes.add(p);
            }
        }
        InetAddress nextHop = m.optional("next-hop", Values::nextHop, null);
        InetAddress nextHopV6 = m.optional("next-hop-v6", Values::nextHopV6, null);
        return problems.noneSince(mark) ? new VnetConfig(prefixes, nextHop, nextHopV6) : null;
    }

    private List<PeerConfig> peers(Mapping root) {
        List<PeerConfig> peers = new ArrayList<>();
        Unique<String> names = new Unique<>();
        Unique<InetAddress> addresses = new Unique<>();
        for (Mapping.Element e : root.list("peers")) {
            if (e.value().isNull()) {
                problems.add(e.path(), "must be a mapping of keys to values, not null");
                continue;
            }
            Mapping m = Mapping.of(e.value(), e.path(), problems, PEER_KEYS);
            if (m == null) {
                continue;
            }
            PeerConfig peer = peer(m, e.path(), names, addresses);
            if (peer != null) {
                peers.add(peer);
            }
        }
        return peers;
    }

    /** One peer; names and addresses are checked for uniqueness even if other keys are wrong. */
    private PeerConfig peer(Mapping m, String owner, Unique<String> names, Unique<InetAddress> addresses) {
        int mark = problems.mark();
        String name = m.required("name", Values::name);
        if (name != null) {
            names.check(name, owner, m.pathOf("name"), name);
        }
        InetAddress address = m.required("address", Values::peerAddress);
        if (address != null) {
            addresses.check(address, owner, m.pathOf("address"), IpText.format(address));
        }
        Long asn = m.required("asn", Values::asn);
        Integer holdTime = m.optional("hold-time", Values::holdTime, PeerConfig.DEFAULT_HOLD_TIME);
        String password = m.optional("password", Values::password, null);
        Integer maxPrefixes = m.optional("max-prefixes", Values.intInRange(1, Integer.MAX_VALUE),
                PeerConfig.DEFAULT_MAX_PREFIXES);
        Boolean reflect = m.optional("reflect", Values::bool, PeerConfig.DEFAULT_REFLECT);
        Boolean passive = m.optional("passive", Values::bool, PeerConfig.DEFAULT_PASSIVE);
        Integer port = m.optional("port", Values::port, PeerConfig.DEFAULT_PORT);
        Integer maxPrefixRestart = m.optional("max-prefix-restart", Values.intInRange(1, 86_400),
                PeerConfig.DEFAULT_MAX_PREFIX_RESTART);
        return problems.noneSince(mark)
                ? new PeerConfig(name, address, asn, holdTime, password, maxPrefixes, reflect, passive, port,
                        maxPrefixRestart)
                : null;
    }

    private AdminConfig admin(Mapping m) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        InetSocketAddress listen = m.optional("listen", Values::listen, AdminConfig.DEFAULT_LISTEN);
        Path tokenFile = m.optional("token-file", Values::path, null);
        if (listen != null && !m.isSet("token-file") && !listen.getAddress().isLoopbackAddress()) {
            // The admin API shows every peer and route: reachable off the machine only with a token.
            problems.add(m.pathOf("token-file"), "required when admin.listen (" + IpText.format(listen)
                    + ") is not a loopback address");
        }
        return problems.noneSince(mark) ? new AdminConfig(listen, tokenFile) : null;
    }

    private RibConfig rib(Mapping m) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        Boolean multipath = m.optional("multipath", Values::bool, RibConfig.DEFAULT.multipath());
        Boolean alwaysCompareMed = m.optional("always-compare-med", Values::bool, RibConfig.DEFAULT.alwaysCompareMed());
        Boolean warmUp = m.optional("warm-up", Values::bool, RibConfig.DEFAULT.warmUp());
        return problems.noneSince(mark) ? new RibConfig(multipath, alwaysCompareMed, warmUp) : null;
    }

    private JournalConfig journal(Mapping m) {
        if (m == null) {
            return JournalConfig.TEMPORARY;
        }
        int mark = problems.mark();
        Path dir = m.optional("dir", Values::path, null);
        Long snapshotRecords = m.optional("snapshot-records", Values.integer(1_000, 1_000_000_000),
                JournalConfig.DEFAULT_SNAPSHOT_RECORDS);
        return problems.noneSince(mark) ? new JournalConfig(dir, snapshotRecords) : null;
    }

    private ClusterConfig cluster(Mapping m) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        String zookeeper = m.required("zookeeper", Values::zookeeper);
        String name = m.required("name", Values::name);
        // ZooKeeper grants 2..20 ticks (default tick 2 s); below 2 s every GC pause is a failover.
        Duration sessionTimeout = m.optional("session-timeout",
                Values.duration(Duration.ofSeconds(2), Duration.ofMinutes(5)), ClusterConfig.DEFAULT_SESSION_TIMEOUT);
        Duration persist = m.optional("persist", Values.duration(Duration.ZERO, Duration.ofDays(1)),
                ClusterConfig.DEFAULT_PERSIST);
        Mapping replication = m.section("replication", false, REPLICATION_KEYS);
        InetSocketAddress listen = replication == null ? null
                : replication.optional("listen", Values::listen, ClusterConfig.DEFAULT_REPLICATION_LISTEN);
        boolean advertised = replication != null && replication.isSet("advertise");
        String advertise = advertised ? replication.optional("advertise", Values::advertise, null) : null;
        if (!advertised && problems.noneSince(mark) && listen.getAddress().isAnyLocalAddress()) {
            // Other members dial what this node publishes; a wildcard would have them dial themselves.
            // Said once the rest of the section is valid: it follows from the listen address.
            problems.add("cluster.replication.advertise", "required while cluster.replication.listen is the wildcard "
                    + IpText.format(listen) + ": the address other members reach this node's journal at");
        }
        ClusterConfig.Tls tls = replication == null || !replication.isSet("tls") ? null
                : tls(replication.section("tls", false, TLS_KEYS));
        return problems.noneSince(mark)
                ? new ClusterConfig(zookeeper, name, sessionTimeout, persist, listen, advertise, tls)
                : null;
    }

    private ClusterConfig.Tls tls(Mapping m) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        Path cert = m.required("cert", Values::path);
        Path key = m.required("key", Values::path);
        Path ca = m.required("ca", Values::path);
        return problems.noneSince(mark) ? new ClusterConfig.Tls(cert, key, ca) : null;
    }

    /** Remembers where each value was first seen, to report later ones as duplicates of it. */
    private final class Unique<T> {
        private final Map<T, String> firstSeenIn = new HashMap<>();

        /** {@code owner} is the list element holding the value, {@code reportAt} its key path. */
        void check(T value, String owner, String reportAt, String shown) {
            String first = firstSeenIn.putIfAbsent(value, owner);
            if (first != null) {
                problems.add(reportAt, "duplicate of " + first + " (" + shown + ")");
            }
        }
    }
}
