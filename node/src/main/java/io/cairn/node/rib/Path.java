package io.cairn.node.rib;

import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A route as learned from one source: the prefix, its next hop, and the path attributes other
 * than NEXT_HOP and the MP_* ones (those are per family and rebuilt on export).
 *
 * @param source     who it came from; {@link PathSource#LOCAL} for the VNet prefixes Cairn originates
 * @param nextHop    the next hop as received; null for local routes (each session gets its own)
 */
public record Path(PathSource source, Prefix prefix, InetAddress nextHop, List<PathAttribute> attributes) {

    public Path {
        attributes = List.copyOf(attributes);
    }

    public <T extends PathAttribute> Optional<T> attribute(Class<T> kind) {
        for (PathAttribute a : attributes) {
            if (kind.isInstance(a)) {
                return Optional.of(kind.cast(a));
            }
        }
        return Optional.empty();
    }

    public PathAttribute.AsPath asPath() {
        return attribute(PathAttribute.AsPath.class).orElse(PathAttribute.AsPath.EMPTY);
    }

    public boolean hasCommunity(int community) {
        return attribute(PathAttribute.Communities.class).map(c -> c.contains(community)).orElse(false);
    }
}
