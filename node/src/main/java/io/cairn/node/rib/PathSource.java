package io.cairn.node.rib;

import java.net.InetAddress;

/**
 * Where a path came from: a BGP neighbour, known by its address and BGP Identifier as the
 * decision process needs them (RFC 4271 9.1.2.2 f, g), or this node itself.
 */
public record PathSource(String name, InetAddress address, long asn, long bgpIdentifier, boolean external) {

    public static final PathSource LOCAL = new PathSource("local", null, 0, 0, false);

    public boolean isLocal() {
        return this == LOCAL;
    }
}
