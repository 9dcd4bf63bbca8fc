package io.cairn.node.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.node.CairnNode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Liveness (the process answers) and readiness (it can serve routes): 200 {"live":true,
 * "ready":true}, or 503 with the first reason it is not ready, for load balancers and Ansible.
 */
final class HealthEndpoints {

    /** The RIB thread answers a query within this, or the node is not ready. */
    static final long RIB_ANSWER_SECONDS = 2;

    private final List<ReadinessCheck> checks;

    HealthEndpoints(List<ReadinessCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** The checks every node has: the journal is replayed and takes records, the BGP listener is bound, the RIB thread answers. */
    static List<ReadinessCheck> nodeChecks(CairnNode node) {
        List<ReadinessCheck> checks = new ArrayList<>();
        checks.add(() -> CompletableFuture.completedFuture(node.listening() ? null : "the BGP listener is not bound"));
        checks.add(() -> CompletableFuture.completedFuture(node.routeServer().replayed().isDone() ? null
                : "replaying the journal"));
        // A journal that takes no records holds every session's new routes back: not ready, loudly.
        checks.add(() -> CompletableFuture.completedFuture(node.journalProblem()));
        // Any query goes through the RIB thread's queue; the smallest one there is serves as a probe.
        checks.add(() -> node.routeServer().stale("").orTimeout(RIB_ANSWER_SECONDS, TimeUnit.SECONDS)
                .handle((ok, failed) -> failed == null ? null
                        : "the RIB thread did not answer within " + RIB_ANSWER_SECONDS + " s"));
        return checks;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Health(boolean live, boolean ready, String reason) {
    }

    record Live(boolean live) {
    }

    void register(Router r) {
        r.get("/api/v1/health", req -> health())
                .get("/api/v1/health/live", req -> ApiResponse.now(new Live(true)));
    }

    private CompletableFuture<ApiResponse> health() {
        List<CompletableFuture<String>> reasons = checks.stream().map(ReadinessCheck::notReadyReason).toList();
        return CompletableFuture.allOf(reasons.toArray(CompletableFuture[]::new)).thenApply(done -> {
            for (CompletableFuture<String> r : reasons) {
                String reason = r.join();
                if (reason != null) {
                    return new ApiResponse(HttpResponseStatus.SERVICE_UNAVAILABLE, new Health(true, false, reason));
                }
            }
            return ApiResponse.ok(new Health(true, true, null));
        });
    }
}
