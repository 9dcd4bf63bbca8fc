package io.cairn.sdn.ovn;

import io.cairn.sdn.IpPrefix;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * A Logical_Router_Static_Route row tagged as Cairn's. {@code exact} says whether it is still
 * what Cairn writes (a plain destination route in the main route table); a row edited by hand
 * into something else does not count as installed and is replaced.
 */
record StaticRoute(String uuid, IpPrefix prefix, InetAddress nexthop, boolean exact) {

    /** Columns that give a route a meaning of its own (ovn-nb(5)); Cairn never sets them. */
    private static final List<String> UNSET_WHEN_PLAIN = List.of("output_port", "bfd", "options");

    static StaticRoute of(String uuid, OvsdbRow row) {
        String ipPrefix = row.scalar("ip_prefix");
        String hop = row.scalar("nexthop");
        IpPrefix prefix = RouteText.parsePrefix(ipPrefix);
        InetAddress nexthop = RouteText.parseAddress(hop);
        boolean plain = Set.of("dst-ip").containsAll(row.set("policy"))
                && row.scalar("route_table").isEmpty()
                && row.allEmpty(UNSET_WHEN_PLAIN);
        return new StaticRoute(uuid, prefix, nexthop, plain && prefix != null && nexthop != null);
    }
}
