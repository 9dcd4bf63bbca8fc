package io.cairn.node.rib;

import io.cairn.node.bgp.wire.Prefix;
import org.agrona.collections.Long2LongHashMap;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Loc-RIB as the SDN side sees it: per prefix key, the ECMP next hops last published. The
 * route server tells it each prefix's new selection; it reports only net changes, in batches:
 * a flap that ends where it started within one batch produces no event. Next-hop sets are
 * interned (a route server sees few distinct ECMP sets), so a prefix costs one map entry.
 * Owned by the RIB thread.
 */
public final class LocRib {

    /** Told of net changes: prefix to its ECMP next hops, or an empty set when it is gone. */
    @FunctionalInterface
    public interface Listener {
        void changed(Map<Prefix, Set<InetAddress>> changes);
    }

    /** Id of the empty set: nothing for the SDN. */
    private static final int NOTHING = 0;

    private final PrefixKeys keys;
    private final long[] vnet;
    private final Long2LongHashMap published = new Long2LongHashMap(NOTHING);
    /** Prefixes changed since the last drain, to the next-hop set they want now. */
    private final Long2LongHashMap pending = new Long2LongHashMap(-1);
    private final List<Set<InetAddress>> hopSets = new ArrayList<>(List.of(Set.of()));
    private final Map<Set<InetAddress>, Integer> hopSetIds = new HashMap<>(Map.of(Set.of(), NOTHING));

    LocRib(PrefixKeys keys, List<Prefix> vnet) {
        this.keys = keys;
        this.vnet = vnet.stream().mapToLong(keys::key).toArray();
    }

    /**
     * The prefix's selection changed: {@code hops} are the next hops of its ECMP set, best first
     * (empty when it has no path left, or when its best path is Cairn's own VNet route).
     */
    void update(long key, List<InetAddress> hops) {
        int id = NOTHING;
        if (!hops.isEmpty() && !insideVnet(key)) {
            Set<InetAddress> set = hops.size() == 1 ? Set.of(hops.get(0))
                    : Collections.unmodifiableSet(new LinkedHashSet<>(hops));
            id = hopSetIds.computeIfAbsent(set, s -> {
                hopSets.add(s);
                return hopSets.size() - 1;
            });
        }
        pending.put(key, id);
    }

    boolean hasPendingChanges() {
        return !pending.isEmpty();
    }

    /** The net changes since the last drain, and forgets them. */
    Map<Prefix, Set<InetAddress>> drain() {
        Map<Prefix, Set<InetAddress>> changes = new LinkedHashMap<>();
        Long2LongHashMap.EntryIterator it = pending.entrySet().iterator();
        while (it.hasNext()) {
            it.next();
            long key = it.getLongKey();
            long id = it.getLongValue();
            if (id != published.get(key)) {
                changes.put(keys.prefix(key), hopSets.get((int) id));
                if (id == NOTHING) {
                    published.remove(key);
                } else {
                    published.put(key, id);
                }
            }
        }
        pending.clear();
        return changes;
    }

    /**
     * DESIGN.md import rule: a prefix equal to or more specific than a VNet prefix is never
     * for the SDN (it would hijack the VNet itself); it stays learned and selected.
     */
    boolean insideVnet(long key) {
        for (long v : vnet) {
            if (keys.covers(v, key)) {
                return true;
            }
        }
        return false;
    }
}
