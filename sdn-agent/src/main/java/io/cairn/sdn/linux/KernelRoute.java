package io.cairn.sdn.linux;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.sdn.IpLiteral;
import io.cairn.sdn.IpPrefix;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * One route of {@code ip -N -json route show table T} output: destination, numeric type and
 * protocol, metric, and gateways (one, or several in "nexthops" for multipath).
 *
 * @param type 1 (unicast; ip leaves it out) or e.g. 6 for blackhole (rtnetlink RTN_* numbers)
 */
record KernelRoute(IpPrefix dst, int type, int protocol, long metric, Set<InetAddress> gateways) {

    static final int RTN_UNICAST = 1;
    static final int RTN_BLACKHOLE = 6;

    /** Parses one element of the JSON array; {@code ipv6} says which family the dump was for. */
    static KernelRoute parse(JsonNode route, boolean ipv6) {
        String dst = route.path("dst").asText();
        IpPrefix prefix;
        if (dst.equals("default")) {
            prefix = IpPrefix.parse(ipv6 ? "::/0" : "0.0.0.0/0");
        } else if (dst.contains("/")) {
            prefix = IpPrefix.parse(dst);
        } else {
            prefix = IpPrefix.parse(dst + (ipv6 ? "/128" : "/32")); // host routes come without a length
        }
        int type = route.has("type") ? Integer.parseInt(route.get("type").asText()) : RTN_UNICAST;
        int protocol = route.has("protocol") ? Integer.parseInt(route.get("protocol").asText()) : 0;
        long metric = route.path("metric").asLong(0);
        Set<InetAddress> gateways = new HashSet<>();
        addGateway(route, gateways);
        for (JsonNode hop : route.path("nexthops")) {
            addGateway(hop, gateways);
        }
        return new KernelRoute(prefix, type, protocol, metric, gateways);
    }

    /** "gateway": "10.1.1.4", or "via": {"family": "inet6", "host": "fd00::4"} across families. */
    private static void addGateway(JsonNode node, Set<InetAddress> into) {
        if (node.hasNonNull("gateway")) {
            into.add(IpLiteral.parse(node.get("gateway").asText()));
        } else if (node.path("via").hasNonNull("host")) {
            into.add(IpLiteral.parse(node.get("via").get("host").asText()));
        }
    }
}
