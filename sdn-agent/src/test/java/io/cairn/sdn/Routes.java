package io.cairn.sdn;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Test shorthand: {@code Routes.of("10.250.0.0/16", "10.1.1.4", "0.0.0.0/0", "10.1.2.4 10.1.2.5")}. */
public final class Routes {

    private Routes() {
    }

    public static RouteTable of(String... prefixAndHops) {
        Map<IpPrefix, Set<InetAddress>> routes = new HashMap<>();
        for (int i = 0; i < prefixAndHops.length; i += 2) {
            routes.put(IpPrefix.parse(prefixAndHops[i]), hops(prefixAndHops[i + 1]));
        }
        return new RouteTable(routes);
    }

    /** Space-separated next hops. */
    public static Set<InetAddress> hops(String spaced) {
        return Arrays.stream(spaced.split(" ")).map(IpLiteral::parse).collect(Collectors.toSet());
    }

    /** {@code count} distinct IPv4 /24s under 10.0.0.0/8 (up to 65536), each via {@code hop}. */
    public static RouteTable many(int count, String hop) {
        Map<IpPrefix, Set<InetAddress>> routes = new HashMap<>();
        for (int i = 0; i < count; i++) {
            routes.put(IpPrefix.parse("10." + (i >> 8) + "." + (i & 0xff) + ".0/24"), hops(hop));
        }
        return new RouteTable(routes);
    }
}
