package io.cairn.node.rib;

import io.cairn.node.bgp.wire.Prefix;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Loc-RIB: per prefix, the best path and its ECMP set over every learned path. It keeps what
 * it last told the SDN side and reports only net changes, in batches: a flap that ends where it
 * started within one batch produces no event. Owned by the RIB thread.
 */
public final class LocRib {

    /** Told of net changes: prefix to its ECMP next hops, or an empty set when it is gone. */
    @FunctionalInterface
    public interface Listener {
        void changed(Map<Prefix, Set<InetAddress>> changes);
    }

    private final DecisionProcess decision;
    private final List<Prefix> vnet;
    private final Map<Prefix, DecisionProcess.Selection> selections = new TreeMap<>();
    private final Map<Prefix, Set<InetAddress>> published = new HashMap<>();
    private final Set<Prefix> dirty = new TreeSet<>();

    public LocRib(DecisionProcess decision, List<Prefix> vnet) {
        this.decision = decision;
        this.vnet = List.copyOf(vnet);
    }

    /** Runs the decision process for {@code prefix} over its current paths. */
    public void update(Prefix prefix, Collection<Path> candidates) {
        DecisionProcess.Selection s = candidates == null ? null : decision.select(List.copyOf(candidates));
        if (s == null) {
            selections.remove(prefix);
        } else {
            selections.put(prefix, s);
        }
        dirty.add(prefix);
    }

    public boolean hasPendingChanges() {
        return !dirty.isEmpty();
    }

    /** The net changes since the last drain, and forgets them. */
    public Map<Prefix, Set<InetAddress>> drain() {
        Map<Prefix, Set<InetAddress>> changes = new LinkedHashMap<>();
        for (Prefix p : dirty) {
            Set<InetAddress> wanted = forSdn(p);
            Set<InetAddress> had = published.getOrDefault(p, Set.of());
            if (!wanted.equals(had)) {
                changes.put(p, wanted);
                if (wanted.isEmpty()) {
                    published.remove(p);
                } else {
                    published.put(p, wanted);
                }
            }
        }
        dirty.clear();
        return changes;
    }

    /** Best path and ECMP set of every prefix, in prefix order. */
    public Map<Prefix, DecisionProcess.Selection> selections() {
        return new TreeMap<>(selections);
    }

    /**
     * The next hops the SDN should get for {@code p}: none for Cairn's own VNet routes, and none
     * for a learned prefix equal to or inside a VNet prefix (it would hijack the VNet itself).
     */
    private Set<InetAddress> forSdn(Prefix p) {
        DecisionProcess.Selection s = selections.get(p);
        if (s == null || s.best().source().isLocal() || insideVnet(p)) {
            return Set.of();
        }
        Set<InetAddress> hops = new LinkedHashSet<>();
        for (Path path : s.ecmp()) {
            if (path.nextHop() != null) {
                hops.add(path.nextHop());
            }
        }
        return hops;
    }

    /** DESIGN.md import rule: equal to or more specific than a VNet prefix. */
    public boolean insideVnet(Prefix p) {
        for (Prefix v : vnet) {
            if (v.covers(p)) {
                return true;
            }
        }
        return false;
    }
}
