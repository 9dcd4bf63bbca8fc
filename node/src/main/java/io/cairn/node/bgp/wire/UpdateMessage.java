package io.cairn.node.bgp.wire;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * UPDATE (RFC 4271 4.3), normalized: attributes sorted by type code, at most one of each, AS
 * numbers in 4 octets. IPv4 unicast routes use the classic withdrawn/NLRI fields; other
 * families travel in MP_REACH_NLRI / MP_UNREACH_NLRI attributes.
 */
public record UpdateMessage(List<Prefix> withdrawn, List<PathAttribute> attributes, List<Prefix> nlri)
        implements BgpMessage {

    public UpdateMessage {
        withdrawn = List.copyOf(withdrawn);
        nlri = List.copyOf(nlri);
        List<PathAttribute> sorted = new ArrayList<>(attributes);
        sorted.sort(Comparator.comparingInt(PathAttribute::typeCode));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).typeCode() == sorted.get(i - 1).typeCode()) {
                throw new IllegalArgumentException("attribute " + sorted.get(i).typeCode() + " appears twice");
            }
        }
        attributes = List.copyOf(sorted);
    }

    /** The End-of-RIB marker of a family (RFC 4724 2): an empty UPDATE for IPv4 unicast, else an empty MP_UNREACH_NLRI. */
    public static UpdateMessage endOfRib(AddressFamily family) {
        return family.equals(AddressFamily.IPV4_UNICAST)
                ? new UpdateMessage(List.of(), List.of(), List.of())
                : new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreachNlri(family, List.of())), List.of());
    }

    @Override
    public int type() {
        return UPDATE;
    }

    public <T extends PathAttribute> Optional<T> attribute(Class<T> kind) {
        for (PathAttribute a : attributes) {
            if (kind.isInstance(a)) {
                return Optional.of(kind.cast(a));
            }
        }
        return Optional.empty();
    }

    /** The family this message is the End-of-RIB marker of, if it is one. */
    public Optional<AddressFamily> endOfRibFamily() {
        if (!withdrawn.isEmpty() || !nlri.isEmpty()) {
            return Optional.empty();
        }
        if (attributes.isEmpty()) {
            return Optional.of(AddressFamily.IPV4_UNICAST);
        }
        if (attributes.size() == 1 && attributes.get(0) instanceof PathAttribute.MpUnreachNlri u
                && u.withdrawn().isEmpty()) {
            return Optional.of(u.family());
        }
        return Optional.empty();
    }

    /** Every prefix this message withdraws, IPv4 and MP_UNREACH_NLRI together. */
    public List<Prefix> allWithdrawn() {
        Optional<PathAttribute.MpUnreachNlri> mp = attribute(PathAttribute.MpUnreachNlri.class);
        if (mp.isEmpty()) {
            return withdrawn;
        }
        List<Prefix> all = new ArrayList<>(withdrawn);
        all.addAll(mp.get().withdrawn());
        return all;
    }

    /** Every prefix this message announces, IPv4 and MP_REACH_NLRI together. */
    public List<Prefix> allAnnounced() {
        Optional<PathAttribute.MpReachNlri> mp = attribute(PathAttribute.MpReachNlri.class);
        if (mp.isEmpty()) {
            return nlri;
        }
        List<Prefix> all = new ArrayList<>(nlri);
        all.addAll(mp.get().nlri());
        return all;
    }
}
