package io.cairn.sdn.ovn;

import io.cairn.sdn.IpPrefix;

import java.net.InetAddress;
import java.util.ArrayList;
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

    private final Map<String, StaticRoute> byUuid = new HashMap<>();
    private final Map<IpPrefix, Map<String, StaticRoute>> byPrefix = new HashMap<>();
    /** Rows of Cairn's whose ip_prefix does not parse (edited into garbage): always deleted. */
    private final Set<String> unparsable = new HashSet<>();
    private final TreeMap<IpPrefix, Set<InetAddress>> installed = new TreeMap<>();
    private final Set<IpPrefix> stale = new HashSet<>();
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

    /** Adds a row, or replaces the row with its uuid. */
    void put(StaticRoute route) {
        remove(route.uuid());
        byUuid.put(route.uuid(), route);
        if (route.prefix() == null) {
            unparsable.add(route.uuid());
        } else {
            byPrefix.computeIfAbsent(route.prefix(), p -> new HashMap<>(2)).put(route.uuid(), route);
            stale.add(route.prefix());
        }
    }

    void remove(String uuid) {
        StaticRoute old = byUuid.remove(uuid);
        if (old == null) {
            return;
        }
        if (old.prefix() == null) {
            unparsable.remove(uuid);
            return;
        }
        Map<String, StaticRoute> same = byPrefix.get(old.prefix());
        same.remove(uuid);
        if (same.isEmpty()) {
            byPrefix.remove(old.prefix());
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
        List<StaticRoute> out = new ArrayList<>();
        for (StaticRoute r : byPrefix.getOrDefault(prefix, Map.of()).values()) {
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
        for (IpPrefix prefix : stale) {
            Set<InetAddress> hops = new LinkedHashSet<>();
            for (StaticRoute r : referenced(prefix, references)) {
                if (r.exact()) {
                    hops.add(r.nexthop());
                }
            }
            if (hops.isEmpty()) {
                installed.remove(prefix);
            } else {
                installed.put(prefix, Set.copyOf(hops));
            }
        }
        stale.clear();
        return Collections.unmodifiableSortedMap(installed);
    }
}
