package io.cairn.node.rib;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Route selection of RFC 4271 9.1.2, written as the RFC writes it: each step removes the
 * candidates that lose it. The candidates left after the MED step form the multipath (ECMP)
 * set, so paths from different neighbouring ASes with equal AS-path length share the load and a
 * prepend makes one NVA passive. Locally originated paths (the VNet prefixes) win outright.
 * It works on {@link Candidates} (numbers parsed once per attribute set), so the RIB's
 * per-prefix decision allocates nothing; {@link #select(List)} is the same process over
 * {@link Path} objects, for queries and tests.
 */
public final class DecisionProcess {

    /** Multipath on, MED compared only within one neighbouring AS: what cloud route servers do. */
    public static final DecisionProcess DEFAULT = new DecisionProcess(false, true);

    /** Default LOCAL_PREF for paths without one (eBGP paths never carry it here, RFC 4271 5.1.5). */
    static final long DEFAULT_LOCAL_PREF = 100;

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
    public Selection select(List<Path> paths) {
        Candidates c = new Candidates();
        for (Path p : paths) {
            PathSource s = p.source();
            c.add(s.isLocal(), s.external(), s.bgpIdentifier(), s.address() == null ? null : s.address().getAddress(),
                    RouteFacts.of(p.attributes()));
        }
        int n = select(c);
        if (n == 0) {
            return null;
        }
        List<Path> ecmp = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ecmp.add(paths.get(c.order[i]));
        }
        return new Selection(ecmp.get(0), ecmp);
    }

    /**
     * Selects among {@code c}; returns the size of the ECMP set (0 when there are no candidates),
     * whose indices are then {@code c.order[0, n)}, best first.
     */
    public int select(Candidates c) {
        int n = c.size;
        int[] o = c.order;
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        // Cairn's own VNet routes before anything an NVA says about the same prefix.
        n = keepLocalIfAny(c, n);
        // 9.1.1: the degree of preference is LOCAL_PREF; the highest wins.
        n = keepLowest(o, n, c.negLocalPref);
        // 9.1.2.2 a: shortest AS_PATH (an AS_SET counts 1, confederation segments 0).
        n = keepLowest(o, n, c.asPathLength);
        // 9.1.2.2 b: lowest ORIGIN.
        n = keepLowest(o, n, c.origin);
        // 9.1.2.2 c: lowest MED among paths from the same neighbouring AS (or all, if configured).
        int beforeMed = n;
        n = alwaysCompareMed ? keepLowest(o, n, c.med) : keepLowestMedPerNeighbour(c, n);
        c.medPruned = !alwaysCompareMed && n < beforeMed;
        // What survives to here ties for multipath; steps d to g only order it.
        // 9.1.2.2 d: eBGP over iBGP; e: IGP cost does not apply (every next hop is one hop away
        // in the VNet); f: lowest BGP Identifier; g: lowest peer address.
        sortByTieBreak(c, n);
        if (n == 0 || !multipath) {
            return Math.min(n, 1);
        }
        // An iBGP path never shares load with an eBGP one (step d is not a tie).
        boolean bestExternal = c.external[o[0]];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (c.external[o[i]] == bestExternal) {
                o[kept++] = o[i];
            }
        }
        return kept;
    }

    private static int keepLocalIfAny(Candidates c, int n) {
        int[] o = c.order;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (c.local[o[i]]) {
                o[kept++] = o[i];
            }
        }
        return kept == 0 ? n : kept;
    }

    /** Keeps, in order, only the candidates with the lowest {@code key}. */
    private static int keepLowest(int[] o, int n, long[] key) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, key[o[i]]);
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (key[o[i]] == min) {
                o[kept++] = o[i];
            }
        }
        return kept;
    }

    private static int keepLowestMedPerNeighbour(Candidates c, int n) {
        int[] o = c.order;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int ci = o[i];
            boolean beaten = false;
            for (int j = 0; j < n && !beaten; j++) {
                int cj = o[j];
                beaten = c.neighbourAs[cj] == c.neighbourAs[ci] && c.med[cj] < c.med[ci];
            }
            if (!beaten) {
                o[kept++] = ci;
            }
        }
        return kept;
    }

    /** Steps d, f and g: eBGP first, then lowest BGP Identifier, then lowest peer address (insertion sort: n is small). */
    private static void sortByTieBreak(Candidates c, int n) {
        int[] o = c.order;
        for (int i = 1; i < n; i++) {
            int x = o[i];
            int j = i - 1;
            while (j >= 0 && tieBreak(c, o[j], x) > 0) {
                o[j + 1] = o[j];
                j--;
            }
            o[j + 1] = x;
        }
    }

    private static int tieBreak(Candidates c, int a, int b) {
        if (c.external[a] != c.external[b]) {
            return c.external[a] ? -1 : 1;
        }
        int byId = Long.compare(c.bgpId[a], c.bgpId[b]);
        return byId != 0 ? byId : Arrays.compareUnsigned(c.address[a], c.address[b]);
    }
}
