package io.cairn.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.Path;
import io.cairn.node.rib.RibCounts;
import io.cairn.node.status.ImportFilter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The per-peer part of the API: sessions, their Adj-RIBs, and the actions on a session. */
final class PeerEndpoints {

    private final CairnNode node;

    PeerEndpoints(CairnNode node) {
        this.node = node;
    }

    void register(Router r) {
        r.get("/api/v1/peers", req -> list())
                .get("/api/v1/peers/{name}", req -> one(peer(req)))
                .get("/api/v1/peers/{name}/routes/learned", req -> learned(peer(req)))
                .get("/api/v1/peers/{name}/routes/advertised", req -> advertised(peer(req)))
                .post("/api/v1/peers/{name}/refresh", req -> refresh(peer(req)))
                .post("/api/v1/peers/{name}/shutdown", req -> shutdown(peer(req), req.jsonBody()))
                .post("/api/v1/peers/{name}/enable", req -> enable(peer(req)));
    }

    record PeerList(List<PeerView> peers) {
    }

    record LearnedRoutes(String peer, List<RouteViews.LearnedRoute> routes) {
    }

    record AdvertisedRoutes(String peer, List<RouteViews.AdvertisedRoute> routes) {
    }

    record Refreshed(String peer, List<String> families) {
    }

    record AdminState(String peer, boolean enabled, String state) {
    }

    private Peer peer(ApiRequest req) {
        String name = req.pathParam("name");
        Peer p = node.peer(name);
        if (p == null) {
            Set<String> known = new TreeSet<>();
            node.peers().forEach(x -> known.add(x.name()));
            throw ApiException.notFound("no peer called '" + name + "' (configured: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        }
        return p;
    }

    private ImportFilter filter() {
        return new ImportFilter(node.vnetPrefixes());
    }

    /** One counts query for all peers: the RIB keeps them as counters and answers in one go. */
    private CompletableFuture<ApiResponse> list() {
        List<Peer> peers = new ArrayList<>(node.peers());
        peers.sort(Comparator.comparing(Peer::name));
        return node.routeServer().counts().thenApply(counts -> ApiResponse.ok(new PeerList(
                peers.stream().map(p -> view(p, counts)).toList())));
    }

    private CompletableFuture<ApiResponse> one(Peer p) {
        return node.routeServer().counts().thenApply(counts -> ApiResponse.ok(view(p, counts)));
    }

    private static PeerView view(Peer p, RibCounts counts) {
        return PeerView.of(p, counts.peer(p.name()), System.currentTimeMillis());
    }

    private CompletableFuture<ApiResponse> learned(Peer p) {
        CompletableFuture<List<Path>> learned = node.routeServer().learned(p.name());
        CompletableFuture<Set<Prefix>> stale = node.routeServer().stale(p.name());
        CompletableFuture<Map<Prefix, DecisionProcess.Selection>> best = node.routeServer().best();
        ImportFilter filter = filter();
        return CompletableFuture.allOf(learned, stale, best).thenApply(done -> {
            List<RouteViews.LearnedRoute> routes = new ArrayList<>();
            for (Path path : learned.join()) {
                DecisionProcess.Selection s = best.join().get(path.prefix());
                boolean selected = s != null && s.ecmp().stream().anyMatch(e -> e.source().equals(path.source()));
                routes.add(new RouteViews.LearnedRoute(path.prefix().toString(), RouteViews.address(path.nextHop()),
                        RouteViews.Attributes.of(path.attributes()), selected, stale.join().contains(path.prefix()),
                        filter.reason(path)));
            }
            return ApiResponse.ok(new LearnedRoutes(p.name(), routes));
        });
    }

    private CompletableFuture<ApiResponse> advertised(Peer p) {
        return node.routeServer().advertised(p.name()).thenApply(out -> {
            List<RouteViews.AdvertisedRoute> routes = new ArrayList<>();
            out.forEach((prefix, a) -> routes.add(RouteViews.AdvertisedRoute.of(prefix.toString(), a)));
            return ApiResponse.ok(new AdvertisedRoutes(p.name(), routes));
        });
    }

    /** Soft reset inbound: the peer resends its routes (RFC 2918); 409 when it cannot. */
    private CompletableFuture<ApiResponse> refresh(Peer p) {
        return p.requestRouteRefresh().handle((families, failed) -> {
            if (failed != null) {
                Throwable cause = failed instanceof CompletionException ? failed.getCause() : failed;
                throw ApiException.conflict(p.name() + ": cannot refresh: " + cause.getMessage());
            }
            List<String> names = families.stream().map(AddressFamily::toString).sorted().toList();
            return ApiResponse.ok(new Refreshed(p.name(), names));
        });
    }

    /**
     * Cease / Administrative Shutdown with the RFC 9003 communication from the body's
     * {@code message}; the peer stays down, refusing connections, until enabled.
     */
    private CompletableFuture<ApiResponse> shutdown(Peer p, JsonNode body) {
        JsonNode m = body.path("message");
        if (!m.isMissingNode() && !m.isNull() && !m.isTextual()) {
            throw ApiException.badRequest("message must be a string");
        }
        String message = m.isTextual() ? m.asText() : "";
        int octets = message.getBytes(StandardCharsets.UTF_8).length;
        if (octets > NotificationMessage.MAX_SHUTDOWN_COMMUNICATION) {
            throw ApiException.badRequest("message is " + octets + " octets of UTF-8; RFC 9003 allows at most "
                    + NotificationMessage.MAX_SHUTDOWN_COMMUNICATION);
        }
        p.stop(NotificationMessage.cease(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, message));
        return ApiResponse.now(new AdminState(p.name(), false, "Idle"));
    }

    private CompletableFuture<ApiResponse> enable(Peer p) {
        p.start();
        return ApiResponse.now(new AdminState(p.name(), true, p.state().displayName()));
    }
}
