package io.cairn.node.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cairn.node.bgp.wire.Prefix;

import java.net.InetAddress;

/**
 * Writes a config back as YAML with every default filled in: what the node will actually run
 * with. The output parses back to an equal config (passwords aside when they are redacted).
 */
public final class ConfigWriter {

    /** Whether TCP MD5 passwords are printed or replaced by {@link #REDACTED}. */
    public enum Secrets { SHOW, REDACT }

    public static final String REDACTED = "********";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigWriter() {
    }

    public static String toYaml(CairnConfig config, Secrets secrets) {
        ObjectNode root = NODES.objectNode();
        NodeConfig n = config.node();
        root.putObject("node")
                .put("id", n.id())
                .put("router-id", IpText.format(n.routerId()))
                .put("asn", n.asn())
                .put("listen", IpText.format(n.listen()));
        ObjectNode vnet = root.putObject("vnet");
        ArrayNode prefixes = vnet.putArray("prefixes");
        for (Prefix p : config.vnet().prefixes()) {
            prefixes.add(p.toString());
        }
        InetAddress nextHop = config.vnet().nextHop();
        vnet.put("next-hop", nextHop == null ? null : IpText.format(nextHop));
        InetAddress nextHopV6 = config.vnet().nextHopV6();
        vnet.put("next-hop-v6", nextHopV6 == null ? null : IpText.format(nextHopV6));
        ArrayNode peers = root.putArray("peers");
        for (PeerConfig p : config.peers()) {
            peers.addObject()
                    .put("name", p.name())
                    .put("address", IpText.format(p.address()))
                    .put("asn", p.asn())
                    .put("hold-time", p.holdTime())
                    .put("password", p.password() == null || secrets == Secrets.SHOW ? p.password() : REDACTED)
                    .put("max-prefixes", p.maxPrefixes())
                    .put("reflect", p.reflect())
                    .put("passive", p.passive())
                    .put("port", p.port())
                    .put("max-prefix-restart", p.maxPrefixRestart());
        }
        AdminConfig a = config.admin();
        root.putObject("admin")
                .put("listen", IpText.format(a.listen()))
                .put("token-file", a.tokenFile() == null ? null : a.tokenFile().toString());
        root.putObject("rib")
                .put("multipath", config.rib().multipath())
                .put("always-compare-med", config.rib().alwaysCompareMed())
                .put("warm-up", config.rib().warmUp());
        ObjectNode journal = root.putObject("journal");
        if (config.journal().dir() == null) {
            journal.putNull("dir");
        } else {
            journal.put("dir", config.journal().dir().toString());
        }
        journal.put("snapshot-records", config.journal().snapshotRecords());
        SdnSection.write(root.putObject("sdn"), config.sdn());
        ClusterConfig cluster = config.cluster();
        if (cluster != null) {
            ObjectNode replication = root.putObject("cluster")
                    .put("zookeeper", cluster.zookeeper())
                    .put("name", cluster.name())
                    .put("session-timeout", Values.formatDuration(cluster.sessionTimeout()))
                    .put("persist", Values.formatDuration(cluster.persist()))
                    .putObject("replication")
                    .put("listen", IpText.format(cluster.replicationListen()));
            if (cluster.replicationAdvertise() != null) {
                replication.put("advertise", cluster.replicationAdvertise());
            }
            ClusterConfig.Tls tls = cluster.replicationTls();
            if (tls == null) {
                replication.putNull("tls");
            } else {
                replication.putObject("tls")
                        .put("cert", tls.cert().toString())
                        .put("key", tls.key().toString())
                        .put("ca", tls.ca().toString());
            }
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new AssertionError("a tree of strings and numbers always serializes", e);
        }
    }
}
