package io.cairn.sdn.ovn;

import io.cairn.sdn.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Logical_Router_Static_Route row tagged as Cairn's. {@code exact} says whether it is still
 * what Cairn writes (a plain destination route in the main route table); a row edited by hand
 * into something else does not count as installed and is replaced.
 */
record StaticRoute(String uuid, IpPrefix prefix, InetAddress nexthop, boolean exact) {

    /** Columns that give a route a meaning of its own (ovn-nb(5)); Cairn never sets them. */
    private static final List<String> UNSET_WHEN_PLAIN = List.of("output_port", "bfd", "options");
    private static final String IP_PREFIX = "ip_prefix";
    private static final String NEXTHOP = "nexthop";

    static StaticRoute of(String uuid, OvsdbRow row) {
        String ipPrefix = row.scalar(IP_PREFIX);
        String hop = row.scalar(NEXTHOP);
        IpPrefix prefix = RouteText.parsePrefix(ipPrefix);
        InetAddress nexthop = RouteText.parseAddress(hop);
        boolean plain = Set.of("dst-ip").containsAll(row.set("policy"))
                && row.scalar("route_table").isEmpty()
                && row.allEmpty(UNSET_WHEN_PLAIN);
        return new StaticRoute(uuid, prefix, nexthop, plain && prefix != null && nexthop != null);
    }

    /**
     * The row Cairn inserted with {@code inserted}'s text. When that text reads back as the
     * route it was made from (it does for every address but odd IPv6 forms), the route keeps
     * the planned prefix and next hop objects, which the desired table shares, and
     * {@link #columns} rebuilds the row; otherwise it is as {@link #of} reads the row.
     */
    static StaticRoute inserted(String uuid, RouteTransaction.NewRoute inserted) {
        if (inserted.prefix().isIpv4() && inserted.nexthop() instanceof Inet4Address) {
            return new StaticRoute(uuid, inserted.prefix(), inserted.nexthop(), true); // dotted quads read back as written
        }
        IpPrefix prefix = RouteText.parsePrefix(inserted.prefixText());
        InetAddress nexthop = RouteText.parseAddress(inserted.nexthopText());
        return new StaticRoute(uuid, inserted.prefix().equals(prefix) ? inserted.prefix() : prefix,
                inserted.nexthop().equals(nexthop) ? inserted.nexthop() : nexthop, prefix != null && nexthop != null);
    }

    /**
     * The columns of the row Cairn inserted with {@code inserted}, or null when {@link #columns}
     * rebuilds them (this route is {@link #inserted}'s and read back as planned).
     */
    OvsdbRow insertedRow(Map<String, ColumnKind> kinds, RouteTransaction.NewRoute inserted) {
        return prefix == inserted.prefix() && nexthop == inserted.nexthop() ? null
                : new OvsdbRow(kinds).scalar(IP_PREFIX, inserted.prefixText()).scalar(NEXTHOP, inserted.nexthopText());
    }

    /**
     * True when {@link #columns} gives {@code row} back: a route as Cairn writes it, in the text
     * Cairn writes (the replica then keeps only this record, not the row's columns).
     */
    boolean rebuilds(OvsdbRow row) {
        return exact && row.allEmpty(List.of("policy")) && row.scalar(IP_PREFIX).equals(RouteText.prefix(prefix))
                && row.scalar(NEXTHOP).equals(RouteText.address(nexthop));
    }

    /** The columns of an exact route as Cairn writes it, to apply a "modify" to. */
    OvsdbRow columns(Map<String, ColumnKind> kinds) {
        return new OvsdbRow(kinds).scalar(IP_PREFIX, RouteText.prefix(prefix)).scalar(NEXTHOP, RouteText.address(nexthop));
    }
}
