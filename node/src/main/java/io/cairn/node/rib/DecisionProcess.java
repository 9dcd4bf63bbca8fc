package io.cairn.node.rib;

import io.cairn.node.bgp.wire.PathAttribute;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Route selection of RFC 4271 9.1.2, written as the RFC writes it: each step removes the
 * candidates that lose it. The candidates left after the MED step form the multipath (ECMP)
 * set, so paths from different neighbouring ASes with equal AS-path length share the load and a
 * prepend makes one NVA passive. Locally originated paths (the VNet prefixes) win outright.
 */
public final class DecisionProcess {

    /** Multipath on, MED compared only within one neighbouring AS: what cloud route servers do. */
    public static final DecisionProcess DEFAULT = new DecisionProcess(false, true);

    /** Default LOCAL_PREF for paths without one (eBGP paths never carry it here, RFC 4271 5.1.5). */
    static final long DEFAULT_LOCAL_PREF = 100;

    /** Steps d, f and g: eBGP first, then lowest BGP Identifier, then lowest peer address. */
    static final Comparator<Path> TIE_BREAK = Comparator
            .comparing((Path p) -> !p.source().external())
            .thenComparingLong(p -> p.source().bgpIdentifier())
            .thenComparing(DecisionProcess::address, Arrays::compareUnsigned);

    private final boolean alwaysCompareMed;
    private final boolean multipath;

    public DecisionProcess(boolean alwaysCompareMed, boolean multipath) {
        this.alwaysCompareMed = alwaysCompareMed;
        this.multipath = multipath;
    }

    /** The outcome for one prefix: the best path, and the ECMP set in preference order (best first). */
    public record Selection(Path best, List<Path> ecmp) {
        public Selection {
            ecmp = List.copyOf(ecmp);
        }
    }

    /** Selects among the usable paths of one prefix; null when there are none. */
    public Selection select(List<Path> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        List<Path> c = new ArrayList<>(candidates);
        // Cairn's own VNet routes before anything an NVA says about the same prefix.
        if (c.stream().anyMatch(p -> p.source().isLocal())) {
            c.removeIf(p -> !p.source().isLocal());
        }
        // 9.1.1: the degree of preference is LOCAL_PREF; the highest wins.
        keepBest(c, p -> -localPref(p));
        // 9.1.2.2 a: shortest AS_PATH (an AS_SET counts 1, confederation segments 0).
        keepBest(c, p -> p.asPath().pathLength());
        // 9.1.2.2 b: lowest ORIGIN.
        keepBest(c, DecisionProcess::origin);
        // 9.1.2.2 c: lowest MED among paths from the same neighbouring AS (or all, if configured).
        removeHigherMed(c);
        // What survives to here ties for multipath; steps d to g only order it.
        c.sort(TIE_BREAK);
        // 9.1.2.2 d: eBGP over iBGP; e: IGP cost does not apply (every next hop is one hop away
        // in the VNet); f: lowest BGP Identifier; g: lowest peer address. TIE_BREAK is d, f, g.
        Path best = c.get(0);
        if (!multipath) {
            return new Selection(best, List.of(best));
        }
        // An iBGP path never shares load with an eBGP one (step d is not a tie).
        c.removeIf(p -> p.source().external() != best.source().external());
        return new Selection(best, c);
    }

    /** Keeps only the candidates with the lowest value of {@code key}. */
    private static void keepBest(List<Path> c, ToLongFunction<Path> key) {
        long min = Long.MAX_VALUE;
        for (Path p : c) {
            min = Math.min(min, key.applyAsLong(p));
        }
        long best = min;
        c.removeIf(p -> key.applyAsLong(p) != best);
    }

    private void removeHigherMed(List<Path> c) {
        if (alwaysCompareMed) {
            keepBest(c, DecisionProcess::med);
            return;
        }
        Map<Long, Long> lowestByNeighbour = new HashMap<>();
        for (Path p : c) {
            lowestByNeighbour.merge(p.asPath().firstAs(), med(p), Math::min);
        }
        c.removeIf(p -> med(p) != lowestByNeighbour.get(p.asPath().firstAs()));
    }

    private static long localPref(Path p) {
        return p.attribute(PathAttribute.LocalPref.class).map(PathAttribute.LocalPref::value).orElse(DEFAULT_LOCAL_PREF);
    }

    private static long origin(Path p) {
        return p.attribute(PathAttribute.Origin.class).map(PathAttribute.Origin::value).orElse(PathAttribute.Origin.INCOMPLETE);
    }

    /** RFC 4271 9.1.2.2 c: a missing MED is the lowest value, 0. */
    private static long med(Path p) {
        return p.attribute(PathAttribute.MultiExitDisc.class).map(PathAttribute.MultiExitDisc::value).orElse(0L);
    }

    private static byte[] address(Path p) {
        return p.source().address() == null ? new byte[0] : p.source().address().getAddress();
    }
}
