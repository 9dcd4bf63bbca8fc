package io.cairn.node.status;

import io.cairn.node.rib.Path;
import io.cairn.node.rib.RouteServer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A peer's prefix counts as birdc and gobgp show them. Derived from the RIB's per-peer queries
 * until the RIB keeps the counts itself.
 *
 * @param received   prefixes in its Adj-RIB-In, stale ones included
 * @param accepted   received ones not filtered by the import rules
 * @param advertised prefixes in its Adj-RIB-Out
 * @param stale      received ones kept stale by graceful restart
 */
public record PrefixCounts(int received, int accepted, int advertised, int stale) {

    public static final PrefixCounts NONE = new PrefixCounts(0, 0, 0, 0);

    public static CompletableFuture<PrefixCounts> of(RouteServer rib, ImportFilter filter, String peer) {
        CompletableFuture<List<Path>> learned = rib.learned(peer);
        CompletableFuture<? extends Map<?, ?>> advertised = rib.advertised(peer);
        CompletableFuture<? extends Set<?>> stale = rib.stale(peer);
        return CompletableFuture.allOf(learned, advertised, stale).thenApply(done -> {
            List<Path> in = learned.join();
            int accepted = (int) in.stream().filter(p -> filter.reason(p) == null).count();
            return new PrefixCounts(in.size(), accepted, advertised.join().size(), stale.join().size());
        });
    }
}
