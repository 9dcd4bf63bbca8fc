package io.cairn.node.rib;

import io.cairn.node.bgp.wire.PathAttribute;

import java.net.InetAddress;
import java.util.List;

/**
 * One interned attribute set: the next hop and every attribute but NEXT_HOP and the MP ones,
 * shared by all paths that carry them. Paths refer to it by {@link #id}; it lives while
 * {@link #refs} paths (Adj-RIB-In or Adj-RIB-Out entries) use it.
 */
final class AttributeSet {

    final int id;
    /** The normalized octets it is interned by: next hop length and address, then the attributes. */
    final byte[] key;
    final int hash;
    final InetAddress nextHop;
    final List<PathAttribute> attributes;
    final RouteFacts facts;
    int refs;
    /** The Loc-RIB's id for the next-hop set of this set's next hop alone, once asked (-1 before). */
    int singleHopSet = -1;

    AttributeSet(int id, byte[] key, int hash, InetAddress nextHop, List<PathAttribute> attributes) {
        this.id = id;
        this.key = key;
        this.hash = hash;
        this.nextHop = nextHop;
        this.attributes = List.copyOf(attributes);
        this.facts = RouteFacts.of(this.attributes);
    }
}
