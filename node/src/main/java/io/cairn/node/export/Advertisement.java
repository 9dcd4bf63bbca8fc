package io.cairn.node.export;

import io.cairn.node.bgp.wire.PathAttribute;

import java.net.InetAddress;
import java.util.List;

/** What the Adj-RIB-Out holds for one prefix: the attributes and next hop as sent. */
public record Advertisement(List<PathAttribute> attributes, InetAddress nextHop) {

    public Advertisement {
        attributes = List.copyOf(attributes);
    }
}
