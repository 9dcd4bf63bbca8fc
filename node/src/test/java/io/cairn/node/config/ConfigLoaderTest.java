package io.cairn.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.cairn.node.bgp.wire.Prefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    private static final String NODE = "node: {id: a, router-id: 10.1.0.4}\n";
    private static final String VNET = "vnet: {prefixes: [10.1.0.0/16]}\n";
    private static final String MINIMAL = NODE + VNET;

    // ---- valid configs -------------------------------------------------------------------

    @Test
    void readsEveryKeyOfAFullConfig() throws Exception {
        CairnConfig c = ConfigLoader.parse("""
                node:
                  id: node-a
                  router-id: 10.1.0.4
                  asn: 4200000000
                  listen: "[::]:1179"
                vnet:
                  prefixes: [10.1.0.0/16, "2001:db8:1::/48"]
                peers:
                  - name: sdwan
                    address: 10.1.1.4
                    asn: 65001
                    hold-time: 30
                    password: s3cret
                    max-prefixes: 500
                    reflect: false
                    passive: true
                    port: 1790
                  - name: firewall
                    address: "2001:db8:1::4"
                    asn: 65002
                admin:
                  listen: "10.1.0.4:8443"
                  token-file: /etc/cairn/token
                """, "full.yaml");

        assertEquals(new NodeConfig("node-a", (java.net.Inet4Address) ip("10.1.0.4"), 4_200_000_000L,
                new InetSocketAddress(ip("::"), 1179)), c.node());
        assertEquals(List.of(Prefix.parse("10.1.0.0/16"), Prefix.parse("2001:db8:1::/48")), c.vnet().prefixes());
        assertEquals(List.of(
                new PeerConfig("sdwan", ip("10.1.1.4"), 65001, 30, "s3cret", 500, false, true, 1790),
                PeerConfig.withDefaults("firewall", ip("2001:db8:1::4"), 65002)), c.peers());
        assertEquals(new AdminConfig(new InetSocketAddress(ip("10.1.0.4"), 8443), Path.of("/etc/cairn/token")),
                c.admin());
        assertEquals("sdwan", c.peer("sdwan").orElseThrow().name());
    }

    @Test
    void fillsInDefaults() throws Exception {
        CairnConfig c = ConfigLoader.parse(MINIMAL + "peers: [{name: p, address: 10.1.1.4, asn: 65001}]\n", "m");

        assertEquals(65515, c.node().asn());
        assertEquals(new InetSocketAddress(ip("0.0.0.0"), 179), c.node().listen());
        PeerConfig p = c.peers().get(0);
        assertEquals(90, p.holdTime());
        assertNull(p.password());
        assertEquals(10_000, p.maxPrefixes());
        assertTrue(p.reflect());
        assertFalse(p.passive());
        assertEquals(179, p.port());
        assertEquals(AdminConfig.DEFAULT, c.admin());
    }

    @Test
    void nullMeansDefaultAndPeersMayBeEmpty() throws Exception {
        CairnConfig c = ConfigLoader.parse(MINIMAL + """
                peers: []
                admin: {listen: null, token-file: null}
                """, "m");

        assertEquals(List.of(), c.peers());
        assertEquals(AdminConfig.DEFAULT, c.admin());
    }

    @Test
    void acceptsHoldTimeZeroAndThree() throws Exception {
        CairnConfig c = ConfigLoader.parse(MINIMAL + """
                peers:
                  - {name: p0, address: 10.1.1.4, asn: 65001, hold-time: 0}
                  - {name: p3, address: 10.1.1.5, asn: 65001, hold-time: 3}
                """, "m");

        assertEquals(List.of(0, 3), c.peers().stream().map(PeerConfig::holdTime).toList());
    }

    @Test
    void canonicalExamplesAreValid() throws Exception {
        Path examples = Path.of(System.getProperty("basedir", ".")).resolve("../examples/canonical");
        CairnConfig a = ConfigLoader.load(examples.resolve("node-a.yaml"));
        CairnConfig b = ConfigLoader.load(examples.resolve("node-b.yaml"));

        assertEquals("a", a.node().id());
        assertEquals("b", b.node().id());
        assertEquals(List.of("sdwan", "firewall"), a.peers().stream().map(PeerConfig::name).toList());
        assertEquals(a.peers(), b.peers());
    }

    // ---- effective config ----------------------------------------------------------------

    @Test
    void printsEffectiveConfigWithDefaults() throws Exception {
        CairnConfig c = ConfigLoader.parse(MINIMAL + "peers: [{name: p, address: 10.1.1.4, asn: 65001, password: pw}]\n", "m");

        assertEquals("""
                node:
                  id: a
                  router-id: 10.1.0.4
                  asn: 65515
                  listen: 0.0.0.0:179
                vnet:
                  prefixes:
                    - 10.1.0.0/16
                  next-hop: null
                  next-hop-v6: null
                peers:
                  - name: p
                    address: 10.1.1.4
                    asn: 65001
                    hold-time: 90
                    password: '********'
                    max-prefixes: 10000
                    reflect: true
                    passive: false
                    port: 179
                    max-prefix-restart: 60
                admin:
                  listen: 127.0.0.1:8179
                  token-file: null
                rib:
                  multipath: true
                  always-compare-med: false
                  warm-up: false
                journal:
                  dir: null
                  snapshot-records: 100000
                sdn:
                  driver: none
                """, ConfigWriter.toYaml(c, ConfigWriter.Secrets.REDACT));
    }

    @Test
    void effectiveConfigParsesBackToTheSameConfig() throws Exception {
        CairnConfig c = ConfigLoader.parse("""
                node: {id: a, router-id: 10.1.0.4, asn: 4200000000, listen: "[2001:db8::1]:179"}
                vnet: {prefixes: [10.1.0.0/16, "2001:db8::/32"]}
                peers:
                  - {name: p, address: "2001:db8:0:0::4", asn: 65001, password: "a: 'b' #c", hold-time: 0}
                  - {name: "007", address: 10.1.1.5, asn: 65002, reflect: false, passive: true, port: 1179}
                admin: {listen: "[::1]:8179", token-file: "token file"}
                """, "m");

        String yaml = ConfigWriter.toYaml(c, ConfigWriter.Secrets.SHOW);

        assertEquals(c, ConfigLoader.parse(yaml, "effective"));
        assertTrue(yaml.contains("address: 2001:db8::4"), yaml);
    }

    // ---- problems: one test per kind, each asserting the exact lines ----------------------

    @Test
    void unknownKeysListTheKnownOnes() {
        assertProblems("""
                node: {id: a, router-id: 10.1.0.4, flavour: vanilla}
                vnet: {prefixes: [10.1.0.0/16]}
                routing: {table: 100}
                """,
                "routing: unknown key (known: node, vnet, peers, admin, rib, sdn, cluster, journal)",
                "node.flavour: unknown key (known: id, router-id, asn, listen)");
    }

    @Test
    void unknownKeysThatAreMisspelledKnownOnesGetASuggestion() {
        assertProblems(MINIMAL + """
                peers: [{name: p, address: 10.1.1.4, asn: 65001, hold_time: 30, maxPrefixes: 5}]
                admin: {tokenFile: /t}
                """,
                "peers[0].hold_time: unknown key; did you mean hold-time?",
                "peers[0].maxPrefixes: unknown key; did you mean max-prefixes?",
                "admin.tokenFile: unknown key; did you mean token-file?");
    }

    @Test
    void missingRequiredKeys() {
        assertProblems("node: {id: a}\npeers: [{asn: 65001}]\n",
                "node.router-id: required",
                "vnet: required",
                "peers[0].name: required",
                "peers[0].address: required");
        assertProblems("", "node: required", "vnet: required");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                node: {id: a, router-id: 0.0.0.0, asn: 23456}
                vnet: {prefixes: [10.1.0.1/16]}
                peers:
                  - {name: sdwan, address: 10.1.1.4, asn: 4294967296}
                  - {name: sdwan, address: 10.1.1.4, asn: 65001, hold-time: 2}
                """, "node-a.yaml"));

        assertEquals(List.of(
                "node.router-id: 0.0.0.0 is not a valid BGP identifier (RFC 6286: must be non-zero)",
                "node.asn: 23456 is AS_TRANS (RFC 6793), a placeholder for 4-octet ASes, never a real AS",
                "vnet.prefixes[0]: '10.1.0.1/16' has host bits set; did you mean 10.1.0.0/16?",
                "peers[0].asn: 4294967296 is out of range 1..4294967295",
                "peers[1].name: duplicate of peers[0] (sdwan)",
                "peers[1].address: duplicate of peers[0] (10.1.1.4)",
                "peers[1].hold-time: 2 is not allowed: use 0 (no keepalives) or 3..65535 (RFC 4271 4.2)"),
                e.problems());
        assertEquals("node-a.yaml", e.source());
        assertTrue(e.getMessage().startsWith("node-a.yaml: node.router-id: 0.0.0.0 is not"), e.getMessage());
        assertEquals(7, e.getMessage().lines().count());
    }

    @Test
    void duplicateAddressesAreComparedAsAddressesNotText() {
        assertProblems(MINIMAL + """
                peers:
                  - {name: a, address: "2001:db8::4", asn: 65001}
                  - {name: b, address: "2001:db8:0:0:0:0:0:4", asn: 65001}
                """,
                "peers[1].address: duplicate of peers[0] (2001:db8::4)");
    }

    static Stream<Arguments> badNodeValues() {
        return Stream.of(
                arguments("id", "''", "node.id: must not be empty"),
                arguments("id", "'node a'", "node.id: 'node a' is not a valid name: use up to 63 letters, digits, '.', '_'"
                        + " or '-', starting with a letter or digit"),
                arguments("id", "1", "node.id: must be a string, not 1; quote it: \"1\""),
                arguments("router-id", "2001:db8::1", "node.router-id: '2001:db8::1' is not an IPv4 address (a BGP identifier is 32 bits)"),
                arguments("router-id", "node-a.example", "node.router-id: 'node-a.example' is not an IPv4 address (a BGP identifier is 32 bits)"),
                arguments("asn", "0", "node.asn: 0 is out of range 1..4294967295"),
                arguments("asn", "'65515'", "node.asn: must be an integer, not '65515'"),
                arguments("asn", "65515.5", "node.asn: must be an integer, not 65515.5"),
                arguments("listen", "0.0.0.0", "node.listen: '0.0.0.0' has no port; write host:port, e.g. 0.0.0.0:179 or [::]:179"),
                arguments("listen", "'0.0.0.0:65536'", "node.listen: '0.0.0.0:65536': port '65536' is not a number in 1..65535"),
                arguments("listen", "'0.0.0.0:0'", "node.listen: '0.0.0.0:0': port '0' is not a number in 1..65535"),
                arguments("listen", "'0.0.0.0:bgp'", "node.listen: '0.0.0.0:bgp': port 'bgp' is not a number in 1..65535"),
                arguments("listen", "':::179'", "node.listen: ':::179': put an IPv6 address in brackets, e.g. [::]:179"),
                arguments("listen", "'localhost:179'", "node.listen: 'localhost' is not an IP address (names are not resolved)"),
                arguments("listen", "179", "node.listen: must be a string, not 179; quote it: \"179\""));
    }

    @ParameterizedTest(name = "node.{0}: {1}")
    @MethodSource("badNodeValues")
    void badNodeValue(String key, String value, String problem) {
        Map<String, String> node = new LinkedHashMap<>(Map.of("id", "a", "router-id", "10.1.0.4"));
        node.put(key, value);
        assertProblems("node:\n" + block(node, "  ") + VNET, problem);
    }

    static Stream<Arguments> badPeerValues() {
        return Stream.of(
                arguments("name", "''", "peers[0].name: must not be empty"),
                arguments("address", "nva.example.com", "peers[0].address: 'nva.example.com' is not an IP address (names are not resolved)"),
                arguments("address", "10.1.1", "peers[0].address: '10.1.1' is not an IP address (names are not resolved)"),
                arguments("address", "0.0.0.0", "peers[0].address: 0.0.0.0 is the unspecified address, not a peer"),
                arguments("address", "224.0.0.5", "peers[0].address: 224.0.0.5 is a multicast address, not a peer"),
                arguments("asn", "0", "peers[0].asn: 0 is out of range 1..4294967295"),
                arguments("asn", "4294967296", "peers[0].asn: 4294967296 is out of range 1..4294967295"),
                arguments("asn", "99999999999999999999", "peers[0].asn: 99999999999999999999 is out of range 1..4294967295"),
                arguments("asn", "23456", "peers[0].asn: 23456 is AS_TRANS (RFC 6793), a placeholder for 4-octet ASes, never a real AS"),
                arguments("hold-time", "1", "peers[0].hold-time: 1 is not allowed: use 0 (no keepalives) or 3..65535 (RFC 4271 4.2)"),
                arguments("hold-time", "65536", "peers[0].hold-time: 65536 is out of range 0..65535"),
                arguments("hold-time", "-3", "peers[0].hold-time: -3 is out of range 0..65535"),
                arguments("password", "''", "peers[0].password: must not be empty; use null (or leave it out) for no password"),
                arguments("password", "x".repeat(81), "peers[0].password: is 81 characters long; TCP MD5 keys have at most 80 (Linux TCP_MD5SIG_MAXKEYLEN)"),
                arguments("password", "pässwort", "peers[0].password: must be printable ASCII; character 2 is not"),
                arguments("max-prefixes", "0", "peers[0].max-prefixes: 0 is out of range 1..2147483647"),
                arguments("reflect", "maybe", "peers[0].reflect: must be true or false, not 'maybe'"),
                arguments("passive", "1", "peers[0].passive: must be true or false, not 1"),
                arguments("port", "0", "peers[0].port: 0 is out of range 1..65535"),
                arguments("port", "[179]", "peers[0].port: must be an integer, not a list"));
    }

    @ParameterizedTest(name = "peers[0].{0}: {1}")
    @MethodSource("badPeerValues")
    void badPeerValue(String key, String value, String problem) {
        Map<String, String> peer = new LinkedHashMap<>(Map.of("name", "p", "address", "10.1.1.4", "asn", "65001"));
        peer.put(key, value);
        assertProblems(MINIMAL + "peers:\n  -\n" + block(peer, "    "), problem);
    }

    @Test
    void passwordsNeverAppearInMessages() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                MINIMAL + "peers: [{name: p, address: 10.1.1.4, asn: 65001, password: \"tøpsecret\"}]", "m"));
        assertFalse(e.getMessage().contains("psecret"), e.getMessage());
        assertTrue(PeerConfig.withDefaults("p", ip("10.1.1.4"), 1).toString().contains("password=none"));
        assertTrue(new PeerConfig("p", ip("10.1.1.4"), 1, 90, "hunter2", 1, true, false, 179)
                .toString().contains("password=(set)"));
    }

    @Test
    void vnetPrefixes() {
        assertProblems(NODE + "vnet: {prefixes: []}\n",
                "vnet.prefixes: required: at least one prefix of the virtual network");
        assertProblems(NODE + "vnet: {}\n",
                "vnet.prefixes: required: at least one prefix of the virtual network");
        assertProblems(NODE + "vnet: {prefixes: 10.1.0.0/16}\n",
                "vnet.prefixes: must be a list, not '10.1.0.0/16'");
        assertProblems(NODE + "vnet: {prefixes: [10.1.0.0/16, 10.2.0.0/33, 10.1.0.0/16, 10.3.0.0, \"cafe:babe/16\", null]}\n",
                "vnet.prefixes[1]: prefix length 33 out of range for IPv4",
                "vnet.prefixes[2]: duplicate of vnet.prefixes[0] (10.1.0.0/16)",
                "vnet.prefixes[3]: '10.3.0.0' is not a prefix (no '/length')",
                "vnet.prefixes[4]: 'cafe:babe/16' is not a prefix: 'cafe:babe' is not an IP address",
                "vnet.prefixes[5]: must not be null");
    }

    @Test
    void ribSwitches() throws Exception {
        assertEquals(RibConfig.DEFAULT, ConfigLoader.parse(MINIMAL, "t").rib());
        assertEquals(new RibConfig(false, true, true), ConfigLoader.parse(MINIMAL
                + "rib: {multipath: false, always-compare-med: true, warm-up: true}\n", "t").rib());
        assertProblems(MINIMAL + "rib: {multipath: maybe}\n", "rib.multipath: must be true or false, not 'maybe'");
    }

    @Test
    void vnetNextHop() throws Exception {
        assertEquals(java.net.InetAddress.getByName("192.0.2.254"),
                ConfigLoader.parse(NODE + "vnet: {prefixes: [10.1.0.0/16], next-hop: 192.0.2.254}\n", "t").vnet().nextHop());
        assertProblems(NODE + "vnet: {prefixes: [10.1.0.0/16], next-hop: 0.0.0.0}\n",
                "vnet.next-hop: 0.0.0.0 is the unspecified address, not a next hop");
        assertEquals(java.net.InetAddress.getByName("2001:db8::254"), ConfigLoader.parse(NODE
                + "vnet: {prefixes: [10.1.0.0/16], next-hop-v6: \"2001:db8::254\"}\n", "t").vnet().nextHopV6());
        assertProblems(NODE + "vnet: {prefixes: [10.1.0.0/16], next-hop-v6: 192.0.2.1}\n",
                "vnet.next-hop-v6: 192.0.2.1 is not an IPv6 address");
    }

    @Test
    void sectionsOfTheWrongShape() {
        assertProblems("node: [a]\nvnet: 10.1.0.0/16\npeers: {name: p}\nadmin: 127.0.0.1:8179\n",
                "node: must be a mapping of keys to values, not a list",
                "vnet: must be a mapping of keys to values, not '10.1.0.0/16'",
                "peers: must be a list, not a mapping",
                "admin: must be a mapping of keys to values, not '127.0.0.1:8179'");
        assertProblems(MINIMAL + "peers: [null, sdwan]\n",
                "peers[0]: must be a mapping of keys to values, not null",
                "peers[1]: must be a mapping of keys to values, not 'sdwan'");
        assertProblems("- node\n",
                "(document): must be a mapping with the sections node, vnet, peers, admin, rib, sdn, cluster, journal, not a list");
    }

    @Test
    void adminOffLoopbackNeedsAToken() throws Exception {
        assertProblems(MINIMAL + "admin: {listen: \"0.0.0.0:8179\"}\n",
                "admin.token-file: required when admin.listen (0.0.0.0:8179) is not a loopback address");
        assertProblems(MINIMAL + "admin: {listen: \"[::1]:8179\", token-file: ''}\n",
                "admin.token-file: must not be empty");
        assertEquals(Path.of("t"), ConfigLoader.parse(MINIMAL + "admin: {listen: \"0.0.0.0:1\", token-file: t}", "m")
                .admin().tokenFile());
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() {
        assertProblems("""
                node:
                  id: a
                  router-id: 10.1.0.4
                 vnet: x
                """,
                "line 4, column 2: YAML syntax error: expected <block end>, but found '<block mapping start>'"
                        + " (while parsing a block mapping)");
        assertProblems("node:\n\tid: a\n",
                "line 2, column 1: YAML syntax error: found character '\\t(TAB)' that cannot start any token."
                        + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
        assertProblems("vnet: {prefixes: [10.1.0.0/16}\n",
                "line 1, column 30: YAML syntax error: expected ',' or ']', but got } (while parsing a flow sequence)");
    }

    @Test
    void duplicateKeysAndExtraDocumentsAreErrors() {
        assertProblems(MINIMAL + "peers:\n  - name: a\n    name: b\n",
                "line 5, column 9: duplicate key 'name'");
        assertProblems(MINIMAL + "---\n" + MINIMAL,
                "line 4, column 1: a second YAML document; a config file holds exactly one");
    }

    @Test
    void unreadableFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(missing + ": cannot read: no such file", e.getMessage());

        Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'#', (byte) 0xE9, '\n'});
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(latin1));
        assertEquals(List.of("cannot read: not UTF-8 text"), e.problems());
    }

    // ---- cluster -------------------------------------------------------------------------

    @Test
    void noClusterSectionMeansStandalone() throws Exception {
        assertNull(ConfigLoader.parse(MINIMAL, "t").cluster());
    }

    @Test
    void clusterSectionWithEveryKey() throws Exception {
        CairnConfig c = ConfigLoader.parse(MINIMAL + """
                cluster:
                  zookeeper: "zk1:2181,10.0.0.2:2181,[fd00::3]:2181/cairn"
                  name: vnet-prod
                  session-timeout: 4500ms
                  persist: 3m
                  replication:
                    listen: "10.1.0.4:7179"
                    advertise: cairn-a.example
                    tls: {cert: /etc/cairn/node.pem, key: /etc/cairn/node.key, ca: /etc/cairn/ca.pem}
                """, "t");

        assertEquals(new ClusterConfig("zk1:2181,10.0.0.2:2181,[fd00::3]:2181/cairn", "vnet-prod",
                java.time.Duration.ofMillis(4500), java.time.Duration.ofMinutes(3),
                new InetSocketAddress(ip("10.1.0.4"), 7179), "cairn-a.example", new ClusterConfig.Tls(Path.of("/etc/cairn/node.pem"),
                        Path.of("/etc/cairn/node.key"), Path.of("/etc/cairn/ca.pem"))), c.cluster());
        assertEquals(c, ConfigLoader.parse(ConfigWriter.toYaml(c, ConfigWriter.Secrets.SHOW), "effective"));
    }

    @Test
    void journalSection() throws Exception {
        assertEquals(JournalConfig.TEMPORARY, ConfigLoader.parse(MINIMAL, "m").journal());
        assertEquals(new JournalConfig(Path.of("/var/lib/cairn/journal"), 5_000),
                ConfigLoader.parse(MINIMAL + "journal: {dir: /var/lib/cairn/journal, snapshot-records: 5000}\n", "m").journal());
        assertProblems(MINIMAL + "journal: {dir: '', snapshot-records: 10, size: 1}\n",
                "journal.size: unknown key (known: dir, snapshot-records)",
                "journal.dir: must not be empty",
                "journal.snapshot-records: 10 is out of range 1000..1000000000");
    }

    @Test
    void clusterDefaults() throws Exception {
        CairnConfig c = ConfigLoader.parse(MINIMAL
                + "cluster: {zookeeper: \"zk:2181\", name: lab, replication: {advertise: \"fd00::4\"}}\n", "t");

        assertEquals(new ClusterConfig("zk:2181", "lab", ClusterConfig.DEFAULT_SESSION_TIMEOUT,
                ClusterConfig.DEFAULT_PERSIST, ClusterConfig.DEFAULT_REPLICATION_LISTEN, "fd00::4", null), c.cluster());
        assertTrue(ConfigWriter.toYaml(c, ConfigWriter.Secrets.REDACT).endsWith("""
                cluster:
                  zookeeper: zk:2181
                  name: lab
                  session-timeout: 6s
                  persist: 2m
                  replication:
                    listen: 0.0.0.0:7179
                    advertise: fd00::4
                    tls: null
                """), ConfigWriter.toYaml(c, ConfigWriter.Secrets.REDACT));
    }

    @Test
    void aWildcardReplicationListenNeedsAnAdvertisedAddress() {
        assertProblems(MINIMAL + "cluster: {zookeeper: \"zk:2181\", name: lab}\n",
                "cluster.replication.advertise: required while cluster.replication.listen is the wildcard 0.0.0.0:7179:"
                        + " the address other members reach this node's journal at");
        assertProblems(MINIMAL + "cluster: {zookeeper: \"zk:2181\", name: lab, replication: {advertise: \"::\"}}\n",
                "cluster.replication.advertise: endpoint host :: is a wildcard address, which other members cannot dial");
    }

    @Test
    void badClusterValues() {
        assertProblems(MINIMAL + "cluster: {}\n", "cluster.zookeeper: required", "cluster.name: required");
        assertProblems(MINIMAL + "cluster: {zookeeper: zk1, name: a/b, session-timeout: 6, persist: 2 minutes}\n",
                "cluster.zookeeper: 'zk1': 'zk1' is not host:port (IPv6 in brackets), e.g. zk1:2181",
                "cluster.name: 'a/b' is not a valid name: use up to 63 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit",
                "cluster.session-timeout: 6 has no unit; write e.g. 6s (units: ms, s, m, h)",
                "cluster.persist: '2 minutes' is not a duration; write a whole number with a unit: ms, s, m or h,"
                        + " e.g. 6s");
        assertProblems(MINIMAL + "cluster: {zookeeper: \"zk:99999/c/\", name: a, session-timeout: 1s, persist: 2d}\n",
                "cluster.zookeeper: 'zk:99999/c/': the chroot '/c/' must not end in '/' or hold '//'",
                "cluster.session-timeout: '1s' is out of range 2s..5m",
                "cluster.persist: '2d' is not a duration; write a whole number with a unit: ms, s, m or h, e.g. 6s");
        assertProblems(MINIMAL + "cluster: {zookeeper: \"zk:0\", name: a}\n",
                "cluster.zookeeper: 'zk:0': port 0 of 'zk:0' is not in 1..65535");
        assertProblems(MINIMAL + "cluster: {zookeeper: \"zk:1\", name: a, replication: {listen: x, tls: {cert: c},"
                        + " port: 1}}\n",
                "cluster.replication.port: unknown key (known: listen, advertise, tls)",
                "cluster.replication.listen: 'x' has no port; write host:port, e.g. 0.0.0.0:179 or [::]:179",
                "cluster.replication.tls.key: required",
                "cluster.replication.tls.ca: required");
        assertProblems(MINIMAL + "cluster: zk:2181\n", "cluster: must be a mapping of keys to values, not 'zk:2181'");
    }

    // ---- helpers -------------------------------------------------------------------------

    private static void assertProblems(String yaml, String... expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "test.yaml"));
        assertEquals(List.of(expected), e.problems());
    }

    /** "key: value" lines of a YAML block mapping at the given indent. */
    private static String block(Map<String, String> fields, String indent) {
        return fields.entrySet().stream()
                .map(f -> indent + f.getKey() + ": " + f.getValue() + "\n")
                .collect(Collectors.joining());
    }

    private static InetAddress ip(String literal) {
        return IpText.parse(literal);
    }
}
