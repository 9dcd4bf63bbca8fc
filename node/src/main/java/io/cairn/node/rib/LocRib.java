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
    static final int NOTHING = 0;

    private final PrefixKeys keys;
    private final long[] vnet;
    private final Long2LongHashMap published = new Long2LongHashMap(NOTHING);
    /** Prefixes whose next-hop set differs from the published one, to the set they want now. */
    private final Long2LongHashMap pending = new Long2LongHashMap(-1);
    private final List<Set<InetAddress>> hopSets = new ArrayList<>(List.of(Set.of()));
    private final Map<Set<InetAddress>, Integer> hopSetIds = new HashMap<>(Map.of(Set.of(), NOTHING));

    LocRib(PrefixKeys keys, List<Prefix> vnet) {
        this.keys = keys;
        this.vnet = vnet.stream().mapToLong(keys::key).toArray();
    }

    /** The id of a set of next hops (the ECMP set of a selection, best first), interned now if new. */
    int hopSet(List<InetAddress> hops) {
        if (hops.isEmpty()) {
            return NOTHING;
        }
        Set<InetAddress> set = hops.size() == 1 ? Set.of(hops.get(0))
                : Collections.unmodifiableSet(new LinkedHashSet<>(hops));
        return hopSetIds.computeIfAbsent(set, s -> {
            hopSets.add(s);
            return hopSets.size() - 1;
        });
    }

    /**
     * The prefix's selection changed: {@code hopSet} is the id of its ECMP next hops
     * ({@link #hopSet}), or {@link #NOTHING} when it has no path left or Cairn's own VNet route won.
     */
    void update(long key, int hopSet) {
        int id = insideVnet(key) ? NOTHING : hopSet;
        if (id == published.get(key)) {
            pending.remove(key); // back where it was: a flap is no change
        } else {
            pending.put(key, id);
        }
    }

    boolean hasPendingChanges() {
        return !pending.isEmpty();
    }

    /** The table as published by the drains so far: prefix to its ECMP next hops. */
    Map<Prefix, Set<InetAddress>> published() {
        Map<Prefix, Set<InetAddress>> table = new LinkedHashMap<>();
        published.forEachLong((key, id) -> table.put(keys.prefix(key), hopSets.get((int) id)));
        return table;
    }

    /**
     * The net changes since the last drain, and forgets them; with {@code report} false (no
     * one listens) only the published state moves on and the map stays empty.
     */
    Map<Prefix, Set<InetAddress>> drain(boolean report) {
        Map<Prefix, Set<InetAddress>> changes = new LinkedHashMap<>();
        Long2LongHashMap.EntryIterator it = pending.entrySet().iterator();
        while (it.hasNext()) {
            it.next();
            long key = it.getLongKey();
            long id = it.getLongValue();
            if (report) {
                changes.put(keys.prefix(key), hopSets.get((int) id));
            }
            if (id == NOTHING) {
                published.remove(key);
            } else {
                published.put(key, id);
            }
        }
        pending.clear();
        if (pending.capacity() > RibState.TRANSIENT_CAPACITY) {
            pending.compact();
        }
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
