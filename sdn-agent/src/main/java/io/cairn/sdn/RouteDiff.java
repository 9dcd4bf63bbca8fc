package io.cairn.sdn;

import java.net.InetAddress;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The writes that turn one route table into another: prefixes to set (with their complete new
 * next-hop set) and prefixes to remove. Empty when the tables are equal, which is what makes a
 * leader change in a converged cluster write nothing.
 */
public record RouteDiff(Map<IpPrefix, Set<InetAddress>> upserts, Set<IpPrefix> removals) {

    public RouteDiff {
        upserts = new RouteTable(upserts).routes();
        removals = Collections.unmodifiableSortedSet(new TreeSet<>(removals));
    }

    /** One walk over both tables in prefix order (a route table is sorted), so linear in their size. */
    public static RouteDiff between(RouteTable actual, RouteTable desired) {
        Map<IpPrefix, Set<InetAddress>> upserts = new TreeMap<>();
        Set<IpPrefix> removals = new TreeSet<>();
        Iterator<Map.Entry<IpPrefix, Set<InetAddress>>> have = actual.routes().entrySet().iterator();
        Iterator<Map.Entry<IpPrefix, Set<InetAddress>>> want = desired.routes().entrySet().iterator();
        Map.Entry<IpPrefix, Set<InetAddress>> h = next(have);
        Map.Entry<IpPrefix, Set<InetAddress>> w = next(want);
        while (h != null || w != null) {
            int order = h == null ? 1 : w == null ? -1 : h.getKey().compareTo(w.getKey());
            if (order < 0) {
                removals.add(h.getKey());
            } else if (order > 0 || !h.getValue().equals(w.getValue())) {
                upserts.put(w.getKey(), w.getValue());
            }
            h = order <= 0 ? next(have) : h;
            w = order >= 0 ? next(want) : w;
        }
        return new RouteDiff(upserts, removals);
    }

    private static <T> T next(Iterator<T> it) {
        return it.hasNext() ? it.next() : null;
    }

    public boolean isEmpty() {
        return upserts.isEmpty() && removals.isEmpty();
    }

    public int size() {
        return upserts.size() + removals.size();
    }
}
