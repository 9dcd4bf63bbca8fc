package io.cairn.node.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code cluster} section: the ZooKeeper ensemble that elects the SDN writer and lists the
 * members, and where this node serves its journal to them. Absent, the node is standalone
 * (always leader, nothing replicated).
 *
 * @param zookeeper          ZooKeeper connect string, "host:port,host:port[/chroot]"
 * @param name               the cluster's name; its state lives under /cairn/NAME
 * @param sessionTimeout     the ZooKeeper session timeout: how long a silent leader keeps its
 *                           term, so failover takes about this long
 * @param persist            how long paths only a departed origin had stay (stale) before they go
 * @param replicationListen  where this node serves its journal
 * @param replicationAdvertise the host other members dial for it (name or address), or null to
 *                           publish the listen address itself, which must then not be a wildcard
 * @param replicationTls     TLS for replication, or null for plain TCP
 */
public record ClusterConfig(String zookeeper, String name, Duration sessionTimeout, Duration persist,
        InetSocketAddress replicationListen, String replicationAdvertise, Tls replicationTls) {

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);
    public static final Duration DEFAULT_PERSIST = Duration.ofSeconds(120);
    public static final InetSocketAddress DEFAULT_REPLICATION_LISTEN = IpText.socketAddress("0.0.0.0", 7179);

    public ClusterConfig {
        Objects.requireNonNull(zookeeper, "zookeeper");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(persist, "persist");
        Objects.requireNonNull(replicationListen, "replicationListen");
    }

    /**
     * Mutual TLS: this node's PEM certificate and PKCS#8 key, and the PEM CA that signs every
     * member's certificate.
     */
    public record Tls(Path cert, Path key, Path ca) {

        public Tls {
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(ca, "ca");
        }
    }
}
