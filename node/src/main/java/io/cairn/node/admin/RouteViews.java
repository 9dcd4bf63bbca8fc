package io.cairn.node.admin;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.export.Advertisement;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.Path;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Routes as the API shows them, with names operators know from birdc and gobgp. */
public final class RouteViews {

    private RouteViews() {
    }

    /**
     * The attributes of a route. {@code as_path} reads as birdc prints it (sets in braces);
     * {@code local_pref} is shown as received even though an eBGP one is ignored (RFC 4271 5.1.5).
     */
    public record Attributes(String asPath, String origin, Long med, Long localPref, List<String> communities,
                             List<String> largeCommunities) {

        static Attributes of(List<PathAttribute> attributes) {
            String asPath = "";
            String origin = null;
            Long med = null;
            Long localPref = null;
            List<String> communities = new ArrayList<>();
            List<String> large = new ArrayList<>();
            for (PathAttribute a : attributes) {
                if (a instanceof PathAttribute.AsPath p) {
                    asPath = p.toString();
                } else if (a instanceof PathAttribute.Origin o) {
                    origin = ORIGINS[o.value()];
                } else if (a instanceof PathAttribute.MultiExitDisc m) {
                    med = m.value();
                } else if (a instanceof PathAttribute.LocalPref l) {
                    localPref = l.value();
                } else if (a instanceof PathAttribute.Communities c) {
                    c.values().forEach(v -> communities.add(PathAttribute.Communities.format(v)));
                } else if (a instanceof PathAttribute.LargeCommunities c) {
                    c.values().forEach(v -> large.add(v.toString()));
                }
            }
            return new Attributes(asPath, origin, med, localPref, communities, large);
        }
    }

    /** RFC 4271 5.1.1, spelt as birdc shows ORIGIN. */
    private static final String[] ORIGINS = {"IGP", "EGP", "Incomplete"};

    /**
     * A path in a peer's Adj-RIB-In. {@code best}: it is the Loc-RIB's best path or in its ECMP
     * set; {@code stale}: kept by graceful restart; {@code filtered}: why it is not accepted.
     */
    public record LearnedRoute(String prefix, String nextHop, @JsonUnwrapped Attributes attributes, boolean best,
                               boolean stale, String filtered) {
    }

    /** A route in a peer's Adj-RIB-Out, as sent. */
    public record AdvertisedRoute(String prefix, String nextHop, @JsonUnwrapped Attributes attributes) {

        static AdvertisedRoute of(String prefix, Advertisement a) {
            return new AdvertisedRoute(prefix, address(a.nextHop()), Attributes.of(a.attributes()));
        }
    }

    /** One path of a Loc-RIB entry; {@code from} is the peer, or "local" for the VNet prefixes. */
    public record Candidate(String from, String nextHop, @JsonUnwrapped Attributes attributes) {

        static Candidate of(Path p) {
            return new Candidate(p.source().name(), address(p.nextHop()), Attributes.of(p.attributes()));
        }
    }

    /** A Loc-RIB entry: the best path, and the ECMP set (best first) whose next hops the SDN gets. */
    public record BestRoute(String prefix, List<String> nextHops, Candidate best, List<Candidate> ecmp) {

        static BestRoute of(String prefix, DecisionProcess.Selection s) {
            Set<String> hops = new LinkedHashSet<>();
            List<Candidate> ecmp = new ArrayList<>();
            for (Path p : s.ecmp()) {
                Candidate c = Candidate.of(p);
                ecmp.add(c);
                if (c.nextHop() != null) {
                    hops.add(c.nextHop());
                }
            }
            return new BestRoute(prefix, List.copyOf(hops), Candidate.of(s.best()), ecmp);
        }
    }

    static String address(InetAddress a) {
        return a == null ? null : NetUtil.toAddressString(a);
    }
}
