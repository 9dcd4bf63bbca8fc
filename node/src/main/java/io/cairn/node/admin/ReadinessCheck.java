package io.cairn.node.admin;

import java.util.concurrent.CompletableFuture;

/**
 * One condition for {@code GET /api/v1/health} to say ready (see {@code HealthEndpoints.nodeChecks}).
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** Completes with null when ready, else with the reason an operator reads. */
    CompletableFuture<String> notReadyReason();
}
