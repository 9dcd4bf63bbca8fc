package io.cairn.node.admin;

import java.util.concurrent.CompletableFuture;

/**
 * One condition for {@code GET /api/v1/health} to say ready. Today: the BGP listener is bound
 * and the RIB thread answers; the journal (replayed) and cluster (joined) issues add theirs.
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** Completes with null when ready, else with the reason an operator reads. */
    CompletableFuture<String> notReadyReason();
}
