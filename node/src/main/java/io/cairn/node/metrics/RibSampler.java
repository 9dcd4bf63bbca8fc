package io.cairn.node.metrics;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.status.ImportFilter;
import io.cairn.node.status.PrefixCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Counts read from the RIB for the gauges, at most once per {@link #MAX_AGE_MILLIS} however
 * many gauges a JMX client reads, so that a monitoring tool polling every attribute costs the
 * RIB thread one round of queries. Until the RIB keeps these counts itself, they are derived
 * from its per-peer queries.
 */
final class RibSampler {

    private static final Logger log = LoggerFactory.getLogger(RibSampler.class);
    static final long MAX_AGE_MILLIS = 1_000;
    /** A RIB that does not answer in this time keeps the previous sample on show. */
    static final long WAIT_MILLIS = 2_000;

    /** @param paths every path in the RIB: all peers' Adj-RIB-In plus the VNet routes originated here */
    record Sample(Map<String, PrefixCounts> peers, int prefixes, int paths, int ecmpSets) {
        static final Sample EMPTY = new Sample(Map.of(), 0, 0, 0);

        PrefixCounts peer(String name) {
            return peers.getOrDefault(name, PrefixCounts.NONE);
        }
    }

    private final CairnNode node;
    private Sample last = Sample.EMPTY;
    private long takenAtNanos;

    RibSampler(CairnNode node) {
        this.node = node;
    }

    synchronized Sample get() {
        if (takenAtNanos != 0 && System.nanoTime() - takenAtNanos < TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MILLIS)) {
            return last;
        }
        try {
            last = take().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            takenAtNanos = System.nanoTime();
        } catch (Exception e) {
            log.debug("RIB sample failed, showing the previous one: {}", e.toString());
        }
        return last;
    }

    private CompletableFuture<Sample> take() {
        ImportFilter filter = new ImportFilter(node.vnetPrefixes());
        Map<String, CompletableFuture<PrefixCounts>> perPeer = new HashMap<>();
        for (Peer p : node.peers()) {
            perPeer.put(p.name(), PrefixCounts.of(node.routeServer(), filter, p.name()));
        }
        CompletableFuture<Map<Prefix, DecisionProcess.Selection>> best = node.routeServer().best();
        List<CompletableFuture<?>> all = new ArrayList<>(perPeer.values());
        all.add(best);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, PrefixCounts> counts = new HashMap<>();
            perPeer.forEach((name, f) -> counts.put(name, f.join()));
            int received = counts.values().stream().mapToInt(PrefixCounts::received).sum();
            int ecmpSets = 0;
            int local = 0;
            for (DecisionProcess.Selection s : best.join().values()) {
                ecmpSets += s.ecmp().size() > 1 ? 1 : 0;
                local += s.best().source().isLocal() ? 1 : 0;
            }
            return new Sample(Map.copyOf(counts), best.join().size(), received + local, ecmpSets);
        });
    }
}
