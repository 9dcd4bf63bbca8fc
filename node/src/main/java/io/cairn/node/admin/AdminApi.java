package io.cairn.node.admin;

import io.cairn.node.CairnNode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every path of the admin API, version 1. The cluster, effective routes and readiness parts are
 * given from outside, so the issues that build them plug in without changing a path or a shape.
 */
public final class AdminApi {

    private final CairnNode node;
    private ConfigReload reload;
    private ClusterView cluster;
    private EffectiveRoutes effective = EffectiveRoutes.NONE;
    private final List<ReadinessCheck> readiness = new ArrayList<>();

    /** A standalone node with no SDN driver and no config file to reload. */
    public AdminApi(CairnNode node, String nodeId) {
        this.node = node;
        this.cluster = ClusterView.standalone(nodeId);
        this.readiness.addAll(HealthEndpoints.nodeChecks(node));
    }

    public AdminApi reload(ConfigReload reload) {
        this.reload = reload;
        return this;
    }

    public AdminApi cluster(ClusterView cluster) {
        this.cluster = cluster;
        return this;
    }

    public AdminApi effectiveRoutes(EffectiveRoutes effective) {
        this.effective = effective;
        return this;
    }

    /** One more condition for readiness (journal replayed, cluster joined). */
    public AdminApi readiness(ReadinessCheck check) {
        this.readiness.add(check);
        return this;
    }

    public Router router() {
        Router r = new Router();
        new PeerEndpoints(node).register(r);
        new RouteEndpoints(node.routeServer(), effective).register(r);
        new HealthEndpoints(readiness).register(r);
        ClusterView c = cluster;
        ConfigReload cr = reload;
        r.get("/api/v1/cluster", req -> ApiResponse.now(c.status()));
        r.post("/api/v1/config/reload", req -> {
            if (cr == null) {
                throw new ApiException(HttpResponseStatus.CONFLICT, "this node was started without a config file");
            }
            return CompletableFuture.supplyAsync(() -> ApiResponse.ok(cr.reload()));
        });
        return r;
    }
}
