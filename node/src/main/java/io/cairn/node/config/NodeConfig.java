package io.cairn.node.config;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Identity of this node: its name in the cluster, its BGP identifier, its AS and where it
 * listens for BGP.
 */
public record NodeConfig(String id, Inet4Address routerId, long asn, InetSocketAddress listen) {

    /** The AS a cloud route server uses, so NVAs set up for one work unchanged with Cairn. */
    public static final long DEFAULT_ASN = 65515;
    public static final InetSocketAddress DEFAULT_LISTEN = IpText.socketAddress("0.0.0.0", 179);

    public NodeConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(listen, "listen");
    }
}
