package io.cairn.node.rib;

import io.cairn.node.bgp.wire.Prefix;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

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
 * The Loc-RIB as the SDN side sees it: per prefix, the ECMP next hops last published, kept in the
 * prefix's {@link PrefixRecord}. The route server tells it each changed prefix's new selection once
 * per batch, decided on the batch's end state; it reports only net changes: a flap that ends
 * where it started within one batch produces no event. Next-hop sets are interned (a route server
 * sees few distinct ECMP sets), so a prefix costs a few bits of its record's header. Owned by the
 * RIB thread.
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
    /** The prefixes published differently since the last drain, and the set each has now. */
    private final LongArrayList changedKeys = new LongArrayList();
    private final IntArrayList changedSets = new IntArrayList();
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

    /** The next hops of a set id. */
    Set<InetAddress> hops(int hopSet) {
        return hopSets.get(hopSet);
    }

    /**
     * The prefix's selection after a batch: {@code hopSet} is the id of its ECMP next hops
     * ({@link #hopSet}), or {@link #NOTHING} when it has no path left or Cairn's own VNet route
     * won. Publishes it in the record {@code r} when it differs from what was published.
     */
    void update(long key, long[] r, int hopSet) {
        int id = insideVnet(key) ? NOTHING : hopSet;
        if (id != PrefixRecord.published(r)) {
            PrefixRecord.publish(r, id);
            changedKeys.addLong(key);
            changedSets.addInt(id);
        }
    }

    /**
     * The net changes since the last drain, and forgets them; with {@code report} false (no
     * one listens) the map stays empty.
     */
    Map<Prefix, Set<InetAddress>> drain(boolean report) {
        Map<Prefix, Set<InetAddress>> changes = new LinkedHashMap<>();
        for (int i = 0; report && i < changedKeys.size(); i++) {
            changes.put(keys.prefix(changedKeys.getLong(i)), hopSets.get(changedSets.getInt(i)));
        }
        changedKeys.clear();
        changedSets.clear();
        return changes;
    }

    /** Gives back the room a burst of changes took (once the RIB is idle). */
    void shrink() {
        if (changedKeys.capacity() > RibState.TRANSIENT_CAPACITY) {
            changedKeys.trimToSize();
            changedSets.trimToSize();
        }
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
