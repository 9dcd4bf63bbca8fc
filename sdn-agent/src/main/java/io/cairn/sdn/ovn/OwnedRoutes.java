package io.cairn.sdn.ovn;

import io.cairn.sdn.IpPrefix;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Cairn's Logical_Router_Static_Route rows in the replica, by uuid and by prefix, and the table
 * they install: per prefix, the next hops of the exact rows the router references. That table is
 * kept sorted and brought up to date only for the prefixes changed since it was last read, so
 * reading it after a one-route change costs a copy, not a sort of 100k prefixes, and planning a
 * batch costs what the batch touches.
 */
final class OwnedRoutes {

    private static final StaticRoute[] NONE = {};

    private final Map<String, StaticRoute> byUuid = new HashMap<>();
    /** The rows of each prefix: one, or a few for ECMP; an array, as a map per prefix cost 100 bytes more. */
    private final Map<IpPrefix, StaticRoute[]> byPrefix = new HashMap<>();
    /** Rows of Cairn's whose ip_prefix does not parse (edited into garbage): always deleted. */
    private final Set<String> unparsable = new HashSet<>();
    private final TreeMap<IpPrefix, Set<InetAddress>> installed = new TreeMap<>();
    /**
     * Prefixes whose installed next hops may have changed, in the order they changed: a sync
     * writes in prefix order, so this is nearly sorted and sorts in one pass.
     */
    private final Set<IpPrefix> stale = new LinkedHashSet<>();
    private boolean allStale;

    void clear() {
        byUuid.clear();
        byPrefix.clear();
        unparsable.clear();
        installed.clear();
        stale.clear();
        allStale = false;
    }

    boolean contains(String uuid) {
        return byUuid.containsKey(uuid);
    }

    /** The row with {@code uuid}, or null. */
    StaticRoute get(String uuid) {
        return byUuid.get(uuid);
    }

    /** Adds a row, or replaces the row with its uuid. */
    void put(StaticRoute route) {
        StaticRoute old = byUuid.put(route.uuid(), route);
        if (old != null) {
            detach(old);
        }
        if (route.prefix() == null) {
            unparsable.add(route.uuid());
        } else {
            StaticRoute[] same = byPrefix.get(route.prefix());
            StaticRoute[] more = same == null ? new StaticRoute[1] : Arrays.copyOf(same, same.length + 1);
            more[more.length - 1] = route;
            byPrefix.put(route.prefix(), more);
            stale.add(route.prefix());
        }
    }

    /** Removes the row with {@code uuid}; false when there is none. */
    boolean remove(String uuid) {
        StaticRoute old = byUuid.remove(uuid);
        if (old != null) {
            detach(old);
        }
        return old != null;
    }

    /** Takes {@code old}, no longer in byUuid, out of the other indexes. */
    private void detach(StaticRoute old) {
        if (old.prefix() == null) {
            unparsable.remove(old.uuid());
            return;
        }
        StaticRoute[] same = byPrefix.get(old.prefix());
        if (same.length == 1) {
            byPrefix.remove(old.prefix());
        } else {
            StaticRoute[] rest = new StaticRoute[same.length - 1];
            int i = 0;
            for (StaticRoute r : same) {
                if (r != old) {
                    rest[i++] = r;
                }
            }
            byPrefix.put(old.prefix(), rest);
        }
        stale.add(old.prefix());
    }

    /** The router's static_routes gained or lost {@code uuid} (which may not be Cairn's). */
    void referenceChanged(String uuid) {
        StaticRoute route = byUuid.get(uuid);
        if (route != null && route.prefix() != null) {
            stale.add(route.prefix());
        }
    }

    /** The router row itself appeared or went: every prefix is looked at again. */
    void routerChanged() {
        allStale = true;
    }

    /** Cairn's rows for {@code prefix} that the router references. */
    List<StaticRoute> referenced(IpPrefix prefix, Set<String> references) {
        List<StaticRoute> out = new ArrayList<>(2);
        for (StaticRoute r : byPrefix.getOrDefault(prefix, NONE)) {
            if (references.contains(r.uuid())) {
                out.add(r);
            }
        }
        return out;
    }

    List<String> referencedUnparsable(Set<String> references) {
        List<String> out = new ArrayList<>();
        for (String uuid : unparsable) {
            if (references.contains(uuid)) {
                out.add(uuid);
            }
        }
        return out;
    }

    /** The installed table, given the router's static_routes; a read-only view until the next change. */
    SortedMap<IpPrefix, Set<InetAddress>> installed(Set<String> references) {
        if (allStale) {
            installed.clear();
            stale.addAll(byPrefix.keySet());
            allStale = false;
        }
        // In prefix order, TreeMap.put walks the same few nodes each time instead of all over a
        // 100k-entry tree (the first read after a full sync updates every prefix).
        IpPrefix[] changed = stale.toArray(new IpPrefix[0]);
        Arrays.sort(changed);
        List<InetAddress> hops = new ArrayList<>();
        for (IpPrefix prefix : changed) {
            hops.clear();
            for (StaticRoute r : byPrefix.getOrDefault(prefix, NONE)) {
                if (r.exact() && references.contains(r.uuid())) {
                    hops.add(r.nexthop());
                }
            }
            if (hops.isEmpty()) {
                installed.remove(prefix);
            } else {
                installed.put(prefix, Set.copyOf(hops)); // duplicates (two rows, one next hop) count once
            }
        }
        stale.clear();
        return Collections.unmodifiableSortedMap(installed);
    }
}
