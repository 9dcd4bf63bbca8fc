package io.cairn.node.interop;

import java.util.List;

/**
 * A route a daemon should originate, sent to all of its neighbors.
 *
 * <p>Formats (the same as {@link LearnedRoute}): communities {@code "65001:100"}, extended
 * communities {@code "rt:65001:100"} (route target; {@code "soo:65001:100"} for site-of-origin
 * where the daemon supports it), large communities {@code "65001:1:2"}.
 *
 * <p>{@code asPath} is what the daemon puts <em>after</em> its own AS: every implementation makes
 * the receiver see {@code [localAs] + asPath} on an eBGP session.
 *
 * <p>{@code nextHop} null means "next hop self". Careful: on this loopback-only test bed "self" is
 * a 127.x address, and FRR (martian next hop: session reset!) and GoBGP (treat-as-withdraw) refuse
 * 127/8 next hops. Routes meant for FRR or GoBGP should carry an explicit non-loopback next hop
 * such as 192.0.2.x / 2001:db8::x: it is only an attribute value, nothing is ever sent there.
 */
public record Route(String prefix, String nextHop, List<Long> asPath, Long med, List<String> communities,
        List<String> extCommunities, List<String> largeCommunities) {

    public Route {
        asPath = List.copyOf(asPath);
        communities = List.copyOf(communities);
        extCommunities = List.copyOf(extCommunities);
        largeCommunities = List.copyOf(largeCommunities);
    }

    public static Route of(String prefix, String nextHop) {
        return new Route(prefix, nextHop, List.of(), null, List.of(), List.of(), List.of());
    }

    public Route withAsPath(Long... path) {
        return new Route(prefix, nextHop, List.of(path), med, communities, extCommunities, largeCommunities);
    }

    public Route withMed(long value) {
        return new Route(prefix, nextHop, asPath, value, communities, extCommunities, largeCommunities);
    }

    public Route withCommunities(String... values) {
        return new Route(prefix, nextHop, asPath, med, List.of(values), extCommunities, largeCommunities);
    }

    public Route withExtCommunities(String... values) {
        return new Route(prefix, nextHop, asPath, med, communities, List.of(values), largeCommunities);
    }

    public Route withLargeCommunities(String... values) {
        return new Route(prefix, nextHop, asPath, med, communities, extCommunities, List.of(values));
    }

    public boolean isIpv6() {
        return prefix.contains(":");
    }

    /** Splits "a:b" / "rt:a:b" / "a:b:c" into its parts. */
    static String[] parts(String value) {
        return value.split(":");
    }
}
