package io.cairn.sdn;

import java.net.InetAddress;
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
        removals = java.util.Collections.unmodifiableSet(new TreeSet<>(removals));
    }

    public static RouteDiff between(RouteTable actual, RouteTable desired) {
        Map<IpPrefix, Set<InetAddress>> upserts = new TreeMap<>();
        desired.routes().forEach((prefix, hops) -> {
            if (!hops.equals(actual.routes().get(prefix))) {
                upserts.put(prefix, hops);
            }
        });
        Set<IpPrefix> removals = new TreeSet<>(actual.routes().keySet());
        removals.removeAll(desired.routes().keySet());
        return new RouteDiff(upserts, removals);
    }

    public boolean isEmpty() {
        return upserts.isEmpty() && removals.isEmpty();
    }

    public int size() {
        return upserts.size() + removals.size();
    }
}
