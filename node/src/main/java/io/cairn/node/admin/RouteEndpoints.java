package io.cairn.node.admin;

import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.RibDigest;
import io.cairn.node.rib.RouteServer;
import io.netty.util.NetUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The node-wide routes: the Loc-RIB with its ECMP sets, and what the SDN holds. */
final class RouteEndpoints {

    private final RouteServer rib;
    private final EffectiveRoutes effective;

    RouteEndpoints(RouteServer rib, EffectiveRoutes effective) {
        this.rib = rib;
        this.effective = effective;
    }

    void register(Router r) {
        r.get("/api/v1/routes/best", this::best)
                .get("/api/v1/routes/digest", req -> rib.digest().thenApply(d -> ApiResponse.ok(Digest.of(d))))
                .get("/api/v1/routes/effective", req -> effective.read().thenApply(ApiResponse::ok));
    }

    /** Paths or prefixes and their order-independent hash, in hex (a JSON number loses 64-bit precision). */
    record DigestPart(long count, String hash) {
    }

    /** {@link RibDigest}: compares two RIBs of a million paths without a dump of either. */
    record Digest(DigestPart adjRibIn, DigestPart locRib) {
        static Digest of(RibDigest d) {
            return new Digest(new DigestPart(d.adjRibInPaths(), Long.toHexString(d.adjRibInHash())),
                    new DigestPart(d.locRibPrefixes(), Long.toHexString(d.locRibHash())));
        }
    }

    /** @param query the {@code prefix} asked for, or null for the whole Loc-RIB */
    record BestRoutes(String query, List<RouteViews.BestRoute> routes) {
    }

    /** The whole Loc-RIB, or with {@code ?prefix=} the longest match for an address or prefix. */
    private CompletableFuture<ApiResponse> best(ApiRequest req) {
        String query = req.queryParam("prefix");
        Prefix wanted = query == null ? null : parse(query);
        return rib.best().thenApply(selections -> {
            List<RouteViews.BestRoute> routes = new ArrayList<>();
            if (wanted == null) {
                selections.forEach((p, s) -> routes.add(RouteViews.BestRoute.of(p.toString(), s)));
            } else {
                Map.Entry<Prefix, DecisionProcess.Selection> match = longestMatch(selections, wanted);
                if (match == null) {
                    throw ApiException.notFound("no route covers " + query);
                }
                routes.add(RouteViews.BestRoute.of(match.getKey().toString(), match.getValue()));
            }
            return ApiResponse.ok(new BestRoutes(query, routes));
        });
    }

    /** The most specific Loc-RIB prefix that covers {@code wanted} (equal included), or null. */
    private static Map.Entry<Prefix, DecisionProcess.Selection> longestMatch(
            Map<Prefix, DecisionProcess.Selection> selections, Prefix wanted) {
        Map.Entry<Prefix, DecisionProcess.Selection> best = null;
        for (Map.Entry<Prefix, DecisionProcess.Selection> e : selections.entrySet()) {
            if (e.getKey().covers(wanted) && (best == null || e.getKey().length() > best.getKey().length())) {
                best = e;
            }
        }
        return best;
    }

    /** "10.1.2.3" (a host route to look up) or "10.1.0.0/16"; names are not resolved. */
    static Prefix parse(String text) {
        if (text.indexOf('/') >= 0) {
            try {
                return Prefix.parse(text);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("prefix: " + e.getMessage());
            }
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(text);
        if (address == null) {
            throw ApiException.badRequest("prefix: '" + text + "' is neither an IP address nor a prefix");
        }
        return Prefix.of(address, address.length * 8);
    }
}
